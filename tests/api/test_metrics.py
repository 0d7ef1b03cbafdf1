"""``/metrics`` scraped after real jobs ran: what the API and the workers recorded, the queue
and the database, in Prometheus text format, with no key."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from rq import Queue, SimpleWorker

from service.app import create_app
from service.store.queue import enqueue_process_article
from service.store.settings import Settings
from tests.conftest import bearer
from tests.support.webhook_receiver import webhook_receiver

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape(client: TestClient) -> Samples:
    response = client.get("/metrics")  # no Authorization header
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(response.text)
            for s in family.samples}


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples[(name, tuple(sorted(labels.items())))]


@pytest.fixture
def hook_settings(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Webhooks to the local receiver allowed, here and in the jobs."""
    monkeypatch.setenv("CLAIMDESK_WEBHOOK_ALLOW_PRIVATE", "true")
    return settings.model_copy(update={"webhook_allow_private": True})


def test_metrics_after_an_article_is_processed(hook_settings: Settings, session_factory,
                                               redis, make_key: Callable[..., str]) -> None:
    queue = Queue(hook_settings.queue_name, connection=redis)
    admin = bearer(make_key("admin"))
    with TestClient(create_app(hook_settings)) as client, webhook_receiver([204]) as receiver:
        assert client.post("/v1/webhooks", headers=admin, json={
            "url": receiver.url, "events": ["article.processed"]}).status_code == 201
        body = {"text": "Clearview AI built a database of more than 3 billion images."}
        headers = {**admin, "Idempotency-Key": "metrics-1"}
        for _ in range(2):  # the replay is the same article: received once
            assert client.post("/v1/articles", json=body, headers=headers).status_code == 202
        before = scrape(client)
        SimpleWorker([queue], connection=redis).work(burst=True)
        after = scrape(client)
    assert len(receiver.requests) == 1

    assert value(before, "claimdesk_queue_depth") == 1
    assert value(before, "claimdesk_queue_oldest_age_seconds") >= 0
    assert value(before, "claimdesk_articles", state="queued") == 1
    assert value(after, "claimdesk_articles_received_total") == 1
    assert value(after, "claimdesk_articles", state="processed") == 1
    assert value(after, "claimdesk_articles", state="queued") == 0
    for job in ("process_article", "link_article", "deliver_webhook"):
        assert value(after, "claimdesk_jobs_total", job=job, outcome="succeeded") == 1
        assert value(after, "claimdesk_job_duration_seconds_count", job=job) == 1
    for stage in ("parse", "extract"):
        assert value(after, "claimdesk_pipeline_stage_duration_seconds_count", stage=stage) == 1
        assert value(after, "claimdesk_pipeline_stage_duration_seconds_sum", stage=stage) > 0
    assert value(after, "claimdesk_pipeline_articles_total") == 1
    assert value(after, "claimdesk_link_duration_seconds_count", job="link_article") == 1
    assert value(after, "claimdesk_link_duration_seconds_bucket", job="link_article",
                 le="+Inf") == 1
    assert value(after, "claimdesk_claims_linked_total", job="link_article") >= 1
    assert value(after, "claimdesk_queue_depth") == 0
    assert value(after, "claimdesk_queue_oldest_age_seconds") == 0
    assert value(after, "claimdesk_queue_jobs", state="failed") == 0
    assert value(after, "claimdesk_webhook_deliveries", state="delivered") == 1
    assert value(after, "claimdesk_webhook_deliveries", state="pending") == 0
    assert value(after, "claimdesk_metrics_source_up", source="database") == 1
    assert value(after, "claimdesk_metrics_source_up", source="redis") == 1


def test_a_job_that_fails_with_retries_left_counts_as_retried(settings: Settings, redis,
                                                             session_factory) -> None:
    queue = Queue(settings.queue_name, connection=redis)
    enqueue_process_article(queue, org_id="org_default", article_id="art_missing")
    SimpleWorker([queue], connection=redis).work(burst=True)  # no scheduler: the retry waits
    with TestClient(create_app(settings)) as client:
        samples = scrape(client)
    assert value(samples, "claimdesk_jobs_total", job="process_article", outcome="retried") == 1
    assert ("claimdesk_jobs_total", (("job", "process_article"), ("outcome", "failed"))) \
        not in samples
    assert value(samples, "claimdesk_queue_jobs", state="scheduled") == 1


def test_metrics_say_when_redis_does_not_answer(settings: Settings, session_factory) -> None:
    down = settings.model_copy(update={"redis_url": "redis://127.0.0.1:1/0"})
    with TestClient(create_app(down)) as client:
        samples = scrape(client)
    assert value(samples, "claimdesk_metrics_source_up", source="redis") == 0
    assert value(samples, "claimdesk_metrics_source_up", source="database") == 1
    assert value(samples, "claimdesk_articles", state="processed") == 0


def test_articles_received_counts_batch_items_stored_once(settings: Settings, session_factory,
                                                          redis, make_key) -> None:
    batch = {"articles": [{"text": "Exports rose 4 percent in 2023.", "idempotency_key": "b-1"},
                          {"text": "Imports fell 2 percent in 2023."},
                          {"text": ""}]}  # refused: not received
    with TestClient(create_app(settings)) as client:
        for _ in range(2):  # the replay stores only the item without a key again
            response = client.post("/v1/articles/batch", json=batch,
                                   headers=bearer(make_key("submitter")))
            assert response.status_code == 202, response.text
        samples = scrape(client)
    assert value(samples, "claimdesk_articles_received_total") == 3
    assert value(samples, "claimdesk_articles", state="queued") == 3
    assert value(samples, "claimdesk_queue_depth") == 3
