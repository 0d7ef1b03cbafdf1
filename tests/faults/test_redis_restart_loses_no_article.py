"""Redis restarted (its data gone) while articles wait in the queue: none is lost, because the
sweeper sends again every article the database holds as queued whose job Redis lost."""

from __future__ import annotations

import pytest
import redis as redis_lib
from fastapi.testclient import TestClient
from rq import Queue, SimpleWorker

from service.app import create_app
from service.store import articles
from service.store.queue import process_article_job_id
from tests.conftest import bearer
from tests.support.processes import wait_for
from tests.support.servers import free_port, throwaway_redis

pytestmark = pytest.mark.timeout(90)
TEXTS = ["Exports fell 4 percent in March, the ministry said.",
         "The council approved a budget of $12 million on Tuesday.",
         "Unemployment rose to 5.1 percent in 2023, official figures show."]


def test_articles_queued_before_a_redis_restart_are_sent_again_and_processed(
        settings, session_factory, make_key, monkeypatch) -> None:
    port = free_port()
    swept = settings.model_copy(update={"redis_url": f"redis://127.0.0.1:{port}/0",
                                        "sweep_interval": 0.2, "sweep_grace_seconds": 0})
    monkeypatch.setenv("REDIS_URL", swept.redis_url or "")  # the jobs' own settings
    with throwaway_redis(port=port) as url:
        with TestClient(create_app(swept), headers=bearer(make_key())) as client:
            ids = [client.post("/v1/articles", json={"text": text}).json()["id"]
                   for text in TEXTS]
            queue = Queue(swept.queue_name, connection=redis_lib.Redis.from_url(url))
            assert sorted(queue.job_ids) == sorted(process_article_job_id(i) for i in ids)
    # The same port, a new and empty Redis: the jobs are gone, the articles are not.
    with throwaway_redis(port=port) as url:
        connection = redis_lib.Redis.from_url(url)
        assert connection.dbsize() == 0
        queue = Queue(swept.queue_name, connection=connection)
        with TestClient(create_app(swept)):
            wait_for(lambda: len(queue.job_ids) == len(ids), timeout=20,
                     what="the sweeper did not send the queued articles again")
        assert sorted(queue.job_ids) == sorted(process_article_job_id(i) for i in ids)
        SimpleWorker([queue], connection=connection).work(burst=True)
    with session_factory() as session:
        states = {i: articles.get_article(session, org_id="org_default", article_id=i).state
                  for i in ids}
    assert set(states.values()) == {"processed"}, states
