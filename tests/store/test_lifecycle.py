"""The lifecycle's sweeper: nothing accepted is lost when Redis was away or lost its jobs."""

from __future__ import annotations

import shutil
import time
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from rq import Queue

from service.app import create_app
from service.store import articles, lifecycle
from service.store.clock import utcnow
from service.store.lifecycle import resend_stale
from service.store.queue import enqueue_process_article
from tests.conftest import bearer
from tests.factories import make_article
from tests.support.servers import free_port, throwaway_redis


def queued_ids(redis) -> list[str]:
    return Queue("claimdesk", connection=redis).job_ids


def test_sweeper_enqueues_an_article_whose_enqueue_failed(session_factory, redis) -> None:
    with session_factory() as session:
        article = make_article(session)
    with session_factory() as session:
        sent = resend_stale(session_factory, Queue("claimdesk", connection=redis),
                          grace=timedelta(0))
        assert sent == 1
        assert articles.get_article(session, org_id="org_default",
                                    article_id=article.id).enqueued_at is not None
    assert queued_ids(redis) == [f"process-article-{article.id}"]


def test_sweeper_leaves_articles_whose_job_is_still_queued(session_factory, redis) -> None:
    queue = Queue("claimdesk", connection=redis)
    with session_factory() as session:
        article = make_article(session)
        enqueue_process_article(queue, org_id="org_default", article_id=article.id)
        lifecycle.mark_enqueued(session, org_id="org_default", article_id=article.id)
        session.commit()
    assert resend_stale(session_factory, queue, grace=timedelta(0)) == 0
    assert len(queue) == 1


def test_sweeper_requeues_an_article_whose_job_redis_lost(session_factory, redis) -> None:
    queue = Queue("claimdesk", connection=redis)
    with session_factory() as session:
        article = make_article(session)
        article.enqueued_at = utcnow() - timedelta(minutes=10)
        session.commit()
    assert resend_stale(session_factory, queue, grace=timedelta(minutes=1)) == 1
    assert queue.job_ids == [f"process-article-{article.id}"]


def test_sweeper_waits_out_the_grace_period(session_factory, redis) -> None:
    with session_factory() as session:
        make_article(session)
    queue = Queue("claimdesk", connection=redis)
    assert resend_stale(session_factory, queue, grace=timedelta(minutes=5)) == 0
    assert len(queue) == 0


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs a redis-server binary")
def test_article_posted_while_redis_is_down_is_queued_once_redis_answers(settings,
                                                                         session_factory,
                                                                         make_key) -> None:
    port = free_port()
    down = settings.model_copy(update={"redis_url": f"redis://127.0.0.1:{port}/0",
                                       "sweep_interval": 0.2, "sweep_grace_seconds": 0})
    with TestClient(create_app(down), headers=bearer(make_key())) as client:
        response = client.post("/v1/articles", json={"text": "Exports fell 4 percent in March."})
        assert response.status_code == 202
        article_id = response.json()["id"]
        with throwaway_redis(port=port) as url:
            import redis as redis_lib

            connection = redis_lib.Redis.from_url(url)
            deadline = time.monotonic() + 15
            while not Queue("claimdesk", connection=connection).job_ids:
                assert time.monotonic() < deadline, "sweeper never enqueued the article"
                time.sleep(0.1)
            assert Queue("claimdesk", connection=connection).job_ids == [
                f"process-article-{article_id}"
            ]
