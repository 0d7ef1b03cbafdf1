"""Enqueueing policy: one helper per job, naming the job by its dotted path.

The service never imports the pipeline; it names ``workers.jobs.process_article``. Job
arguments are plain JSON values (a relink job's scope is ``schemas.relink.RelinkScope``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from redis import Redis
from redis.client import Pipeline
from redis.exceptions import RedisError
from rq import Callback, Queue, Retry
from rq.job import Job

from schemas.relink import RelinkScope
from service.logs import current_request_id
from service.store.ids import new_id
from service.store.settings import Settings

PROCESS_ARTICLE = "workers.jobs.process_article"
PROCESS_ARTICLE_FAILED = "workers.jobs.on_process_article_failure"
LINK_ARTICLE = "workers.jobs.link_article"
RELINK_CLAIMS = "workers.jobs.relink_claims"
RETRY_INTERVALS = [10, 60, 300]
DELIVER_WEBHOOK = "workers.jobs.deliver_webhook"
DELIVER_WEBHOOK_FAILED = "workers.jobs.on_deliver_webhook_failure"
log = logging.getLogger(__name__)


def connect_redis(url: str) -> Redis:
    """A client that fails fast when Redis is away, so a POST is never held up by it."""
    return Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)


def make_queue(settings: Settings, connection: Redis) -> Queue:
    return Queue(settings.queue_name, connection=connection)


def process_article_job_id(article_id: str) -> str:
    return f"process-article-{article_id}"


def _policy(job_timeout: int) -> dict[str, Any]:
    """What every job shares: 3 tries with backoff, a timeout, a week to look at a failure."""
    return {"retry": Retry(max=3, interval=RETRY_INTERVALS), "job_timeout": job_timeout,
            "failure_ttl": 7 * 24 * 3600, "result_ttl": 3600}


def _meta(request_id: str | None = None) -> dict[str, Any]:
    """Job meta: the request id the job's logs carry (``service.logs``), when there is one."""
    request_id = request_id or current_request_id()
    return {"request_id": request_id} if request_id else {}


def _enqueue_article_job(queue: Queue, func: str, job_id: str, *, org_id: str,
                         article_id: str, job_timeout: int,
                         request_id: str | None = None,
                         also: Callable[[Pipeline], object] | None = None) -> Job:
    """An article job: the shared policy, a stable id, and a callback that marks it failed.

    Sent in one Redis round trip (RQ's own enqueue without a pipeline takes two); ``also``
    adds commands of the caller's (a metric) to the same round trip."""
    with queue.connection.pipeline() as pipe:
        job = queue.enqueue(
            func,
            kwargs={"article_id": article_id, "org_id": org_id},
            job_id=job_id,
            on_failure=Callback(PROCESS_ARTICLE_FAILED),
            meta=_meta(request_id),
            pipeline=pipe,
            **_policy(job_timeout),
        )
        if also is not None:
            also(pipe)
        pipe.execute()
    return job


def enqueue_process_article(queue: Queue, *, org_id: str, article_id: str,
                            job_timeout: int = 600,
                            also: Callable[[Pipeline], object] | None = None) -> Job:
    """Queue claim extraction of one article (``also``: more commands in the same round trip)."""
    return _enqueue_article_job(queue, PROCESS_ARTICLE, process_article_job_id(article_id),
                                org_id=org_id, article_id=article_id, job_timeout=job_timeout,
                                also=also)


def link_article_job_id(article_id: str) -> str:
    return f"link-article-{article_id}"


def enqueue_link_article(queue: Queue, *, org_id: str, article_id: str,
                         job_timeout: int = 600) -> Job:
    """Queue evidence linking of an article's stored claims, under the request id of the
    article's own extraction job (a batch job extracts other articles than its own)."""
    return _enqueue_article_job(queue, LINK_ARTICLE, link_article_job_id(article_id),
                                org_id=org_id, article_id=article_id, job_timeout=job_timeout,
                                request_id=_article_request_id(queue, article_id))


def _article_request_id(queue: Queue, article_id: str) -> str | None:
    job = queue.fetch_job(process_article_job_id(article_id))
    meta = job.meta if job is not None else None
    return meta.get("request_id") if isinstance(meta, dict) else None


def enqueue_relink_claims(queue: Queue, *, org_id: str, scope: RelinkScope,
                          job_timeout: int = 600) -> Job:
    """Queue linking again of the organisation's claims in ``scope`` (a new job id each time:
    two changes are two jobs, and ``scope.linked_before`` keeps them from doing a claim twice)."""
    return queue.enqueue(
        RELINK_CLAIMS,
        kwargs={"org_id": org_id, "scope": scope.model_dump(mode="json", exclude_none=True)},
        job_id=new_id("relink"),
        meta=_meta(),
        **_policy(job_timeout),
    )


def job_is_pending(queue: Queue, article_id: str) -> bool:
    """True when Redis still holds one of the article's jobs (queued, scheduled, running)."""
    for job_id in (process_article_job_id(article_id), link_article_job_id(article_id)):
        job = queue.fetch_job(job_id)
        if job is not None and job.get_status(refresh=True) not in (
            "finished", "failed", "canceled", "stopped"
        ):
            return True
    return False


def webhook_job_id(delivery_id: str) -> str:
    return f"webhook-{delivery_id}"


def webhook_retry_intervals(settings: Settings) -> list[int]:
    """Seconds before each retry: ``webhook_retry_base``, doubled for each next one."""
    return [settings.webhook_retry_base * 2**i for i in range(settings.webhook_max_retries)]


def enqueue_webhook_delivery(queue: Queue, *, org_id: str, delivery_id: str,
                             settings: Settings) -> Job:
    """Queue one webhook delivery: ``webhook_max_retries`` retries with exponential backoff
    (they wait in RQ's scheduled registry: workers run the scheduler), a callback that marks
    the delivery failed once none is left."""
    intervals = webhook_retry_intervals(settings)
    return queue.enqueue(
        DELIVER_WEBHOOK,
        kwargs={"delivery_id": delivery_id, "org_id": org_id},
        job_id=webhook_job_id(delivery_id),
        retry=Retry(max=len(intervals), interval=intervals) if intervals else None,
        on_failure=Callback(DELIVER_WEBHOOK_FAILED),
        meta=_meta(),
        job_timeout=int(settings.webhook_timeout * 4) + 30,
        failure_ttl=7 * 24 * 3600,
        result_ttl=3600,
    )


def queue_deliveries(queue: Queue, *, org_id: str, delivery_ids: Sequence[str],
                     settings: Settings) -> int:
    """Queue deliveries recorded in a committed transaction; how many were queued.

    When Redis is away this logs and returns: the deliveries stay ``pending`` and the sweeper
    queues them later (``service.store.webhooks.resend_pending_deliveries``).
    """
    queued = 0
    for delivery_id in delivery_ids:
        try:
            enqueue_webhook_delivery(queue, org_id=org_id, delivery_id=delivery_id,
                                     settings=settings)
        except RedisError as exc:
            log.warning("could not queue webhook delivery %s, the sweeper will retry: %s",
                        delivery_id, exc)
            break
        queued += 1
    return queued


def webhook_job_exists(queue: Queue, delivery_id: str) -> bool:
    """True when Redis holds the delivery's job, in any state (a retry waiting included)."""
    return queue.fetch_job(webhook_job_id(delivery_id)) is not None
