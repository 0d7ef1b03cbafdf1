"""A ``process_article`` job (one forked work horse) goes on with more batches while queued
articles remain, within ``articles_per_job`` and half the shutdown grace; a later batch that
fails goes back to the queue, its jobs sent again."""

from __future__ import annotations

from typing import Any

import pytest
from rq import Queue, SimpleWorker

from service.store import articles, claims, lifecycle
from service.store.queue import enqueue_process_article, process_article_job_id
from tests.factories import make_article

ORG = "org_default"


def queued_articles(session_factory, count: int) -> list[str]:
    """``count`` articles stored and marked sent, oldest first, each with one figure."""
    with session_factory() as session:
        ids = [make_article(session, text=f"Exports rose {n + 1} percent in 2023.").id
               for n in range(count)]
        for article_id in ids:
            lifecycle.mark_enqueued(session, org_id=ORG, article_id=article_id)
        session.commit()
    return ids


def send_jobs(redis, ids: list[str]) -> Queue:
    queue = Queue("claimdesk", connection=redis)
    for article_id in ids:
        enqueue_process_article(queue, org_id=ORG, article_id=article_id)
    return queue


def batch_of(queue: Queue, article_id: str) -> Any:
    job = queue.fetch_job(process_article_job_id(article_id))
    assert job is not None
    return job.return_value().get("batch")


def states(session_factory, ids: list[str]) -> list[str]:
    with session_factory() as session:
        return [articles.get_article(session, org_id=ORG, article_id=a).state for a in ids]


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMDESK_BATCH_SIZE", "2")
    monkeypatch.setenv("CLAIMDESK_ARTICLES_PER_JOB", "5")


def test_one_job_extracts_batch_after_batch_up_to_articles_per_job(
        session_factory, redis, small_batches: None) -> None:
    ids = queued_articles(session_factory, 7)
    queue = send_jobs(redis, ids)
    SimpleWorker([queue], connection=redis).work(burst=True)
    assert batch_of(queue, ids[0]) == ids[:5]
    assert batch_of(queue, ids[5]) == ids[5:]
    assert states(session_factory, ids) == ["processed"] * 7
    with session_factory() as session:
        for n, article_id in enumerate(ids, start=1):
            page = claims.list_article_claims(session, org_id=ORG, article_id=article_id)
            assert [s.normalized["value"] for c in page.items for s in c.spans
                    if s.kind == "quantity"] == [float(n)]


def test_no_batch_is_started_once_half_the_shutdown_grace_has_passed(
        session_factory, redis, small_batches: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMDESK_SHUTDOWN_GRACE", "0")
    ids = queued_articles(session_factory, 3)
    queue = send_jobs(redis, ids)
    SimpleWorker([queue], connection=redis).work(burst=True)
    assert batch_of(queue, ids[0]) == ids[:2]
    assert batch_of(queue, ids[2]) == ids[2:]


def test_a_later_batch_that_fails_is_queued_again_with_its_jobs(
        session_factory, redis, small_batches: None, monkeypatch: pytest.MonkeyPatch) -> None:
    from workers import jobs

    extract = jobs._extract_batch
    calls = []

    def second_batch_fails(*args: Any, **kwargs: Any) -> None:
        calls.append(kwargs["batch"])
        if len(calls) == 2:
            raise RuntimeError("the parser gave up")
        extract(*args, **kwargs)

    ids = queued_articles(session_factory, 4)
    queue = send_jobs(redis, ids[:1])  # the others' jobs already ran and found them leased
    monkeypatch.setattr(jobs, "_extract_batch", second_batch_fails)
    SimpleWorker([queue], connection=redis).work(burst=True, max_jobs=1)
    assert batch_of(queue, ids[0]) == ids[:2]
    assert states(session_factory, ids[2:]) == ["queued", "queued"]
    sent = {job.kwargs["article_id"] for job in queue.get_jobs()
            if job.func_name == "workers.jobs.process_article"}
    assert sent == set(ids[2:])
    monkeypatch.setattr(jobs, "_extract_batch", extract)
    SimpleWorker([queue], connection=redis).work(burst=True)
    assert states(session_factory, ids) == ["processed"] * 4
