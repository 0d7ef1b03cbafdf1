"""Webhook deliveries through real RQ workers to a real HTTP endpoint: retries with backoff,
the delivery log, and Standard Webhooks signatures checked on the receiving side."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from redis import Redis
from rq import Queue, SimpleWorker
from standardwebhooks import Webhook as StandardWebhook
from standardwebhooks.webhooks import WebhookVerificationError

from service.app import create_app
from service.store import lifecycle, webhooks
from service.store.models import WebhookDelivery
from service.store.queue import (
    enqueue_process_article,
    queue_deliveries,
    webhook_job_exists,
)
from service.store.settings import Settings
from tests.conftest import bearer
from tests.factories import make_article, make_claim_record, store_claims
from tests.support.servers import free_port
from tests.support.webhook_receiver import Received, webhook_receiver

ORG = "org_default"


@pytest.fixture
def hook_settings(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Private targets allowed (the receiver is on 127.0.0.1), two retries 2 s then 4 s later;
    the env carries the same to the jobs."""
    values = {"webhook_allow_private": True, "webhook_retry_base": 2,
              "webhook_max_retries": 2, "webhook_timeout": 5.0}
    for name, value in values.items():
        monkeypatch.setenv(f"CLAIMDESK_{name.upper()}", str(value))
    return settings.model_copy(update=values)


def create_webhook(settings: Settings, make_key, url: str,
                   events: tuple[str, ...] = ("article.processed",)) -> dict:
    """Through the API, as a newsroom tool would."""
    with TestClient(create_app(settings)) as client:
        response = client.post("/v1/webhooks", json={"url": url, "events": list(events)},
                               headers=bearer(make_key("admin")))
    assert response.status_code == 201, response.text
    return response.json()


def emit(session_factory, settings: Settings, queue: Queue, event: str = "article.processed",
         data: dict | None = None) -> list[str]:
    """Record an event and queue its deliveries after the commit, as callers do."""
    with session_factory() as session:
        ids = webhooks.record_event(session, org_id=ORG, event=event,
                                    data=data or {"article_id": "art_1"})
        session.commit()
    assert queue_deliveries(queue, org_id=ORG, delivery_ids=ids, settings=settings) == len(ids)
    return ids


def work_until(queue: Queue, done: Callable[[], bool], timeout: float = 30.0) -> None:
    """Run burst workers that also move due retries out of RQ's scheduled registry, until
    ``done()``."""
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, "the deliveries did not finish in time"
        SimpleWorker([queue], connection=queue.connection).work(burst=True, with_scheduler=True)
        time.sleep(0.05)


def delivery(session_factory, delivery_id: str) -> WebhookDelivery:
    with session_factory() as session:
        row = session.get(WebhookDelivery, delivery_id)
        assert row is not None
        return row


def verify(secret: str, received: Received) -> dict:
    """The receiving side's check, with the standardwebhooks package."""
    payload: dict = StandardWebhook(secret).verify(received.body, received.headers)
    return payload


def test_a_target_failing_twice_gets_it_on_the_third_try_after_growing_waits(
        hook_settings, session_factory, redis, make_key) -> None:
    queue = Queue(hook_settings.queue_name, connection=redis)
    with webhook_receiver([500, 500, 204]) as receiver:
        hook = create_webhook(hook_settings, make_key, receiver.url)
        (delivery_id,) = emit(session_factory, hook_settings, queue,
                              data={"article_id": "art_1", "claim_count": 3})
        work_until(queue, lambda: delivery(session_factory, delivery_id).state != "pending")
    row = delivery(session_factory, delivery_id)
    assert row.state == "delivered" and row.delivered_at is not None
    assert [a["status_code"] for a in row.attempts] == [500, 500, 204]
    assert [a["error"] is None for a in row.attempts] == [False, False, True]
    arrivals = [r.at for r in receiver.requests]
    gaps = [later - earlier for earlier, later in zip(arrivals, arrivals[1:], strict=False)]
    assert len(gaps) == 2 and 1.0 < gaps[0] < gaps[1], gaps  # about 2 s, then about 4 s
    # every try is the same message: one id, the same bytes, signed at its own time
    assert {r.headers["webhook-id"] for r in receiver.requests} == {delivery_id}
    assert len({r.body for r in receiver.requests}) == 1
    for received in receiver.requests:
        assert verify(hook["secret"], received) == row.payload
        assert received.headers["content-type"] == "application/json"
        assert received.path == "/hook"
    assert row.payload["type"] == "article.processed"
    assert row.payload["data"] == {"article_id": "art_1", "claim_count": 3}


