"""Handing back what a job that will not finish had leased (``lifecycle.lease_batch``).

A job stops short when its worker is told to stop and the grace runs out (a cold stop), or when
its worker died holding it (SIGKILL, out of memory). Its articles must not wait in
``processing`` for the stale-lease rule: they go back to ``queued`` at once, and those that are
not the job's own article get their own job sent again (the job's own article is the caller's:
its job is queued again or retried by RQ).
"""

from __future__ import annotations

import logging

from redis.exceptions import RedisError
from rq import Queue
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from service.store.lifecycle import dispatch_article
from service.store.models import Article
from service.store.queue import job_is_pending

log = logging.getLogger(__name__)


def release_lease(session: Session, *, org_id: str, lease: str,
                  article_ids: list[str] | None = None) -> list[str]:
    """Articles still ``processing`` under ``lease`` (those of ``article_ids``, when given) go
    back to ``queued``; their ids."""
    query = select(Article).where(
        Article.org_id == org_id, Article.leased_by == lease, Article.state == "processing")
    if article_ids is not None:
        query = query.where(Article.id.in_(article_ids))
    rows = session.scalars(query).all()
    for row in rows:
        row.state, row.leased_by = "queued", None
    return [row.id for row in rows]


def hand_back_lease(factory: sessionmaker[Session], queue: Queue, *, org_id: str, lease: str,
                    own_article_id: str, job_timeout: int) -> list[str]:
    """Release ``lease`` and send a job for each released article but ``own_article_id``
    whose job Redis does not hold; the released ids. When Redis does not answer, the articles
    are queued all the same and the sweeper sends them."""
    with factory() as session, session.begin():
        released = release_lease(session, org_id=org_id, lease=lease)
    _send_again(factory, queue, org_id=org_id,
                article_ids=[a for a in released if a != own_article_id],
                job_timeout=job_timeout)
    if released:
        log.info("handed back %d article(s) leased by %s: %s", len(released), lease,
                 ", ".join(released))
    return released


def hand_back_articles(factory: sessionmaker[Session], queue: Queue, *, org_id: str,
                       lease: str, article_ids: list[str], job_timeout: int) -> list[str]:
    """``hand_back_lease`` for some of the lease's articles only (a later batch of a job that
    failed, while its own article is done): those still ``processing`` under ``lease`` go
    back to ``queued``, with a job sent for each Redis does not hold; the released ids."""
    with factory() as session, session.begin():
        released = release_lease(session, org_id=org_id, lease=lease, article_ids=article_ids)
    _send_again(factory, queue, org_id=org_id, article_ids=released, job_timeout=job_timeout)
    if released:
        log.info("handed back %d article(s) leased by %s: %s", len(released), lease,
                 ", ".join(released))
    return released


def _send_again(factory: sessionmaker[Session], queue: Queue, *, org_id: str,
                article_ids: list[str], job_timeout: int) -> None:
    """A job for each article whose job Redis does not hold (the sweeper, when it fails)."""
    with factory() as session:
        for article_id in article_ids:
            try:
                if job_is_pending(queue, article_id):
                    continue
            except RedisError as exc:
                log.warning("could not check the job of %s, the sweeper will: %s", article_id,
                            exc)
                break
            if not dispatch_article(session, queue, org_id=org_id, article_id=article_id,
                                    job_timeout=job_timeout):
                break
