"""Which claims a change of evidence sends back to linking: bounded, and only the related ones."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from schemas.claims import Evidence, Verification
from schemas.relink import RelinkScope
from schemas.sources import SourceCreate
from service.store import claims, relink, sources
from service.store.claim_search import search_claims
from service.store.clock import utcnow
from service.store.models import Article, Claim, ClaimSource, Organisation, Source
from tests.factories import make_article, make_claim_record

ORG = "org_default"
OTHER = "org_other"
CLEARVIEW = "Clearview AI built a database of more than 3 billion images."
PARKS = "The city council approved a budget of 12 million dollars for parks."
FTC_REPORT = ("The report found that Clearview AI had built a database of 2 billion images "
              "by 2021.")


def store_claims(session: Session, statements: list[str], *, org_id: str = ORG,
                 state: str = "processed") -> list[Claim]:
    """An article of ``statements``, one claim each, in ``state``; rows in text order."""
    article = make_article(session, text=" ".join(statements), org_id=org_id, state=state)
    records, start = [], 0
    for statement in statements:
        records.append(make_claim_record(statement, start, score=0.7, types=["quantity"]))
        start += len(statement) + 1
    rows = claims.replace_claims(session, org_id=org_id, article_id=article.id, records=records)
    session.commit()
    return rows


def store_source(session: Session, org_id: str = ORG, **fields: Any) -> Source:
    row, _ = sources.upsert_source(session, org_id=org_id, source=SourceCreate(
        **{"kind": "document", **fields}))
    session.commit()
    return row


def cite(session: Session, row: Claim, source: Source, *, at: datetime) -> None:
    evidence = [Evidence(source_id=source.id, kind=source.kind, stance="related")]
    claims.set_evidence(session, org_id=row.org_id, linked_at=at,
                        linked=[(row, evidence, Verification(auto="related"))])
    session.commit()


def after_change(**filters: Any) -> RelinkScope:
    return RelinkScope(linked_before=utcnow(), **filters)


def batch(session: Session, scope: RelinkScope, *, limit: int = 500,
          per_passage: int = 20, org_id: str = ORG) -> relink.RelinkBatch:
    return relink.next_batch(session, org_id=org_id, scope=scope, limit=limit,
                             per_passage=per_passage)


def test_claims_citing_a_deleted_source_are_found(session: Session) -> None:
    clearview, parks = store_claims(session, [CLEARVIEW, PARKS])
    report = store_source(session, url="https://ftc.example/report", text=FTC_REPORT)
    cite(session, clearview, report, at=utcnow() - timedelta(hours=1))
    sources.delete_source(session, org_id=ORG, source_id=report.id)
    session.commit()
    found = batch(session, after_change(source_ids=[report.id]))
    assert found.claim_ids == [clearview.id] and found.follow_up is None


def test_claims_a_new_sources_passages_match_are_found_and_unrelated_ones_are_not(
        session: Session) -> None:
    clearview, parks = store_claims(session, [CLEARVIEW, PARKS])
    report = store_source(session, url="https://ftc.example/report", text=FTC_REPORT)
    assert batch(session, after_change(source_ids=[report.id])).claim_ids == [clearview.id]


def test_a_fact_checks_title_also_finds_claims(session: Session) -> None:
    (parks,) = store_claims(session, [PARKS])
    check = store_source(session, kind="fact_check", url="https://checks.example/parks",
                         claim_reviewed="The mayor doubled spending.",
                         title="Did the council give parks 12 million dollars?")
    assert batch(session, after_change(source_ids=[check.id])).claim_ids == [parks.id]


def test_each_passage_picks_only_its_best_matching_claims(session: Session) -> None:
    rows = store_claims(session, [
        "Clearview AI built a database of images.",
        "Clearview AI sold images.",
        "Clearview AI was fined.",
        "Clearview AI hired staff.",
    ])
    report = store_source(session, url="https://ftc.example/report", text=FTC_REPORT)
    found = batch(session, after_change(source_ids=[report.id]), per_passage=2).claim_ids
    assert found == [rows[0].id, rows[1].id]  # they share the most words with the passage


def relink_all(session: Session, scope: RelinkScope, *, limit: int,
               source: Source) -> list[list[str]]:
    """Run the finder as a chain of jobs would, linking each batch now; the batches."""
    batches = []
    follow_up: RelinkScope | None = scope
    while follow_up is not None:
        found = batch(session, follow_up, limit=limit)
        for row in claims.claim_rows(session, org_id=ORG, claim_ids=found.claim_ids):
            cite(session, row, source, at=utcnow())
        batches.append(found.claim_ids)
        follow_up = found.follow_up
    return batches


def test_follow_ups_go_through_every_claim_citing_a_source_a_bounded_batch_at_a_time(
        session: Session) -> None:
    rows = store_claims(session, [f"Unrelated statement number {n}." for n in range(5)])
    report = store_source(session, url="https://ftc.example/report", text=FTC_REPORT)
    for row in rows:
        cite(session, row, report, at=utcnow() - timedelta(hours=1))
    batches = relink_all(session, after_change(source_ids=[report.id]), limit=2, source=report)
    assert [len(found) for found in batches] == [2, 2, 1]
    assert sorted(sum(batches, [])) == sorted(row.id for row in rows)


def test_one_source_picks_at_most_limit_claims_by_matching(session: Session) -> None:
    rows = store_claims(session, [
        "Clearview AI built a database of 3 billion images.",
        "Clearview AI built a database of images.",
        "Clearview AI was fined.",
        "Clearview AI hired staff.",
    ])
    report = store_source(session, url="https://ftc.example/report", text=FTC_REPORT)
    batches = relink_all(session, after_change(source_ids=[report.id]), limit=2, source=report)
    assert batches == [[rows[0].id, rows[1].id]]


def test_sources_an_import_changed_are_walked_in_order_and_resumed(session: Session) -> None:
    started = utcnow()
    clearview, parks = store_claims(session, [CLEARVIEW, PARKS])
    report = store_source(session, url="https://ftc.example/report", text=FTC_REPORT)
    store_source(session, url="https://city.example/budget",
                 text="Parks received a budget of 12 million dollars from the city council.")
    first = batch(session, after_change(sources_changed_since=started), limit=1)
    assert first.claim_ids == [clearview.id] and first.follow_up is not None
    cite(session, clearview, report, at=utcnow())
    queued = RelinkScope.model_validate(first.follow_up.model_dump(mode="json"))  # via Redis
    second = batch(session, queued, limit=1)
    assert second.claim_ids == [parks.id] and second.follow_up is None


def test_claims_linked_after_the_change_are_left_alone(session: Session) -> None:
    (clearview,) = store_claims(session, [CLEARVIEW])
    report = store_source(session, url="https://ftc.example/report", text=FTC_REPORT)
    scope = after_change(source_ids=[report.id])
    cite(session, clearview, report, at=utcnow())
    assert batch(session, scope).claim_ids == []


def test_dismissed_claims_and_articles_not_processed_are_left_alone(session: Session) -> None:
    dismissed, verified = store_claims(session, [CLEARVIEW, CLEARVIEW + " Really."])
    dismissed.state, verified.state = "dismissed", "verified"
    session.commit()
    store_claims(session, [CLEARVIEW], state="processing")
    report = store_source(session, url="https://ftc.example/report", text=FTC_REPORT)
    assert batch(session, after_change(source_ids=[report.id])).claim_ids == [verified.id]


def test_claims_of_another_organisation_are_never_found(session: Session) -> None:
    session.add(Organisation(id=OTHER, name="Other newsroom"))
    session.commit()
    (theirs,) = store_claims(session, [CLEARVIEW], org_id=OTHER)
    report = store_source(session, url="https://ftc.example/report", text=FTC_REPORT)
    session.add(ClaimSource(claim_id=theirs.id, source_id=report.id, org_id=OTHER))
    session.commit()
    assert batch(session, after_change(source_ids=[report.id])).claim_ids == []
    assert batch(session, after_change()).claim_ids == []


def test_a_scope_without_sources_takes_the_articles_claims_in_text_order(
        session: Session) -> None:
    first, second = store_claims(session, [CLEARVIEW, PARKS])
    store_claims(session, [PARKS])
    scope = after_change(article_id=first.article_id)
    assert batch(session, scope).claim_ids == [first.id, second.id]
    bounded = batch(session, scope, limit=1)
    assert bounded.claim_ids == [first.id] and bounded.follow_up == scope
    assert relink.count_pending(session, org_id=ORG, scope=scope) == 2


def test_since_picks_the_claims_of_articles_received_or_processed_since(
        session: Session) -> None:
    (old,) = store_claims(session, [CLEARVIEW])
    (recent,) = store_claims(session, [PARKS])
    article = session.get(Article, old.article_id)
    assert article is not None
    article.received_at = article.processed_at = utcnow() - timedelta(days=30)
    session.commit()
    scope = after_change(since=utcnow() - timedelta(days=1))
    assert batch(session, scope).claim_ids == [recent.id]


def test_set_evidence_records_the_sources_a_claim_cites(session: Session) -> None:
    (row,) = store_claims(session, [CLEARVIEW])
    report = store_source(session, url="https://ftc.example/report", text=FTC_REPORT)
    cite(session, row, report, at=utcnow())
    cited = session.scalars(select(ClaimSource.source_id).where(ClaimSource.claim_id == row.id))
    assert list(cited) == [report.id]
    claims.set_evidence(session, org_id=ORG, linked=[(row, [], Verification())],
                        linked_at=utcnow())
    session.commit()
    assert session.scalars(select(ClaimSource).where(ClaimSource.claim_id == row.id)).all() == []
    assert claims.to_claim_out(row).verification.linked_at is not None


def test_set_evidence_writes_each_claim_its_own_evidence_and_citations(
        session: Session) -> None:
    first, second = store_claims(session, [CLEARVIEW, PARKS])
    report = store_source(session, url="https://ftc.example/report", text=FTC_REPORT)
    cite(session, first, report, at=utcnow())
    cited = [Evidence(source_id=report.id, kind=report.kind, stance="supports")]
    claims.set_evidence(session, org_id=ORG, linked_at=utcnow(), linked=[
        (first, [], Verification()), (second, cited, Verification(auto="supported"))])
    session.commit()
    session.expire_all()
    by_claim = dict(session.execute(select(ClaimSource.claim_id, ClaimSource.source_id)).all())
    assert by_claim == {second.id: report.id}
    assert (first.evidence, first.auto) == ([], Verification().auto)
    assert (second.auto, second.evidence[0]["source_id"]) == ("supported", report.id)


def test_set_evidence_refuses_a_claim_of_another_organisation(session: Session) -> None:
    (row,) = store_claims(session, [CLEARVIEW])
    with pytest.raises(ValueError, match="another organisation"):
        claims.set_evidence(session, org_id="org_other", linked=[(row, [], Verification())],
                            linked_at=utcnow())


def test_the_statement_index_follows_claims_replaced(session: Session) -> None:
    (row,) = store_claims(session, [CLEARVIEW])
    replaced = claims.replace_claims(session, org_id=ORG, article_id=row.article_id,
                                     records=[make_claim_record(PARKS, 0, score=0.7,
                                                                types=["quantity"])])
    session.commit()
    assert search_claims(session, org_id=ORG, query="Clearview images", limit=10) == []
    hits = search_claims(session, org_id=ORG, query="parks budget", limit=10)
    assert [hit.claim_id for hit in hits] == [replaced[0].id]
