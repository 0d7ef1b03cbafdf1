"""What the API and the workers count, kept in Redis so ``/metrics`` sees every process.

Workers are other processes (RQ forks a work horse for each job, often on other machines), so
an in-process Prometheus registry in the API would never see their work. Both sides write to
Redis instead: a counter is one hash field per label set (``HINCRBYFLOAT``), a histogram keeps
fixed buckets, a sum and a count the same way. The API's collector
(``service.api.metrics``) reads them back at each scrape, beside the gauges it computes then
(articles by state, queue depth, webhook deliveries by state).

The values are cluster-wide: every API replica answers the same figures, so scrape one (or
aggregate replicas with ``max``, not ``sum``). They live as long as Redis keeps its data;
Prometheus takes a reset of a counter (Redis emptied) in its stride. Recording never fails the
caller: when Redis does not answer, the figure is lost and a warning logged.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from redis import Redis
from redis.client import Pipeline
from redis.exceptions import RedisError

KEY_PREFIX = "claimdesk:metrics:"
log = logging.getLogger(__name__)

# Seconds: from a quick link (a few ms) to a slow parse of a long batch.
DURATION_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0,
                    120.0, 300.0)


@dataclass(frozen=True)
class Metric:
    """A counter (``buckets`` empty) or a histogram, exposed under ``name``."""

    name: str
    help: str
    labels: tuple[str, ...] = ()
    buckets: tuple[float, ...] = ()

    @property
    def key(self) -> str:
        return KEY_PREFIX + self.name


ARTICLES_RECEIVED = Metric(
    "claimdesk_articles_received",
    "Articles stored by the API (a replay of the same Idempotency-Key is not counted again).")
JOBS = Metric(
    "claimdesk_jobs",
    "Jobs the workers ran, by job function and outcome: succeeded, failed (no retry left) or "
    "retried (failed, a retry is scheduled).", ("job", "outcome"))
JOB_DURATION = Metric(
    "claimdesk_job_duration_seconds", "Wall time of one job, whatever its outcome.", ("job",),
    DURATION_BUCKETS)
STAGE_DURATION = Metric(
    "claimdesk_pipeline_stage_duration_seconds",
    "Time of a pipeline stage over one process_article job's batch: parse (spaCy) and extract "
    "(the claimdesk stages from sentences to claim records).", ("stage",), DURATION_BUCKETS)
PIPELINE_ARTICLES = Metric(
    "claimdesk_pipeline_articles", "Articles the pipeline ran over (batched jobs count each).")
LINK_DURATION = Metric(
    "claimdesk_link_duration_seconds",
    "Time to link one article's claims to evidence and assess them (search, re-ranking, "
    "assessment, storing), by job: link_article or relink_claims.", ("job",),
    DURATION_BUCKETS)
CLAIMS_LINKED = Metric(
    "claimdesk_claims_linked", "Claims linked to evidence, by job.", ("job",))
RECORDED = (ARTICLES_RECEIVED, JOBS, JOB_DURATION, STAGE_DURATION, PIPELINE_ARTICLES,
            LINK_DURATION, CLAIMS_LINKED)


def _field(metric: Metric, labels: dict[str, str]) -> str:
    if set(labels) != set(metric.labels):
        raise ValueError(f"{metric.name} takes labels {metric.labels}, not {tuple(labels)}")
    return "|".join(labels[name] for name in metric.labels)


@dataclass
class Recorder:
    """Counts and observations gathered for one write: ``flush`` sends them in one round trip."""

    counts: dict[tuple[str, str], float] = field(default_factory=dict)

    def increment(self, metric: Metric, amount: float = 1, **labels: str) -> None:
        key = (metric.key, _field(metric, labels))
        self.counts[key] = self.counts.get(key, 0) + amount

    def observe(self, metric: Metric, value: float, **labels: str) -> None:
        """One observation of a histogram: its bucket, its sum and its count."""
        base = _field(metric, labels)
        bucket = next((i for i, le in enumerate(metric.buckets) if value <= le),
                      len(metric.buckets))
        for suffix, amount in ((f"b{bucket}", 1.0), ("sum", value), ("count", 1.0)):
            key = (metric.key, f"{base}|{suffix}")
            self.counts[key] = self.counts.get(key, 0) + amount

    def flush(self, redis: Redis) -> None:
        """Write what was gathered; a Redis error is logged, never raised."""
        if not self.counts:
            return
        try:
            pipe = redis.pipeline(transaction=False)
            for (key, name), amount in self.counts.items():
                pipe.hincrbyfloat(key, name, amount)
            pipe.execute()
        except RedisError as exc:
            log.warning("metrics not recorded, Redis did not answer: %s", exc)
        self.counts.clear()


_CURRENT: ContextVar[Recorder | None] = ContextVar("claimdesk_metrics", default=None)


@contextmanager
def recording(redis: Redis | None) -> Iterator[Recorder]:
    """A recorder that ``current()`` returns inside, flushed to ``redis`` on leaving (also when
    the block raises); with no ``redis`` nothing is written."""
    recorder = Recorder()
    token = _CURRENT.set(recorder)
    try:
        yield recorder
    finally:
        _CURRENT.reset(token)
        if redis is not None:
            recorder.flush(redis)


def current() -> Recorder:
    """The recorder of the job running now; outside one, a recorder nobody flushes."""
    return _CURRENT.get() or Recorder()


def increment(redis: Redis, metric: Metric, amount: float = 1, **labels: str) -> None:
    """Count now (one Redis round trip)."""
    recorder = Recorder()
    recorder.increment(metric, amount, **labels)
    recorder.flush(redis)


def record_articles_received(redis: Redis, count: int = 1) -> None:
    """Count articles the API stored (new ones only, not Idempotency-Key replays)."""
    if count:
        increment(redis, ARTICLES_RECEIVED, count)


def count_articles_received(pipe: Pipeline, count: int = 1) -> None:
    """``record_articles_received`` as one more command in a pipeline of the caller's (the
    enqueue's round trip)."""
    pipe.hincrbyfloat(ARTICLES_RECEIVED.key, _field(ARTICLES_RECEIVED, {}), count)


