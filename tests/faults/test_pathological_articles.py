"""Articles built to hurt a worker: each ends processed, or failed with a reason, within the
job timeout, and the worker process is still up afterwards."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from rq import Queue
from rq.job import Job

from schemas.articles import ArticleCreate
from service.intake import prepare_article
from service.processes import process_alive
from service.store import articles
from service.store.lifecycle import mark_enqueued
from service.store.queue import (
    connect_redis,
    enqueue_process_article,
    link_article_job_id,
    process_article_job_id,
)
from tests.support.processes import wait_for, worker_process

pytestmark = pytest.mark.timeout(240)
ORG = "org_default"
JOB_TIMEOUT = 90
LIMIT = 200_000  # characters of article text the service accepts (max_article_chars)


def one_long_sentence() -> ArticleCreate:
    """One sentence of 200,000 characters: words and figures, no full stop until the end."""
    words = "the council said revenue rose by 4 percent in March while exports fell".split()
    rng = random.Random(7)
    chosen: list[str] = []
    length = 0
    while length < LIMIT:
        chosen.append(rng.choice(words))
        length += len(chosen[-1]) + 1
    return ArticleCreate(text=" ".join(chosen)[: LIMIT - 1] + ".")


def fifty_thousand_numbers() -> ArticleCreate:
    rng = random.Random(11)
    return ArticleCreate(text=" ".join(str(rng.randint(0, 999)) for _ in range(50_000)))


def deeply_nested_html() -> ArticleCreate:
    inner = "<p>Exports fell 4 percent in March, the ministry said on Tuesday.</p>"
    return ArticleCreate(html="<html><body>" + "<div>" * 5_000 + inner + "</div>" * 5_000
                         + "</body></html>")


def ten_thousand_paragraphs() -> ArticleCreate:
    return ArticleCreate(text="\n\n".join(f"Sales rose {i % 9 + 1}%." for i in range(10_000)))


def broken_html() -> ArticleCreate:
    """200,000 ``<``: one run of punctuation spaCy's tokenizer alone takes hours over."""
    return ArticleCreate(html="<" * LIMIT)


CASES = {"one 200,000-character sentence": one_long_sentence,
         "50,000 numbers": fifty_thousand_numbers,
         "5,000 nested divs": deeply_nested_html,
         "10,000 paragraphs": ten_thousand_paragraphs,
         "200,000 '<'": broken_html}


def store(session_factory, queue: Queue, body: ArticleCreate) -> str:
    new = prepare_article(body, languages=["en"], max_chars=LIMIT)
    with session_factory() as session:
        row, _ = articles.create_or_get(session, org_id=ORG, article=new, idempotency_key=None)
        session.commit()
        enqueue_process_article(queue, org_id=ORG, article_id=row.id, job_timeout=JOB_TIMEOUT)
        mark_enqueued(session, org_id=ORG, article_id=row.id)
        session.commit()
        return row.id


def test_pathological_articles_end_processed_or_failed_and_the_worker_survives(
        settings, session_factory, redis, tmp_path: Path) -> None:
    queue = Queue(settings.queue_name, connection=connect_redis(settings.redis_url or ""))
    ids = {name: store(session_factory, queue, build()) for name, build in CASES.items()}
    log = tmp_path / "worker.log"
    with worker_process(settings, log, CLAIMDESK_JOB_TIMEOUT=str(JOB_TIMEOUT),
                        CLAIMDESK_BATCH_SIZE="1") as worker:

        def states() -> dict[str, str]:
            with session_factory() as session:
                return {name: articles.get_article(session, org_id=ORG, article_id=i).state
                        for name, i in ids.items()}

        def all_done() -> bool:
            assert worker.poll() is None, f"the worker died: {log.read_text()[-3000:]}"
            return set(states().values()) <= {"processed", "failed"}

        wait_for(all_done, timeout=len(CASES) * 2 * JOB_TIMEOUT,
                 what=f"not every article ended: {states()}", every=0.5)
        assert process_alive(worker.pid)
    with session_factory() as session:
        for name, article_id in ids.items():
            row = articles.get_article(session, org_id=ORG, article_id=article_id)
            assert row.state == "processed" or row.failure_reason, name
    for article_id in ids.values():
        for job_id in (process_article_job_id(article_id), link_article_job_id(article_id)):
            job = Job.fetch(job_id, connection=redis)
            if job.started_at and job.ended_at:
                assert (job.ended_at - job.started_at).total_seconds() < JOB_TIMEOUT, job_id
