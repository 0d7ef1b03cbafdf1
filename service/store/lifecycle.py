"""The article lifecycle, in one place.

``queued`` (stored; ``enqueued_at`` set when its job is sent to Redis) -> ``processing`` (leased
by one job: ``leased_by`` names it) -> ``processed`` | ``failed`` (with ``failure_reason``).
A job that fails before storing claims ``release``s the articles it leased but did not own
back to ``queued``; the sweeper re-sends queued articles whose job Redis lost and leases a
dead worker held past ``stale_after``. Every function takes ``org_id`` except the sweeper's
operator-wide query, which says so.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from redis.client import Pipeline
from redis.exceptions import RedisError
from rq import Queue
from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from schemas.articles import ArticleState
from service.store.articles import NewArticle, create_or_get, get_article
from service.store.clock import utcnow
from service.store.models import Article
from service.store.queue import enqueue_process_article, job_is_pending
from service.store.settings import Settings
from service.store.webhooks import resend_pending_deliveries

log = logging.getLogger(__name__)
DONE: tuple[ArticleState, ...] = ("processed", "failed")


def dispatch_article(session: Session, queue: Queue, *, org_id: str, article_id: str,
                     job_timeout: int = 600) -> bool:
    """Enqueue processing and record it; False (article still stored) when Redis is away."""
    try:
        enqueue_process_article(queue, org_id=org_id, article_id=article_id,
                                job_timeout=job_timeout)
    except RedisError as exc:
        log.warning("could not enqueue %s, the sweeper will retry: %s", article_id, exc)
        return False
    mark_enqueued(session, org_id=org_id, article_id=article_id)
    session.commit()
    return True


def accept_article(session: Session, queue: Queue, *, org_id: str, article: NewArticle,
                   idempotency_key: str | None,
                   job_timeout: int = 600,
                   on_enqueue: Callable[[Pipeline], object] | None = None,
                   ) -> tuple[Article, bool]:
    """Store a posted article and send its job: one INSERT, one commit, one Redis round trip.

    The row is stored with ``enqueued_at`` already set, committed, then its job is sent; when
    Redis does not answer, ``enqueued_at`` is cleared again (a second commit, on that path
    only) and the sweeper sends the job later. Should the process die between the commit and
    the enqueue, the sweeper finds the article queued with no job in Redis once the grace has
    passed: an article stored is never lost. A repeat of an Idempotency-Key returns the stored
    article (and False), dispatched again only when its first enqueue failed. ``on_enqueue``
    adds commands (the API's counter) to the enqueue's round trip, for a new article only.
    """
    row, created = create_or_get(session, org_id=org_id, article=article,
                                 idempotency_key=idempotency_key, enqueued_at=utcnow())
    session.commit()
    if created:
        try:
            enqueue_process_article(queue, org_id=org_id, article_id=row.id,
                                    job_timeout=job_timeout, also=on_enqueue)
        except RedisError as exc:
            log.warning("could not enqueue %s, the sweeper will retry: %s", row.id, exc)
            row.enqueued_at = None
            session.commit()
    elif row.enqueued_at is None and row.state == "queued":
        dispatch_article(session, queue, org_id=org_id, article_id=row.id,
                         job_timeout=job_timeout)
    return row, created


def mark_enqueued(session: Session, *, org_id: str, article_id: str) -> None:
    """Its job is in Redis: the sweeper leaves it alone while the job is pending."""
    session.execute(update(Article).where(Article.org_id == org_id, Article.id == article_id)
                    .values(enqueued_at=utcnow()))


def lease_batch(session: Session, *, org_id: str, article_id: str, lease: str, limit: int,
                stale_after: timedelta) -> list[Article]:
    """Lease an article, and up to ``limit - 1`` more queued ones of its organisation, to a job.

    Returns ``[]`` when the article is done, failed, or leased by another job whose lease is
    fresher than ``stale_after``. Leased articles are ``processing`` with ``leased_by =
    lease``, the named article first. Each lease is a conditional UPDATE, so of two racing
    jobs only one takes an article: on SQLite the first UPDATE also takes the database's write
    lock, on PostgreSQL rows other workers hold are skipped (SKIP LOCKED).
    """
    get_article(session, org_id=org_id, article_id=article_id)  # NotFound for a wrong id
    mine = _take(session, org_id, [article_id], lease, _leasable(lease, stale_after))
    if not mine:
        return []
    others = _take_queued(session, org_id, lease, limit - 1)
    return sorted(_leased_rows(session, org_id, [article_id, *others]),
                  key=lambda row: row.id != article_id)


def lease_more(session: Session, *, org_id: str, lease: str, limit: int) -> list[Article]:
    """Lease up to ``limit`` more queued articles of the organisation to a job that already
    holds ``lease`` (a work horse going on while there is a backlog), oldest first."""
    return _leased_rows(session, org_id, _take_queued(session, org_id, lease, limit))


def _take_queued(session: Session, org_id: str, lease: str, limit: int) -> list[str]:
    """Lease up to ``limit`` of the organisation's queued, sent articles, oldest first."""
    if limit <= 0:
        return []
    candidates = session.scalars(
        select(Article.id)
        .where(_waiting(org_id))
        .order_by(Article.received_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    return _take(session, org_id, list(candidates), lease, Article.state == "queued")


def _waiting(org_id: str) -> ColumnElement[bool]:
    """The organisation's articles queued with their job sent: what a batch may take."""
    return and_(Article.org_id == org_id, Article.state == "queued",
                Article.enqueued_at.is_not(None))


def _leased_rows(session: Session, org_id: str, ids: list[str]) -> list[Article]:
    if not ids:
        return []
    return list(session.scalars(
        select(Article).where(Article.org_id == org_id, Article.id.in_(ids))
        .order_by(Article.received_at)
        .execution_options(populate_existing=True)
    ).all())


def short_and_alone(session: Session, *, org_id: str, article_id: str, max_chars: int) -> bool:
    """Whether the article's text has at most ``max_chars`` characters and no other article of
    the organisation waits, queued and sent (a job for it alone parses one short text)."""
    length = session.scalar(select(func.length(Article.text)).where(
        Article.org_id == org_id, Article.id == article_id))
    if length is None or length > max_chars:
        return False
    other = session.scalar(select(Article.id).where(
        _waiting(org_id), Article.id != article_id).limit(1))
    return other is None


def needs_processing(session: Session, *, org_id: str, article_id: str, lease: str,
                     stale_after: timedelta) -> bool:
    """Whether ``lease_batch`` would lease the article to ``lease`` now (one read, no write):
    False when it is done or failed, gone, or leased by another job within ``stale_after``."""
    found = session.scalar(select(Article.id).where(
        Article.org_id == org_id, Article.id == article_id, _leasable(lease, stale_after)))
    return found is not None


def _leasable(lease: str, stale_after: timedelta) -> ColumnElement[bool]:
    """Not done, and not held by another job whose lease is fresher than ``stale_after``."""
    held_elsewhere = and_(
        Article.state == "processing",
        Article.leased_by.is_not(None),
        Article.leased_by != lease,
        Article.updated_at > utcnow() - stale_after,
    )
    return ~Article.state.in_(DONE) & ~held_elsewhere


def _take(session: Session, org_id: str, ids: list[str], lease: str,
          leasable: ColumnElement[bool]) -> list[str]:
    """Mark those of ``ids`` that are still leasable as processing under ``lease``."""
    taken = []
    for article_id in ids:
        result = session.execute(
            update(Article)
            .where(Article.org_id == org_id, Article.id == article_id, leasable)
            .values(state="processing", leased_by=lease, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        if getattr(result, "rowcount", 0) == 1:
            taken.append(article_id)
    return taken


def mark_processed(session: Session, *, org_id: str, article_id: str) -> Article:
    """Claims stored and linked: ``processed``, stamped ``processed_at``."""
    row = get_article(session, org_id=org_id, article_id=article_id)
    row.state, row.failure_reason, row.processed_at = "processed", None, utcnow()
    return row


def mark_failed(session: Session, *, org_id: str, article_id: str, reason: str) -> Article:
    """The article can not be processed (no text, or every try failed): ``failed``, and why."""
    row = get_article(session, org_id=org_id, article_id=article_id)
    row.state, row.failure_reason = "failed", reason
    return row


def find_articles_to_resend(session: Session, *, now: datetime, grace: timedelta,
                            stale_after: timedelta = timedelta(hours=1),
                            limit: int = 100) -> list[tuple[str, str, datetime | None]]:
    """Operator-wide: queued articles never enqueued or enqueued before ``now - grace``, and
    articles left ``processing`` longer than ``stale_after`` (a worker died holding them).

    Returns ``(org_id, article_id, enqueued_at)``; the sweeper checks Redis for the job.
    """
    cutoff = now - grace
    query = (
        select(Article.org_id, Article.id, Article.enqueued_at)
        .where(
            or_(
                and_(Article.state == "queued",
                     or_(and_(Article.enqueued_at.is_(None), Article.received_at <= cutoff),
                         Article.enqueued_at <= cutoff)),
                and_(Article.state == "processing", Article.updated_at <= now - stale_after),
            ),
        )
        .order_by(Article.received_at)
        .limit(limit)
    )
    return [(r.org_id, r.id, r.enqueued_at) for r in session.execute(query)]


def resend_stale(factory: sessionmaker[Session], queue: Queue, *, grace: timedelta,
                 job_timeout: int = 600) -> int:
    """Enqueue queued articles whose enqueue failed or whose job Redis no longer holds."""
    sent = 0
    with factory() as session:
        candidates = find_articles_to_resend(
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
    """A daemon thread running ``resend_stale`` every ``interval`` seconds, and, given the
    settings, ``resend_pending_deliveries`` (webhook deliveries whose job never got queued)."""

    def __init__(self, factory: sessionmaker[Session], queue: Queue, *, interval: float,
                 grace: timedelta, job_timeout: int, settings: Settings | None = None) -> None:
        self._args = (factory, queue)
        self._settings = settings
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
            self.sweep()

    def sweep(self) -> None:
        """One pass; an error in one part is logged and does not stop the other."""
        try:
            sent = resend_stale(*self._args, grace=self._grace, job_timeout=self._timeout)
            if sent:
                log.info("sweeper enqueued %d article(s)", sent)
        except Exception:  # keep sweeping whatever one pass hit
            log.exception("sweep failed")
        if self._settings is None:
            return
        try:
            queued = resend_pending_deliveries(*self._args, grace=self._grace,
                                               settings=self._settings)
            if queued:
                log.info("sweeper queued %d webhook deliveries", queued)
        except Exception:
            log.exception("webhook sweep failed")
