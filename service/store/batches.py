"""Many posted articles at once (``POST /v1/articles/batch``): one transaction, one job each.

Each article is stored (or found by its Idempotency-Key) on its own: a reused key with
another body refuses that article alone. All are committed together, then one
``process_article`` job is sent per new article and the sent ones are marked enqueued in one
UPDATE. When Redis stops answering, the articles not sent stay ``queued`` with no
``enqueued_at`` and the sweeper sends them (``service.store.lifecycle``), as for one article.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from redis.exceptions import RedisError
from rq import Queue
from sqlalchemy import update
from sqlalchemy.orm import Session

from service.store.articles import NewArticle, create_or_get
from service.store.clock import utcnow
from service.store.errors import IdempotencyConflict
from service.store.models import Article
from service.store.queue import enqueue_process_article

log = logging.getLogger(__name__)


def accept_articles(session: Session, queue: Queue, *, org_id: str,
                    articles: Sequence[tuple[NewArticle, str | None]],
                    job_timeout: int = 600) -> list[tuple[Article, bool] | IdempotencyConflict]:
    """Store ``(article, idempotency_key)`` pairs and queue the new ones; per pair, in order,
    the stored row and whether it is new (not a replay of its key), or the conflict that
    refused it."""
    outcomes: list[tuple[Article, bool] | IdempotencyConflict] = []
    for article, key in articles:
        try:
            outcomes.append(create_or_get(session, org_id=org_id, article=article,
                                          idempotency_key=key))
        except IdempotencyConflict as exc:
            outcomes.append(exc)
    session.commit()
    rows = [outcome[0] for outcome in outcomes if isinstance(outcome, tuple)]
    unsent = {row.id: None for row in rows if row.state == "queued" and row.enqueued_at is None}
    sent = send_jobs(queue, org_id=org_id, article_ids=list(unsent), job_timeout=job_timeout)
    if sent:
        now = utcnow()
        session.execute(update(Article).where(Article.org_id == org_id, Article.id.in_(sent))
                        .values(enqueued_at=now).execution_options(synchronize_session=False))
        session.commit()
        for row in rows:
            if row.id in sent:
                row.enqueued_at = now
    return outcomes


def send_jobs(queue: Queue, *, org_id: str, article_ids: list[str],
              job_timeout: int) -> list[str]:
    """Enqueue each article's job; the ids sent (those before Redis stopped answering)."""
    sent: list[str] = []
    for article_id in article_ids:
        try:
            enqueue_process_article(queue, org_id=org_id, article_id=article_id,
                                    job_timeout=job_timeout)
        except RedisError as exc:
            log.warning("could not enqueue %d of %d batch articles, the sweeper will: %s",
                        len(article_ids) - len(sent), len(article_ids), exc)
            break
        sent.append(article_id)
    return sent
