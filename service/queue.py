"""Enqueueing policy: one helper per job, naming the job by its dotted path.

The service never imports the pipeline; it names ``workers.jobs.process_article``.
"""

from __future__ import annotations

from redis import Redis
from rq import Callback, Queue, Retry
from rq.job import Job

from service.config import Settings

PROCESS_ARTICLE = "workers.jobs.process_article"
PROCESS_ARTICLE_FAILED = "workers.jobs.on_process_article_failure"
LINK_ARTICLE = "workers.jobs.link_article"
RETRY_INTERVALS = [10, 60, 300]


def connect_redis(url: str) -> Redis:
    """A client that fails fast when Redis is away, so a POST is never held up by it."""
    return Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)


def make_queue(settings: Settings, connection: Redis) -> Queue:
    return Queue(settings.queue_name, connection=connection)


def process_article_job_id(article_id: str) -> str:
    return f"process-article-{article_id}"


def enqueue_process_article(queue: Queue, *, org_id: str, article_id: str,
                            job_timeout: int = 600) -> Job:
    """Queue extraction of one article: 3 tries with backoff, a stable job id."""
    return queue.enqueue(
        PROCESS_ARTICLE,
        kwargs={"article_id": article_id, "org_id": org_id},
        job_id=process_article_job_id(article_id),
        retry=Retry(max=3, interval=RETRY_INTERVALS),
        job_timeout=job_timeout,
        failure_ttl=7 * 24 * 3600,
        result_ttl=3600,
        on_failure=Callback(PROCESS_ARTICLE_FAILED),
    )


def link_article_job_id(article_id: str) -> str:
    return f"link-article-{article_id}"


def enqueue_link_article(queue: Queue, *, org_id: str, article_id: str,
                         job_timeout: int = 600) -> Job:
    """Queue evidence linking of an article's stored claims, with the same retry policy."""
    return queue.enqueue(
        LINK_ARTICLE,
        kwargs={"article_id": article_id, "org_id": org_id},
        job_id=link_article_job_id(article_id),
        retry=Retry(max=3, interval=RETRY_INTERVALS),
        job_timeout=job_timeout,
        failure_ttl=7 * 24 * 3600,
        result_ttl=3600,
        on_failure=Callback(PROCESS_ARTICLE_FAILED),
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
