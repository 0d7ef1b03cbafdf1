"""process_article through a real RQ queue and worker, against the real database."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from rq import Queue, SimpleWorker
from sqlalchemy import select

from service.store import articles, claims
from service.store.models import Article, Claim
from service.store.queue import enqueue_process_article, process_article_job_id
from tests.factories import make_article

ORG = "org_default"


def run_worker(redis) -> None:
    queue = Queue("claimdesk", connection=redis)
    SimpleWorker([queue], connection=redis).work(burst=True)


def test_process_article_stores_claims_with_exact_offsets(session_factory, redis) -> None:
    with session_factory() as session:
        article = make_article(session, published_at=datetime(2020, 5, 20, tzinfo=UTC))
    enqueue_process_article(Queue("claimdesk", connection=redis), org_id=ORG,
                            article_id=article.id)
    run_worker(redis)
    with session_factory() as session:
        stored = articles.get_article(session, org_id=ORG, article_id=article.id)
        assert stored.state == "processed" and stored.processed_at is not None
        page = claims.list_article_claims(session, org_id=ORG, article_id=article.id)
    assert page.items, "the Krishna article has checkable claims"
    for claim in page.items:
        assert stored.text[claim.start : claim.end] == claim.text
        for span in claim.spans:
            assert stored.text[span.start : span.end] == span.text
    quantities = [s for c in page.items for s in c.spans if s.kind == "quantity"]
    assert any(s.text.endswith("3 billion images") and s.normalized["value"] == 3e9
               for s in quantities)


def test_process_article_twice_replaces_claims_instead_of_adding(session_factory,
                                                                 redis) -> None:
    from workers.jobs import process_article

    with session_factory() as session:
        article = make_article(session)
    process_article(article_id=article.id, org_id=ORG)
    with session_factory() as session:
        first = session.scalars(select(Claim.text).where(Claim.article_id == article.id)).all()
        session.get(Article, article.id).state = "queued"  # type: ignore[union-attr]
        session.commit()
    process_article(article_id=article.id, org_id=ORG)
    with session_factory() as session:
        second = session.scalars(select(Claim.text).where(Claim.article_id == article.id)).all()
    assert first and sorted(first) == sorted(second)


def test_article_with_no_text_fails_permanently_with_a_reason(session_factory, redis) -> None:
    with session_factory() as session:
        article = make_article(session)
        article.text = "   "
        session.commit()
    enqueue_process_article(Queue("claimdesk", connection=redis), org_id=ORG,
                            article_id=article.id)
    run_worker(redis)
    with session_factory() as session:
        stored = articles.get_article(session, org_id=ORG, article_id=article.id)
    assert stored.state == "failed" and "no text" in (stored.failure_reason or "")


def test_job_that_keeps_failing_marks_the_article_failed_after_the_last_try(
    session_factory, redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workers import jobs

    jobs._pipeline.cache_clear()
    monkeypatch.setenv("CLAIMDESK_SPACY_MODEL", "no_such_model_package")
    with session_factory() as session:
        article = make_article(session)
    queue = Queue("claimdesk", connection=redis)
    job = enqueue_process_article(queue, org_id=ORG, article_id=article.id)
    job.retries_left = 0
    job.save()
    run_worker(redis)
    jobs._pipeline.cache_clear()
    with session_factory() as session:
        stored = articles.get_article(session, org_id=ORG, article_id=article.id)
    assert stored.state == "failed"
    assert "no_such_model_package" in (stored.failure_reason or "")
    assert queue.fetch_job(process_article_job_id(article.id)).is_failed  # type: ignore[union-attr]


def test_failed_try_with_retries_left_is_scheduled_again(session_factory, redis,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from workers import jobs

    jobs._pipeline.cache_clear()
    monkeypatch.setenv("CLAIMDESK_SPACY_MODEL", "no_such_model_package")
    with session_factory() as session:
        article = make_article(session)
    queue = Queue("claimdesk", connection=redis)
    enqueue_process_article(queue, org_id=ORG, article_id=article.id)
    run_worker(redis)
    jobs._pipeline.cache_clear()
    job = queue.fetch_job(process_article_job_id(article.id))
    assert job is not None and job.get_status() == "scheduled" and job.retries_left == 2
    with session_factory() as session:
        assert articles.get_article(session, org_id=ORG, article_id=article.id).state != "failed"
