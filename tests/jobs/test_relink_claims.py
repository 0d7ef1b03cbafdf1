"""Evidence stored, changed or deleted after extraction reaches the claims it concerns.

Real Redis, a real RQ worker (``SimpleWorker``, burst) and a real database: sources go in
through the API as a newsroom would send them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from rq import Queue, SimpleWorker
from rq.registry import FinishedJobRegistry

from schemas.claims import ClaimOut
from service.store import claims
from service.store.models import Organisation
from service.store.queue import enqueue_process_article
from tests.factories import make_article

ORG = "org_default"
OTHER = "org_other"
CLEARVIEW = "Clearview AI built a database of more than 3 billion images scraped from the web."
REPORT = {
    "kind": "document", "url": "https://ftc.example/clearview", "title": "FTC report",
    "publisher": "FTC", "published_at": "2021-03-02",
    "text": "Clearview AI has built a database of more than 3 billion images scraped from "
            "the web, the report found.",
}
REVIEWED_AT = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _model_loaded_once(nlp: Any) -> None:
    """Linking parses passages with the spaCy model the session has loaded."""


def work(redis: Any) -> Queue:
    queue = Queue("claimdesk", connection=redis)
    SimpleWorker([queue], connection=redis).work(burst=True)
    return queue


def process(session_factory: Any, redis: Any, text: str = CLEARVIEW, *,
            org_id: str = ORG) -> str:
    """An article extracted and linked by the worker, as after a POST /v1/articles."""
    with session_factory() as session:
        article = make_article(session, text=text, org_id=org_id)
    enqueue_process_article(Queue("claimdesk", connection=redis), org_id=org_id,
                            article_id=article.id)
    work(redis)
    return article.id


def only_claim(session_factory: Any, article_id: str, org_id: str = ORG) -> ClaimOut:
    with session_factory() as session:
        (claim,) = claims.list_article_claims(session, org_id=org_id, article_id=article_id).items
    return claim


def test_a_source_posted_later_reaches_the_claim_that_had_no_evidence(
        client: TestClient, session_factory: Any, redis: Any) -> None:
    article_id = process(session_factory, redis)
    before = only_claim(session_factory, article_id)
    assert before.evidence == [] and before.verification.auto == "no_evidence"
    assert before.verification.linked_at is not None  # the first linking is stamped too
    source_id = client.post("/v1/sources", json=REPORT).json()["id"]
    work(redis)
    after = only_claim(session_factory, article_id)
    assert [e.source_id for e in after.evidence] == [source_id]
    assert after.verification.auto in ("supported", "related")
    assert after.verification.linked_at is not None
    assert after.verification.linked_at > before.verification.linked_at


def test_deleting_the_source_takes_it_out_of_the_claims_evidence(
        client: TestClient, session_factory: Any, redis: Any) -> None:
    source_id = client.post("/v1/sources", json=REPORT).json()["id"]
    article_id = process(session_factory, redis)
    linked = only_claim(session_factory, article_id)
    assert [e.source_id for e in linked.evidence] == [source_id]
    assert client.delete(f"/v1/sources/{source_id}").status_code == 204
    work(redis)
    after = only_claim(session_factory, article_id)
    assert after.evidence == [] and after.verification.auto == "no_evidence"
    assert after.verification.linked_at and linked.verification.linked_at
    assert after.verification.linked_at > linked.verification.linked_at


def test_a_reviewed_claim_keeps_its_review_while_evidence_and_auto_change(
        client: TestClient, session_factory: Any, redis: Any) -> None:
    article_id = process(session_factory, redis)
    with session_factory() as session:
        (row,) = claims.article_claim_rows(session, org_id=ORG, article_id=article_id)
        row.state, row.verdict, row.assignee = "verified", "false", "ana@newsroom.example"
        row.reviewed_at, row.version = REVIEWED_AT, 3
        session.commit()
    before = only_claim(session_factory, article_id)
    client.post("/v1/sources", json=REPORT)
    work(redis)
    after = only_claim(session_factory, article_id)
    assert after.evidence and after.verification.auto != before.verification.auto
    assert after.verification.linked_at and before.verification.linked_at
    assert after.verification.linked_at > before.verification.linked_at
    kept = ("state", "verdict", "assignee", "reviewed_at", "version")
    assert after.verification.model_dump(include=set(kept)) == {
        "state": "verified", "verdict": "false", "assignee": "ana@newsroom.example",
        "reviewed_at": REVIEWED_AT, "version": 3}


def test_claims_of_another_organisation_are_never_touched(
        client: TestClient, session_factory: Any, redis: Any) -> None:
    with session_factory() as session:
        session.add(Organisation(id=OTHER, name="Other newsroom"))
        session.commit()
    theirs = process(session_factory, redis, org_id=OTHER)
    ours = process(session_factory, redis)
    untouched = only_claim(session_factory, theirs, OTHER)
    client.post("/v1/sources", json=REPORT)
    work(redis)
    assert only_claim(session_factory, theirs, OTHER) == untouched
    assert only_claim(session_factory, ours).evidence


def test_a_relink_over_the_bound_continues_in_follow_up_jobs(
        client: TestClient, session_factory: Any, redis: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    source_id = client.post("/v1/sources", json=REPORT).json()["id"]
    articles = [process(session_factory, redis) for _ in range(3)]
    monkeypatch.setenv("CLAIMDESK_RELINK_MAX_CLAIMS", "2")
    finished = FinishedJobRegistry(queue=Queue("claimdesk", connection=redis))
    earlier = set(finished.get_job_ids())
    client.delete(f"/v1/sources/{source_id}")
    queue = work(redis)
    relinks = [queue.fetch_job(job_id) for job_id in finished.get_job_ids()
               if job_id not in earlier]
    results = sorted((job.return_value() for job in relinks if job is not None),
                     key=lambda result: -result["claims"])
    assert [r["claims"] for r in results] == [2, 1]  # the first job queued the second
    for article_id in articles:
        assert only_claim(session_factory, article_id).evidence == []


def test_relinking_an_article_on_demand_is_done_by_the_worker(
        client: TestClient, session_factory: Any, redis: Any) -> None:
    article_id = process(session_factory, redis)
    response = client.post(f"/v1/articles/{article_id}/relink")
    assert response.status_code == 202
    work(redis)
    after = only_claim(session_factory, article_id)
    assert after.verification.linked_at is not None
    assert after.verification.linked_at >= datetime.fromisoformat(
        response.json()["linked_before"])
