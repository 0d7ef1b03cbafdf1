"""The claimdesk command line, run as a user would run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.factories import KRISHNA


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
