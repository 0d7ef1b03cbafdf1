"""Hand stored articles to the queue; what Redis refuses now, the sweeper sends later."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from redis.exceptions import RedisError
from rq import Queue
from sqlalchemy.orm import Session, sessionmaker

from service.persistence import articles
from service.persistence.models import utcnow
from service.queue import enqueue_process_article, job_is_pending

log = logging.getLogger(__name__)


def dispatch_article(session: Session, queue: Queue, *, org_id: str, article_id: str,
                     job_timeout: int = 600) -> bool:
    """Enqueue processing and record it; False (article still stored) when Redis is away."""
    try:
        enqueue_process_article(queue, org_id=org_id, article_id=article_id,
                                job_timeout=job_timeout)
    except RedisError as exc:
        log.warning("could not enqueue %s, the sweeper will retry: %s", article_id, exc)
        return False
    articles.mark_enqueued(session, org_id=org_id, article_id=article_id)
    session.commit()
    return True


def sweep_once(factory: sessionmaker[Session], queue: Queue, *, grace: timedelta,
               job_timeout: int = 600) -> int:
    """Enqueue queued articles whose enqueue failed or whose job Redis no longer holds."""
    sent = 0
    with factory() as session:
        candidates = articles.find_articles_to_enqueue(
            session, now=utcnow(), grace=grace, stale_after=timedelta(seconds=2 * job_timeout)
        )
        for org_id, article_id, enqueued_at in candidates:
            try:
                if enqueued_at is not None and job_is_pending(queue, article_id):
                    continue
            except RedisError:
                return sent
            if not dispatch_article(session, queue, org_id=org_id, article_id=article_id,
                                    job_timeout=job_timeout):
                return sent
            sent += 1
    return sent


class Sweeper:
    """A daemon thread running ``sweep_once`` every ``interval`` seconds."""

    def __init__(self, factory: sessionmaker[Session], queue: Queue, *, interval: float,
                 grace: timedelta, job_timeout: int) -> None:
        self._args = (factory, queue)
        self._interval, self._grace, self._timeout = interval, grace, job_timeout
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="claimdesk-sweeper", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                sent = sweep_once(*self._args, grace=self._grace, job_timeout=self._timeout)
                if sent:
                    log.info("sweeper enqueued %d article(s)", sent)
            except Exception:  # keep sweeping whatever one pass hit
                log.exception("sweep failed")
