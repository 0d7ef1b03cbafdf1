"""The claimdesk command line, run as a user would run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from rq import Queue, SimpleWorker

from service.store import claims
from tests.factories import KRISHNA, make_article, make_claim_record, store_claims

SALES = "Sales rose 12 percent in 2023."


def claimdesk(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "service.cli", *args], capture_output=True,
                          text=True, timeout=180, check=False,
                          env=None if env is None else {**os.environ, **env})


def test_extract_prints_claim_records_as_json(tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text(KRISHNA, encoding="utf-8")
    result = claimdesk("extract", str(article), "--published-at", "2023-05-02")
    assert result.returncode == 0, result.stderr
    claims = json.loads(result.stdout)["claims"]
    assert claims
    for claim in claims:
        assert KRISHNA[claim["start"] : claim["end"]] == claim["text"]
        assert {"statement", "sentence", "checkworthiness", "types", "spans"} <= claim.keys()
    dates = [s for c in claims for s in c["spans"] if s["kind"] == "date"]
    assert any(d["normalized"]["value"] == "2023-04" for d in dates)


def test_extract_table_has_one_row_a_claim(tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text(KRISHNA, encoding="utf-8")
    as_json = json.loads(claimdesk("extract", str(article), "--published-at",
                                   "2023-05-02").stdout)["claims"]
    table = claimdesk("extract", str(article), "--format", "table", "--published-at",
                      "2023-05-02").stdout
    assert table.strip().endswith(f"{len(as_json)} claim(s)")
    rows = [line for line in table.splitlines() if f"{as_json[0]['start']}-" in line]
    assert rows and f"{as_json[0]['checkworthiness']:.2f}" in rows[0]


def test_extract_missing_file_exits_2_with_a_message(tmp_path: Path) -> None:
    result = claimdesk("extract", str(tmp_path / "nope.txt"))
    assert result.returncode == 2 and "nope.txt" in result.stderr


def test_extract_uses_the_spacy_model_the_settings_name(tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text(KRISHNA, encoding="utf-8")
    result = claimdesk("extract", str(article), env={"CLAIMDESK_SPACY_MODEL": "no_such_model"})
    assert result.returncode == 2 and "no_such_model" in result.stderr


def test_relink_with_a_bad_date_exits_2_with_a_message() -> None:
    result = claimdesk("relink", "--since", "last tuesday")
    assert result.returncode == 2 and "--since" in result.stderr
    assert "last tuesday" in result.stderr


def test_relink_queues_one_job_and_the_worker_links_the_claims(settings, session_factory,
                                                              redis, nlp) -> None:
    with session_factory() as session:
        old = make_article(session, text=SALES)
        store_claims(session, old, [make_claim_record(SALES, 0, score=0.8, types=["quantity"])])
        old.received_at = old.processed_at = datetime(2024, 1, 1, tzinfo=UTC)
        session.commit()
        recent = make_article(session, text=SALES)
        store_claims(session, recent, [make_claim_record(SALES, 0, score=0.8,
                                                         types=["quantity"])])
    result = claimdesk("relink", "--since", "2024-06-01")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("queued relink_")
    assert "1 claim(s) of org_default" in result.stdout
    queue = Queue("claimdesk", connection=redis)
    assert len(queue.get_job_ids()) == 1
    SimpleWorker([queue], connection=redis).work(burst=True)
    with session_factory() as session:
        linked = {a.id: claims.list_article_claims(session, org_id="org_default",
                                                   article_id=a.id).items[0]
                  for a in (old, recent)}
    assert linked[recent.id].verification.linked_at is not None
    assert linked[old.id].verification.linked_at is None


def test_relink_without_redis_exits_2_and_says_so(tmp_path: Path) -> None:
    result = claimdesk("relink", env={"REDIS_URL": "", "CLAIMDESK_DATA_DIR": str(tmp_path)})
    assert result.returncode == 2 and "REDIS_URL" in result.stderr


def test_relink_of_an_unknown_organisation_exits_2(settings, session_factory) -> None:
    result = claimdesk("relink", "--org", "org_missing")
    assert result.returncode == 2 and "org_missing" in result.stderr
