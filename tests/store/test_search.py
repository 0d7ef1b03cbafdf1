"""Full-text search of passages, on whichever database the suite runs against."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from schemas.sources import SourceCreate
from service.store import search, sources
from service.store.models import Organisation, Source
from service.store.search import cache_passage_spans, search_passages

ORG = "org_default"
JOBS_REPORT = (
    "The labour market report was published on Friday. Employers added 7,800 jobs in the "
    "manufacturing sector. Unemployment fell to 3.5 percent in March, the lowest in decades.\n\n"
    "Wages grew more slowly. Economists expect the central bank to hold interest rates."
)


def store(session: Session, org_id: str = ORG, **fields: Any) -> Source:
    row, _ = sources.upsert_source(session, org_id=org_id, source=SourceCreate(**fields))
    session.commit()
    return row


def store_corpus(session: Session) -> dict[str, Source]:
    return {
        "report": store(session, kind="document", title="Jobs report", text=JOBS_REPORT,
                        url="https://stats.example/jobs", publisher="Statistics Office"),
        "check": store(session, kind="fact_check", url="https://checks.example/1",
                       claim_reviewed="Unemployment is at a record high.",
                       title="No, joblessness is not at a record high", rating_text="False",
                       rating_value=1, best_rating=5, worst_rating=1, claimant="A senator",
                       publisher="Checks"),
        "other": store(session, kind="document", text="The football season starts in August."),
    }


def test_a_claim_finds_passages_sharing_only_some_of_its_words(session: Session) -> None:
    corpus = store_corpus(session)
    hits = search_passages(session, org_id=ORG,
                           query="Unemployment dropped to 3.5 percent last month")
    assert hits and hits[0].source_id == corpus["report"].id
    assert "3.5 percent" in hits[0].text
    assert corpus["other"].id not in {h.source_id for h in hits}


def test_hits_are_ranked_by_how_well_they_match(session: Session) -> None:
    store_corpus(session)
    hits = search_passages(session, org_id=ORG, query="unemployment record high")
    assert hits[0].kind == "fact_check"
    assert [h.lexical_score for h in hits] == sorted((h.lexical_score for h in hits),
                                                     reverse=True)


def test_hit_offsets_point_into_the_source_text(session: Session) -> None:
    corpus = store_corpus(session)
    for hit in search_passages(session, org_id=ORG, query="wages interest rates jobs"):
        assert hit.source_id == corpus["report"].id
        assert JOBS_REPORT[hit.start : hit.end] == hit.text


def test_fact_check_hit_carries_its_rating_and_is_found_by_its_title(session: Session) -> None:
    corpus = store_corpus(session)
    [hit] = search_passages(session, org_id=ORG, query="joblessness")
    assert hit.source_id == corpus["check"].id and hit.text == "Unemployment is at a record high."
    assert (hit.rating_text, hit.rating_value, hit.best_rating, hit.worst_rating) == (
        "False", 1.0, 5.0, 1.0)
    assert hit.claimant == "A senator" and hit.url == "https://checks.example/1"


def test_kind_filter_keeps_one_kind(session: Session) -> None:
    store_corpus(session)
    hits = search_passages(session, org_id=ORG, query="unemployment", kind="document")
    assert hits and {h.kind for h in hits} == {"document"}


def test_stemming_matches_other_forms_of_a_word(session: Session) -> None:
    store_corpus(session)
    assert search_passages(session, org_id=ORG, query="economist expects")


def test_another_organisations_sources_are_not_found(session: Session) -> None:
    session.add(Organisation(id="org_other", name="Other newsroom"))
    session.commit()
    store(session, org_id="org_other", kind="document", text="Unemployment fell sharply.")
    assert search_passages(session, org_id=ORG, query="unemployment") == []
    assert len(search_passages(session, org_id="org_other", query="unemployment")) == 1


def test_a_small_organisation_finds_its_passages_behind_a_large_ones_better_matches(
        session: Session) -> None:
    session.add(Organisation(id="org_small", name="Small"))
    session.commit()
    for n in range(12):
        store(session, kind="document", url=f"https://big.example/{n}",
              text=f"Harbour cranes harbour cranes harbour report number {n}.")
    store(session, org_id="org_small", kind="document", url="https://small.example/1",
          text="The harbour report was late.")
    store(session, org_id="org_small", kind="document", url="https://small.example/2",
          text="Cranes at the harbour were idle.")
    small = search_passages(session, org_id="org_small", query="harbour cranes", limit=2)
    assert sorted(h.text for h in small) == ["Cranes at the harbour were idle.",
                                             "The harbour report was late."]
    big = search_passages(session, org_id=ORG, query="harbour cranes", limit=2)
    assert len(big) == 2 and all(h.text.startswith("Harbour cranes") for h in big)


def test_limit_caps_the_hits(session: Session) -> None:
    for i in range(5):
        store(session, kind="document", text=f"Inflation reached {i} percent.")
    assert len(search_passages(session, org_id=ORG, query="inflation", limit=3)) == 3


def test_deleted_and_rewritten_sources_leave_the_index(session: Session) -> None:
    corpus = store_corpus(session)
    sources.delete_source(session, org_id=ORG, source_id=corpus["other"].id)
    store(session, kind="document", title="Jobs report", url="https://stats.example/jobs",
          text="Tourism revenue doubled.")
    session.commit()
    assert search_passages(session, org_id=ORG, query="football") == []
    assert search_passages(session, org_id=ORG, query="wages") == []
    assert search_passages(session, org_id=ORG, query="tourism")


@pytest.mark.parametrize(
    "query",
    [
        '"unbalanced quote',  # FTS5 string syntax
        "unemployment AND OR NOT NEAR",  # FTS5 and tsquery operators as words
        "NEAR(unemployment jobs, 2)",  # FTS5 NEAR group
        "text:unemployment heading:jobs",  # FTS5 column filters
        "unemp* ^jobs",  # prefix and initial-token queries
        "jobs & | ! <-> (unemployment",  # tsquery operators
        "'; DROP TABLE passages; --",  # SQL punctuation
        "\\ \x00 \u2019unemployment\u2019",  # backslash, NUL, curly quotes
    ],
)
def test_operators_and_punctuation_in_a_query_are_just_text(session: Session,
                                                            query: str) -> None:
    store_corpus(session)
    hits = search_passages(session, org_id=ORG, query=query)
    assert all(h.kind in {"document", "fact_check"} for h in hits)


def test_a_query_of_stop_words_finds_nothing(session: Session) -> None:
    store_corpus(session)
    assert search_passages(session, org_id=ORG, query="it is what it was, and the") == []


def test_cached_spans_come_back_with_hits(session: Session) -> None:
    store_corpus(session)
    [hit] = search_passages(session, org_id=ORG, query="joblessness")
    assert hit.spans is None
    spans = [{"kind": "quantity", "text": "3.5 percent", "normalized": {"value": 3.5}}]
    cache_passage_spans(session, org_id=ORG, spans_by_passage={hit.passage_id: spans})
    cache_passage_spans(session, org_id="org_other", spans_by_passage={hit.passage_id: []})
    session.commit()
    [again] = search_passages(session, org_id=ORG, query="joblessness")
    assert again.spans == spans


def test_postgres_ranks_only_rows_picked_by_the_rarest_terms(
        session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("candidate selection is PostgreSQL's")
    for i in range(200):
        extra = " A drought hit the farms." if i % 20 == 0 else ""
        sources.upsert_source(session, org_id=ORG, source=SourceCreate(
            kind="document", text=f"The economy grew {i} percent.{extra}"))
    session.commit()
    session.execute(text("ANALYZE passages"))
    monkeypatch.setattr(search, "_STATS_CACHE", {})
    monkeypatch.setattr(search, "PG_CANDIDATE_BUDGET", 20)
    # a rare term picks the rows; common ones are only ranked
    assert search.candidate_query(session, ["economy", "drought"]) == "drought"
    # when every term is common, rows must hold the rarest together
    assert search.candidate_query(session, ["economy", "percent"]).count("&") == 1
    hits = search_passages(session, org_id=ORG, query="economy drought", limit=15)
    assert all("drought" in hit.text for hit in hits[:10]) and len(hits) == 15


def test_sqlite_leaves_words_most_passages_share_out_of_a_large_tables_match(
        session: Session) -> None:
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("pruning by document counts is SQLite's (PostgreSQL picks candidates)")
    for n in range(30):
        store(session, kind="document", url=f"https://port.example/{n}",
              text=f"The harbour handled cargo on day {n}.")
    store(session, kind="document", url="https://port.example/dredge",
          text="Dredging the harbour channels began.")
    kept = search.sqlite_telling_terms(session, ["harbours", "dredging"], min_rows=0)
    assert kept == ["dredging"]
    assert search.sqlite_telling_terms(session, ["harbour"], min_rows=0) == ["harbour"]
    assert search.sqlite_telling_terms(session, ["harbour", "dredging"]) == [
        "harbour", "dredging"]  # a small table is searched with every word
