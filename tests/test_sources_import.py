"""Importing sources from JSONL, CSV and ClaimReview JSON-LD files, as a newsroom would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from rq import Queue
from sqlalchemy import func, select

from service.sources_import import ImportFailure, import_sources
from service.store.models import Source
from service.store.search import search_passages
from service.store.settings import Settings

ORG = "org_default"


def write_jsonl(path: Path, lines: list[Any]) -> Path:
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n",
                    encoding="utf-8")
    return path


def stored(session_factory: Any) -> list[Source]:
    with session_factory() as session:
        return list(session.scalars(select(Source).order_by(Source.url)))


def claim_review(url: str, claim: str, rating: str, **extra: Any) -> dict[str, Any]:
    return {
        "@context": "https://schema.org", "@type": "ClaimReview", "url": url,
        "claimReviewed": claim, "datePublished": "2024-03-01",
        "author": {"@type": "Organization", "name": "Checks Weekly"},
        "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "J. Doe"}},
        "reviewRating": {"@type": "Rating", "ratingValue": "2", "bestRating": "5",
                         "worstRating": "1", "alternateName": rating},
        **extra,
    }


JSONL_LINES: list[Any] = [
    {"kind": "document", "url": "https://a.example/report", "text": "Exports rose 4 percent."},
    "{not json",  # line 2
    {"claim_reviewed": "Crime doubled in 2023.", "url": "https://c.example/1",
     "rating_text": "False"},
    {"kind": "document", "title": "No text"},  # line 4: a document needs text
    "",
    {"kind": "document", "text": "A press release without a URL."},
    ["a", "list"],  # line 7
]


def test_jsonl_import_stores_good_lines_and_reports_bad_ones(tmp_path: Path,
                                                             session_factory: Any) -> None:
    path = write_jsonl(tmp_path / "sources.jsonl", JSONL_LINES)
    summary = import_sources(session_factory, org_id=ORG, path=path, progress=False,
                             batch_size=2)
    assert (summary.imported, summary.updated, summary.skipped) == (3, 0, 3)
    assert [p.line for p in summary.problems] == [2, 4, 7]
    assert "text" in summary.problems[1].reason
    kinds = {s.url: s.kind for s in stored(session_factory)}
    assert kinds["https://c.example/1"] == "fact_check"
    with session_factory() as session:
        assert search_passages(session, org_id=ORG, query="crime doubled")


def test_importing_twice_duplicates_nothing(tmp_path: Path, session_factory: Any) -> None:
    path = write_jsonl(tmp_path / "sources.jsonl", JSONL_LINES)
    import_sources(session_factory, org_id=ORG, path=path, progress=False)
    again = import_sources(session_factory, org_id=ORG, path=path, progress=False)
    # the source without a URL is always new; the two with URLs are recognised
    assert (again.imported, again.updated, again.unchanged) == (1, 0, 2)
    with session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Source)) == 4


def test_reimport_with_changes_updates_and_reindexes(tmp_path: Path,
                                                     session_factory: Any) -> None:
    first = {"kind": "document", "url": "https://a.example/r", "text": "Exports rose."}
    import_sources(session_factory, org_id=ORG, progress=False,
                   path=write_jsonl(tmp_path / "one.jsonl", [first]))
    changed = write_jsonl(tmp_path / "two.jsonl", [{**first, "text": "Imports fell."}])
    summary = import_sources(session_factory, org_id=ORG, path=changed, progress=False)
    assert summary.updated == 1
    with session_factory() as session:
        assert search_passages(session, org_id=ORG, query="exports") == []
        assert search_passages(session, org_id=ORG, query="imports")


def test_csv_import_with_a_column_mapping(tmp_path: Path, session_factory: Any) -> None:
    path = tmp_path / "checks.csv"
    path.write_text(
        "claim,verdict,link,score,notes\n"
        "Taxes doubled last year.,False,https://c.example/tax,1,ignored column\n"
        '"A claim that spans\ntwo lines.",Mostly true,https://c.example/two,4,\n'
        ",True,https://c.example/empty,5,\n"  # line 5: no claim and no text
        "Bridges collapsed.,False,https://c.example/b,not a number,\n",  # line 6
        encoding="utf-8",
    )
    summary = import_sources(
        session_factory, org_id=ORG, path=path, progress=False,
        mapping={"claim_reviewed": "claim", "rating_text": "verdict", "url": "link",
                 "rating_value": "score"},
    )
    assert (summary.imported, summary.skipped) == (2, 2)
    assert [p.line for p in summary.problems] == [5, 6]
    assert "rating_value" in summary.problems[1].reason
    tax = {s.url: s for s in stored(session_factory)}["https://c.example/tax"]
    assert (tax.claim_reviewed, tax.rating_text, tax.rating_value) == (
        "Taxes doubled last year.", "False", 1.0)


@pytest.mark.parametrize(
    ("document", "urls"),
    [
        # one ClaimReview object, as embedded in a fact-check page
        (claim_review("https://c.example/1", "Crime doubled.", "False"),
         ["https://c.example/1"]),
        # a list of them, as in a feed
        ([claim_review("https://c.example/1", "Crime doubled.", "False"),
          claim_review("https://c.example/2", "Taxes fell.", "True")],
         ["https://c.example/1", "https://c.example/2"]),
        # an @graph with the page's other nodes, which are not sources
        ({"@context": "https://schema.org", "@graph": [
            {"@type": "WebPage", "name": "Fact check"},
            claim_review("https://c.example/1", "Crime doubled.", "False",
                         **{"@type": ["ClaimReview", "Review"]})]},
         ["https://c.example/1"]),
    ],
)
def test_claimreview_json_ld_shapes(tmp_path: Path, session_factory: Any, document: Any,
                                    urls: list[str]) -> None:
    path = tmp_path / "reviews.jsonld"
    path.write_text(json.dumps(document), encoding="utf-8")
    summary = import_sources(session_factory, org_id=ORG, path=path, progress=False)
    assert summary.imported == len(urls) and summary.skipped == 0
    assert [s.url for s in stored(session_factory)] == urls


def test_claimreview_fields_map_onto_a_fact_check(tmp_path: Path, session_factory: Any) -> None:
    path = tmp_path / "review.json"
    path.write_text(json.dumps(claim_review("https://c.example/1", "Crime doubled.",
                                            "Mostly false", name="Did crime double?")))
    import_sources(session_factory, org_id=ORG, path=path, progress=False)
    [source] = stored(session_factory)
    assert (source.kind, source.claim_reviewed, source.title) == (
        "fact_check", "Crime doubled.", "Did crime double?")
    assert (source.rating_text, source.rating_value, source.best_rating,
            source.worst_rating) == ("Mostly false", 2.0, 5.0, 1.0)
    assert (source.claimant, source.publisher) == ("J. Doe", "Checks Weekly")
    assert source.published_at is not None and source.published_at.year == 2024


def test_claimreview_bad_records_are_reported_by_index(tmp_path: Path,
                                                       session_factory: Any) -> None:
    path = tmp_path / "reviews.json"
    good = claim_review("https://c.example/1", "Crime doubled.", "False")
    no_claim = claim_review("https://c.example/2", "", "False")
    path.write_text(json.dumps([good, {"@type": "Article"}, no_claim]))
    summary = import_sources(session_factory, org_id=ORG, path=path, progress=False)
    assert summary.imported == 1
    assert [p.record for p in summary.problems] == [2, 3]


def test_progress_bar_goes_to_stderr(tmp_path: Path, session_factory: Any,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    path = write_jsonl(tmp_path / "s.jsonl", JSONL_LINES[:1])
    import_sources(session_factory, org_id=ORG, path=path, progress=True)
    captured = capsys.readouterr()
    assert "records" in captured.err and captured.out == ""


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("sources.txt", {}),  # an extension that names no format
        ("sources.jsonl", {"fmt": "xml"}),  # an unknown format
        ("sources.jsonl", {"mapping": {"claim": "claim_reviewed"}}),  # mapping backwards
        ("sources.jsonl", {"org_id": "org_missing"}),  # no such organisation
    ],
)
def test_unusable_imports_fail_before_reading(tmp_path: Path, session_factory: Any,
                                              name: str, kwargs: dict[str, Any]) -> None:
    path = write_jsonl(tmp_path / name, JSONL_LINES[:1])
    with pytest.raises(ImportFailure):
        import_sources(session_factory, path=path, progress=False,
                       **{"org_id": ORG, **kwargs})
    assert stored(session_factory) == []


def test_format_option_overrides_the_extension(tmp_path: Path, session_factory: Any) -> None:
    path = write_jsonl(tmp_path / "export.txt", JSONL_LINES[:1])
    assert import_sources(session_factory, org_id=ORG, path=path, fmt="jsonl",
                          progress=False).imported == 1


def test_cli_import_prints_a_summary(tmp_path: Path, settings: Settings,
                                     session_factory: Any) -> None:
    path = tmp_path / "checks.csv"
    path.write_text("claim,verdict\nTaxes doubled.,False\n,True\n", encoding="utf-8")
    env = {**os.environ, "DATABASE_URL": settings.resolved_database_url()}
    result = subprocess.run(
        [sys.executable, "-m", "service.cli", "sources", "import", str(path),
         "--map", "claim_reviewed=claim", "--map", "rating_text=verdict"],
        capture_output=True, text=True, timeout=120, env=env, check=False,
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith("imported 1, updated 0, unchanged 0, skipped 1")
    assert "line 3:" in result.stdout


def run_import(path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "service.cli", "sources", "import", str(path)],
                          capture_output=True, text=True, timeout=120, check=False,
                          env={**os.environ, **env})


def test_cli_import_queues_one_relink_job_for_the_whole_import(tmp_path: Path, settings: Settings,
                                                               session_factory: Any,
                                                               redis: Any) -> None:
    path = write_jsonl(tmp_path / "s.jsonl", JSONL_LINES)
    result = run_import(path)
    assert "queued relink_" in result.stdout, result.stderr
    queue = Queue("claimdesk", connection=redis)
    [job_id] = queue.get_job_ids()
    job = queue.fetch_job(job_id)
    assert job is not None and job.func_name == "workers.jobs.relink_claims"
    assert job.kwargs["scope"]["sources_changed_since"]
    redis.flushdb()
    with_urls = write_jsonl(tmp_path / "again.jsonl", [JSONL_LINES[0], JSONL_LINES[2]])
    run_import(with_urls)  # nothing new or changed: nothing to link again
    assert queue.get_job_ids() == []


def test_cli_import_without_redis_stores_and_says_claims_were_not_linked_again(
        tmp_path: Path, settings: Settings, session_factory: Any) -> None:
    path = write_jsonl(tmp_path / "s.jsonl", JSONL_LINES[:1])
    result = run_import(path, REDIS_URL="")
    assert result.stdout.startswith("imported 1,")
    assert "not linked again" in result.stderr and "claimdesk relink" in result.stderr