def test_the_delivery_log_api_shows_every_attempt(hook_settings, session_factory, redis,
                                                  make_key) -> None:
    queue = Queue(hook_settings.queue_name, connection=redis)
    with webhook_receiver([503, 200]) as receiver:
        hook = create_webhook(hook_settings, make_key, receiver.url,
                              events=("claim.verified",))
        (delivery_id,) = emit(session_factory, hook_settings, queue, event="claim.verified",
                              data={"claim_id": "clm_1"})
        work_until(queue, lambda: delivery(session_factory, delivery_id).state != "pending")
    with TestClient(create_app(hook_settings)) as client:
        page = client.get(f"/v1/webhooks/{hook['id']}/deliveries",
                          headers=bearer(make_key("admin"))).json()
    (item,) = page["items"]
    assert page["next_cursor"] is None
    assert item["id"] == delivery_id and item["state"] == "delivered"
    assert item["event"] == "claim.verified" and item["delivered_at"]
    assert [a["status_code"] for a in item["attempts"]] == [503, 200]
    assert "503" in item["attempts"][0]["error"] and item["attempts"][1]["error"] is None
    assert all(a["duration_ms"] >= 0 and a["at"] for a in item["attempts"])


def test_a_tampered_body_or_another_secret_fails_verification(hook_settings, session_factory,
                                                              redis, make_key) -> None:
    queue = Queue(hook_settings.queue_name, connection=redis)
    with webhook_receiver([204]) as receiver:
        hook = create_webhook(hook_settings, make_key, receiver.url)
        other = create_webhook(hook_settings, make_key, receiver.url + "/other")
        emit(session_factory, hook_settings, queue)
        SimpleWorker([queue], connection=redis).work(burst=True)
    mine = next(r for r in receiver.requests if r.path == "/hook")
    assert verify(hook["secret"], mine)["data"] == {"article_id": "art_1"}
    tampered = Received(mine.at, mine.path, mine.headers, mine.body.replace(b"art_1", b"art_2"))
    with pytest.raises(WebhookVerificationError):
        verify(hook["secret"], tampered)
    with pytest.raises(WebhookVerificationError):
        verify(other["secret"], mine)


def test_a_target_that_always_fails_ends_failed_after_the_retries(settings, session_factory,
                                                                  redis, make_key,
                                                                  monkeypatch) -> None:
    for name, value in {"ALLOW_PRIVATE": "true", "RETRY_BASE": "1", "MAX_RETRIES": "1"}.items():
        monkeypatch.setenv(f"CLAIMDESK_WEBHOOK_{name}", value)
    fast = settings.model_copy(update={"webhook_allow_private": True, "webhook_retry_base": 1,
                                       "webhook_max_retries": 1})
    queue = Queue(fast.queue_name, connection=redis)
    with webhook_receiver([500]) as receiver:
        create_webhook(fast, make_key, receiver.url)
        (delivery_id,) = emit(session_factory, fast, queue)
        work_until(queue, lambda: delivery(session_factory, delivery_id).state != "pending")
    row = delivery(session_factory, delivery_id)
    assert row.state == "failed" and row.delivered_at is None
    assert [a["status_code"] for a in row.attempts] == [500, 500]
    assert len(receiver.requests) == 2


def test_a_target_that_does_not_answer_is_retried_then_failed(settings, session_factory, redis,
                                                              make_key, monkeypatch) -> None:
    for name, value in {"ALLOW_PRIVATE": "true", "RETRY_BASE": "1", "MAX_RETRIES": "1"}.items():
        monkeypatch.setenv(f"CLAIMDESK_WEBHOOK_{name}", value)
    fast = settings.model_copy(update={"webhook_allow_private": True, "webhook_retry_base": 1,
                                       "webhook_max_retries": 1})
    queue = Queue(fast.queue_name, connection=redis)
    create_webhook(fast, make_key, f"http://127.0.0.1:{free_port()}/nobody-listens")
    (delivery_id,) = emit(session_factory, fast, queue)
    work_until(queue, lambda: delivery(session_factory, delivery_id).state != "pending")
    row = delivery(session_factory, delivery_id)
    assert row.state == "failed"
    assert [a["status_code"] for a in row.attempts] == [None, None]
    assert all("ConnectError" in a["error"] for a in row.attempts)


def test_the_address_is_checked_again_at_delivery_time(hook_settings, session_factory, redis,
                                                       make_key, monkeypatch) -> None:
    queue = Queue(hook_settings.queue_name, connection=redis)
    with webhook_receiver([204]) as receiver:
        create_webhook(hook_settings, make_key, receiver.url)  # allowed when created
        monkeypatch.setenv("CLAIMDESK_WEBHOOK_ALLOW_PRIVATE", "false")  # not any more
        (delivery_id,) = emit(session_factory, hook_settings, queue)
        SimpleWorker([queue], connection=redis).work(burst=True)
    row = delivery(session_factory, delivery_id)
    assert receiver.requests == []
    assert row.state == "failed" and len(row.attempts) == 1  # refused: not retried
    assert row.attempts[0]["status_code"] is None
    assert "loopback" in row.attempts[0]["error"]


