"""A real ``claimdesk worker`` process signalled in the middle of a job.

SIGTERM: the job finishes (or, once the grace is over, goes back to the queue with its
articles). SIGKILL: the next worker takes the job back at once; the article ends processed with
one set of claims.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rq import Queue
from rq.job import Job
from sqlalchemy import select

from service.processes import process_alive
from service.store import articles
from service.store.lifecycle import mark_enqueued
from service.store.models import Article, Claim
from service.store.queue import connect_redis, enqueue_process_article, process_article_job_id
from tests.factories import make_article
from tests.support.processes import children, service_env, wait_for, worker_process

pytestmark = pytest.mark.timeout(120)
ORG = "org_default"


def slow_text(paragraphs: int) -> str:
    """An article that keeps a worker busy for seconds (two claims a paragraph)."""
    return "\n\n".join(f"Exports from region {i} fell {i % 90 + 1} percent in March, the "
                       "ministry said." for i in range(paragraphs))


def queue_article(settings, session_factory, text: str) -> str:
    """A stored article with its job in the queue, as the API leaves it."""
    with session_factory() as session:
        article = make_article(session, text=text)
        enqueue_process_article(queue_of(settings), org_id=ORG, article_id=article.id)
        mark_enqueued(session, org_id=ORG, article_id=article.id)
        session.commit()
        return article.id


def queue_of(settings) -> Queue:
    return Queue(settings.queue_name, connection=connect_redis(settings.redis_url))


def article_row(session_factory, article_id: str) -> Article:
    with session_factory() as session:
        return articles.get_article(session, org_id=ORG, article_id=article_id)


def wait_until_processing(session_factory, article_id: str, worker) -> None:
    def processing() -> bool:
        assert worker.poll() is None, "the worker exited"
        return article_row(session_factory, article_id).state == "processing"

    wait_for(processing, timeout=30, what="the worker never took the article", every=0.05)


def claim_keys(session_factory, article_id: str) -> list[tuple[int, int, str]]:
    with session_factory() as session:
        rows = session.scalars(select(Claim).where(Claim.article_id == article_id)).all()
        return sorted((row.start_offset, row.end_offset, row.text) for row in rows)


def finish_with_burst_worker(settings, log: Path) -> None:
    """Whatever is queued (the linking that follows extraction), done by a burst worker."""
    subprocess.run([sys.executable, "-m", "service.cli", "worker", "--burst"], timeout=90,
                   env=service_env(settings), stdout=log.open("a"), stderr=subprocess.STDOUT,
                   check=True)


def test_a_worker_sent_sigterm_finishes_its_job_then_exits(settings, session_factory, redis,
                                                           tmp_path: Path) -> None:
    log = tmp_path / "worker.log"
    article_id = queue_article(settings, session_factory, slow_text(400))
    with worker_process(settings, log, CLAIMDESK_SHUTDOWN_GRACE="60") as worker:
        wait_until_processing(session_factory, article_id, worker)
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=60) == 0, log.read_text()[-3000:]
    job = Job.fetch(process_article_job_id(article_id), connection=redis)
    assert job.get_status() == "finished"
    extracted = claim_keys(session_factory, article_id)
    assert extracted
    finish_with_burst_worker(settings, log)
    assert article_row(session_factory, article_id).state == "processed"
    assert claim_keys(session_factory, article_id) == extracted


def test_a_worker_whose_grace_runs_out_hands_its_job_and_articles_back(
        settings, session_factory, redis, tmp_path: Path) -> None:
    log = tmp_path / "worker.log"
    own = queue_article(settings, session_factory, slow_text(1500))
    batched = queue_article(settings, session_factory, slow_text(50))  # leased with it
    with worker_process(settings, log, CLAIMDESK_SHUTDOWN_GRACE="2") as worker:
        wait_until_processing(session_factory, own, worker)
        assert article_row(session_factory, batched).leased_by == process_article_job_id(own)
        began = time.monotonic()
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=15) == 0, log.read_text()[-3000:]
        stopped_in = time.monotonic() - began
    assert stopped_in < 2 + 1.5, f"the worker took {stopped_in:.1f} s to stop"
    for article_id in (own, batched):
        row = article_row(session_factory, article_id)
        assert (row.state, row.leased_by) == ("queued", None)
    queue = queue_of(settings)
    assert queue.job_ids[0] == process_article_job_id(own)  # back at the front
    assert set(queue.job_ids) == {process_article_job_id(own), process_article_job_id(batched)}
    assert len(queue.started_job_registry) == 0


def test_a_job_whose_worker_was_killed_is_taken_back_by_the_next_worker(
        settings, session_factory, redis, tmp_path: Path) -> None:
    log = tmp_path / "worker.log"
    article_id = queue_article(settings, session_factory, slow_text(1500))
    with worker_process(settings, log) as worker:
        wait_until_processing(session_factory, article_id, worker)
        # the scheduler is a thread, not a process of its own: the one child is the horse
        horses = wait_for(lambda: list(children(worker.pid)), timeout=10, what="no work horse")
        assert len(horses) == 1, horses
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
        wait_for(lambda: not any(process_alive(pid) for pid in horses), timeout=5,
                 what="the work horse outlived its worker")
    assert article_row(session_factory, article_id).state == "processing"
    with worker_process(settings, log):
        wait_for(lambda: article_row(session_factory, article_id).state == "processed",
                 timeout=80, what="the article was not processed after the worker died")
    processed = claim_keys(session_factory, article_id)
    assert processed and len(processed) == len(set(processed)), "a claim stored twice"
    job = Job.fetch(process_article_job_id(article_id), connection=redis)
    assert job.retries_left == 2  # the dead worker's try counted, as RQ counts it


def test_a_work_horse_killed_on_the_last_try_leaves_the_article_failed_with_a_reason(
        settings, session_factory, redis, tmp_path: Path) -> None:
    # RQ runs no failure callback when the horse dies (killed, out of memory): without one,
    # the article stayed ``processing`` after its last try.
    log = tmp_path / "worker.log"
    article_id = queue_article(settings, session_factory, slow_text(400))
    job = Job.fetch(process_article_job_id(article_id), connection=redis)
    job.retries_left = 0
    job.save()
    with worker_process(settings, log) as worker:
        wait_until_processing(session_factory, article_id, worker)
        horses = wait_for(lambda: list(children(worker.pid)), timeout=10,
                          what="no work horse")
        os.kill(horses[0], signal.SIGKILL)
        wait_for(lambda: article_row(session_factory, article_id).state == "failed",
                 timeout=30, what="the article did not end failed")
        assert worker.poll() is None, "the worker went down with its horse"
    reason = article_row(session_factory, article_id).failure_reason or ""
    assert "WorkHorseDied" in reason and "signal 9" in reason, reason
