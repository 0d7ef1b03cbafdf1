"""A claim verified by a reviewer becomes a fact-check that later articles link to."""

from __future__ import annotations

from rq import Queue, SimpleWorker

from service.store import claims
from service.store.models import Claim, utcnow
from service.store.queue import enqueue_process_article
from service.store.verdicts import claim_source_url, record_verified_claim
from tests.factories import make_article

ORG = "org_default"
CLAIM = "Clearview AI built a database of more than 3 billion images scraped from the web."


def process(session_factory, redis, text: str) -> str:
    with session_factory() as session:
        article = make_article(session, text=text)
    queue = Queue("claimdesk", connection=redis)
    enqueue_process_article(queue, org_id=ORG, article_id=article.id)
    SimpleWorker([queue], connection=redis).work(burst=True)
    return article.id


def test_verified_claim_is_linked_from_a_later_article(session_factory, redis) -> None:
    first = process(session_factory, redis, CLAIM)
    with session_factory() as session:
        (row,) = claims.article_claim_rows(session, org_id=ORG, article_id=first)
        row.state, row.verdict, row.reviewed_at = "verified", "false", utcnow()
        record_verified_claim(session, org_id=ORG, claim=row)
        session.commit()
        claim_id = row.id
    later = process(session_factory, redis, "Reports say " + CLAIM[0].lower() + CLAIM[1:])
    with session_factory() as session:
        (claim,) = [c for c in claims.list_article_claims(session, org_id=ORG,
                                                          article_id=later).items
                    if "3 billion" in c.text][:1]
    top = claim.evidence[0]
    assert top.kind == "fact_check" and top.url == claim_source_url(claim_id)
    assert claim.verification.auto == "contradicted"


def test_recording_twice_updates_the_same_fact_check(session_factory, redis) -> None:
    article_id = process(session_factory, redis, CLAIM)
    with session_factory() as session:
        (row,) = claims.article_claim_rows(session, org_id=ORG, article_id=article_id)
        row.verdict = "mostly_true"
        first = record_verified_claim(session, org_id=ORG, claim=row)
        row.verdict = "false"
        second = record_verified_claim(session, org_id=ORG, claim=row)
        session.commit()
        assert first.id == second.id and second.rating_text == "False"
        assert session.query(Claim).count() == 1