def test_a_deleted_webhook_gets_nothing_more(hook_settings, session_factory, redis,
                                             make_key) -> None:
    queue = Queue(hook_settings.queue_name, connection=redis)
    with webhook_receiver([204]) as receiver:
        hook = create_webhook(hook_settings, make_key, receiver.url)
        (delivery_id,) = emit(session_factory, hook_settings, queue)
        with session_factory() as session:
            webhooks.delete_webhook(session, org_id=ORG, webhook_id=hook["id"])
            session.commit()
        SimpleWorker([queue], connection=redis).work(burst=True)
    assert receiver.requests == []
    assert delivery(session_factory, delivery_id).state == "failed"


def test_deliveries_stay_pending_when_redis_is_down_and_the_sweeper_queues_them(
        hook_settings, session_factory, redis, make_key) -> None:
    down = Queue("claimdesk", connection=Redis(port=free_port(), socket_connect_timeout=1))
    queue = Queue(hook_settings.queue_name, connection=redis)
    with webhook_receiver([204]) as receiver:
        hook = create_webhook(hook_settings, make_key, receiver.url)
        with session_factory() as session:
            ids = webhooks.record_event(session, org_id=ORG, event="article.processed",
                                        data={"article_id": "art_1"})
            session.commit()
        assert queue_deliveries(down, org_id=ORG, delivery_ids=ids,
                                settings=hook_settings) == 0
        assert delivery(session_factory, ids[0]).state == "pending"
        sweeper = lifecycle.Sweeper(session_factory, queue, interval=60,
                                    grace=timedelta(0), job_timeout=60,
                                    settings=hook_settings)
        sweeper.sweep()
        assert webhook_job_exists(queue, ids[0])
        sweeper.sweep()  # its job is in Redis now: not queued twice
        assert queue.count == 1
        SimpleWorker([queue], connection=redis).work(burst=True)
    assert delivery(session_factory, ids[0]).state == "delivered"
    assert len(receiver.requests) == 1
    assert verify(hook["secret"], receiver.requests[0])["type"] == "article.processed"


def test_processing_an_article_sends_article_processed(hook_settings, session_factory, redis,
                                                       make_key) -> None:
    queue = Queue(hook_settings.queue_name, connection=redis)
    with webhook_receiver([204]) as receiver:
        hook = create_webhook(hook_settings, make_key, receiver.url)
        create_webhook(hook_settings, make_key, receiver.url + "/verified-only",
                       events=("claim.verified",))
        with session_factory() as session:
            article = make_article(session, text="Exports rose 4 percent in 2023.")
            lifecycle.mark_enqueued(session, org_id=ORG, article_id=article.id)
            session.commit()
        enqueue_process_article(queue, org_id=ORG, article_id=article.id)
        SimpleWorker([queue], connection=redis).work(burst=True)
    (received,) = receiver.requests
    assert received.path == "/hook"
    payload = verify(hook["secret"], received)
    assert payload["type"] == "article.processed"
    assert payload["data"] == {"article_id": article.id, "state": "processed", "title": None,
                               "url": None, "claim_count": 1,
                               "location": f"/v1/articles/{article.id}"}
    assert json.loads(received.body) == payload


def test_verifying_a_claim_over_the_api_sends_claim_verified(hook_settings, session_factory,
                                                            redis, make_key) -> None:
    queue = Queue(hook_settings.queue_name, connection=redis)
    with session_factory() as session:
        article = make_article(session, text="Exports rose 4 percent in 2023.")
        store_claims(session, article, [make_claim_record("Exports rose 4 percent in 2023.", 0,
                                                          score=0.9, types=["quantity"])])
    with webhook_receiver([204]) as receiver:
        hook = create_webhook(hook_settings, make_key, receiver.url,
                              events=("claim.verified",))
        reviewer = bearer(make_key("reviewer"))
        with TestClient(create_app(hook_settings), headers=reviewer) as client:
            (claim,) = client.get("/v1/claims").json()["items"]
            etag = client.post(f"/v1/claims/{claim['id']}/assign").headers["ETag"]
            client.patch(f"/v1/claims/{claim['id']}", json={"rationale": "draft"},
                         headers={"If-Match": etag})  # no event: not verified
            etag = client.get(f"/v1/claims/{claim['id']}").headers["ETag"]
            done = client.patch(f"/v1/claims/{claim['id']}",
                                json={"state": "verified", "verdict": "mostly_true"},
                                headers={"If-Match": etag})
            assert done.status_code == 200, done.text
        work_until(queue, lambda: len(receiver.requests) >= 1)
    (received,) = receiver.requests
    payload = verify(hook["secret"], received)
    assert payload["type"] == "claim.verified"
    assert payload["data"]["claim_id"] == claim["id"]
    assert payload["data"]["verdict"] == "mostly_true" and payload["data"]["version"] == 4
