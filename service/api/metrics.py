"""``/metrics``: Prometheus text exposition, no key needed (like ``/healthz``).

Everything is read at scrape time, so it covers every process and machine: what the API and
the workers recorded in Redis (``service.metrics``: articles received, jobs by outcome, stage,
job and link durations), the queue as RQ holds it, and counts from the database (articles by
state, webhook deliveries by state). ``claimdesk_metrics_source_up`` says when the database or
Redis did not answer (their figures are then left out of that scrape).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request, Response
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.registry import Collector
from redis.exceptions import RedisError
from rq import Queue, Worker
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from service import metrics
from service.store.stats import count_articles_by_state, count_deliveries_by_state

router = APIRouter(tags=["health"])
log = logging.getLogger(__name__)


@router.get("/metrics", response_class=Response, responses={200: {
    "content": {"text/plain": {"schema": {"type": "string"}}},
    "description": "Prometheus text exposition format."}})
def read_metrics(request: Request) -> Response:
    """Counters, histograms and gauges of the whole deployment, for Prometheus."""
    state = request.app.state
    collector = DeploymentCollector(state.session_factory, state.queue)
    return Response(generate_latest(collector), media_type=CONTENT_TYPE_LATEST)


class DeploymentCollector(Collector):
    """Builds every family at each ``collect``, from Redis and the database."""

    def __init__(self, session_factory: sessionmaker[Session], queue: Queue) -> None:
        self.session_factory = session_factory
        self.queue = queue

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("claimdesk_metrics_source_up", "1 when the source answered this "
                               "scrape, 0 when its figures are missing.", labels=["source"])
        families: list[Metric] = []
        try:
            families += self._database()
            up.add_metric(["database"], 1)
        except SQLAlchemyError as exc:
            log.warning("metrics: the database did not answer: %s", exc)
            up.add_metric(["database"], 0)
        try:
            families += self._recorded() + self._queue()
            up.add_metric(["redis"], 1)
        except RedisError as exc:
            log.warning("metrics: Redis did not answer: %s", exc)
            up.add_metric(["redis"], 0)
        yield from families
        yield up

    def _database(self) -> list[Metric]:
        with self.session_factory() as session:
            articles = count_articles_by_state(session)
            deliveries = count_deliveries_by_state(session)
        by_state = GaugeMetricFamily("claimdesk_articles", "Articles stored, by state (queued, "
                                     "processing, processed, failed).", labels=["state"])
        for name, count in articles.items():
            by_state.add_metric([name], count)
        hooks = GaugeMetricFamily("claimdesk_webhook_deliveries", "Webhook deliveries stored, "
                                  "by state (pending, delivered, failed).", labels=["state"])
        for name, count in deliveries.items():
            hooks.add_metric([name], count)
        return [by_state, hooks]

    def _recorded(self) -> list[Metric]:
        redis = self.queue.connection
        families: list[Metric] = []
        for metric in metrics.RECORDED:
            if metric.buckets:
                histogram = HistogramMetricFamily(metric.name, metric.help,
                                                  labels=list(metric.labels))
                for labels, value in sorted(metrics.read_histogram(redis, metric).items()):
                    histogram.add_metric(list(labels), value.buckets, value.sum)
                families.append(histogram)
            else:
                counter = CounterMetricFamily(metric.name, metric.help,
                                              labels=list(metric.labels))
                for labels, count in sorted(metrics.read_counter(redis, metric).items()):
                    counter.add_metric(list(labels), count)
                families.append(counter)
        return families

    def _queue(self) -> list[Metric]:
        queue = self.queue
        depth = GaugeMetricFamily("claimdesk_queue_depth", "Jobs waiting in the RQ queue.",
                                  value=queue.count)
        oldest = GaugeMetricFamily("claimdesk_queue_oldest_age_seconds", "Age of the job "
                                   "waiting longest in the queue (0 when it is empty).",
                                   value=_oldest_age(queue))
        held = GaugeMetricFamily("claimdesk_queue_jobs", "Jobs RQ holds outside the queue: "
                                 "started (running), scheduled (a retry waiting), deferred, "
                                 "failed (kept a week).", labels=["state"])
        for name, registry in (("started", queue.started_job_registry),
                               ("scheduled", queue.scheduled_job_registry),
                               ("deferred", queue.deferred_job_registry),
                               ("failed", queue.failed_job_registry)):
            # No cleanup: cleaning would run job callbacks, which belong to the workers.
            held.add_metric([name], registry.get_job_count(cleanup=False))
        workers = GaugeMetricFamily("claimdesk_workers", "RQ workers registered on the queue, "
                                    "on any machine.",
                                    value=Worker.count(connection=queue.connection, queue=queue))
        return [depth, oldest, held, workers]


def _oldest_age(queue: Queue) -> float:
    for job_id in queue.get_job_ids(0, 1):
        job = queue.fetch_job(job_id)
        enqueued: Any = job.enqueued_at if job is not None else None
        if isinstance(enqueued, datetime):
            if enqueued.tzinfo is None:
                enqueued = enqueued.replace(tzinfo=UTC)
            return max(0.0, (datetime.now(UTC) - enqueued).total_seconds())
    return 0.0