def read_counter(redis: Redis, metric: Metric) -> dict[tuple[str, ...], float]:
    """Label values -> value of a counter, as Redis holds it."""
    return {_labels(name, metric): float(value)
            for name, value in _read(redis, metric).items()}


@dataclass
class HistogramValue:
    buckets: list[tuple[str, float]]  # cumulative counts: ("0.005", 3.0) ... ("+Inf", n)
    sum: float
    count: float


def read_histogram(redis: Redis, metric: Metric) -> dict[tuple[str, ...], HistogramValue]:
    """Label values -> cumulative buckets, sum and count of a histogram."""
    raw: dict[tuple[str, ...], dict[str, float]] = {}
    for name, value in _read(redis, metric).items():
        base, _, suffix = name.rpartition("|")
        raw.setdefault(_labels(base, metric), {})[suffix] = float(value)
    out = {}
    for labels, parts in raw.items():
        bounds = [*(_bound(le) for le in metric.buckets), "+Inf"]
        running, buckets = 0.0, []
        for index, bound in enumerate(bounds):
            running += parts.get(f"b{index}", 0.0)
            buckets.append((bound, running))
        out[labels] = HistogramValue(buckets, parts.get("sum", 0.0), parts.get("count", 0.0))
    return out


def _read(redis: Redis, metric: Metric) -> dict[str, Any]:
    raw: dict[Any, Any] = redis.hgetall(metric.key)  # type: ignore[assignment]
    return {(k.decode() if isinstance(k, bytes) else k): v for k, v in raw.items()}


def _labels(name: str, metric: Metric) -> tuple[str, ...]:
    return tuple(name.split("|")) if metric.labels else ()


def _bound(value: float) -> str:
    return repr(float(value))
