"""Article rows: store one (honouring Idempotency-Key) and read one back.

State changes after intake live in ``service.store.lifecycle``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from schemas.articles import ArticleSummary
from schemas.pages import Page
from service.store.clock import as_utc, utcnow
from service.store.cursors import decode_cursor, encode_cursor
from service.store.errors import IdempotencyConflict, NotFound
from service.store.ids import new_id
from service.store.models import Article, Claim


@dataclass(frozen=True)
class NewArticle:
    """What ``create_or_get`` stores for one accepted POST (``service.intake`` builds it)."""

    text: str
    request_hash: str
    source_format: str
    language: str
    title: str | None = None
    url: str | None = None
    published_at: datetime | None = None
    metadata: dict[str, Any] = field(default_factory=dict)


def create_or_get(session: Session, *, org_id: str, article: NewArticle,
                  idempotency_key: str | None) -> tuple[Article, bool]:
    """Store a new article, or return the one stored under the same Idempotency-Key.

    :raise IdempotencyConflict: the key was used with another body.
    """
    if idempotency_key is not None:
        existing = _by_idempotency_key(session, org_id=org_id, key=idempotency_key)
        if existing is not None:
            return _same_request(existing, article), False
    row = Article(
        id=new_id("art"), org_id=org_id, state="queued", text=article.text, title=article.title,
        url=article.url, language=article.language, published_at=article.published_at,
        received_at=utcnow(), metadata_=article.metadata, source_format=article.source_format,
        idempotency_key=idempotency_key, request_hash=article.request_hash,
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        existing = _by_idempotency_key(session, org_id=org_id, key=idempotency_key or "")
        if existing is None:
            raise
        return _same_request(existing, article), False
    return row, True


def _by_idempotency_key(session: Session, *, org_id: str, key: str) -> Article | None:
    query = select(Article).where(Article.org_id == org_id, Article.idempotency_key == key)
    return session.scalars(query).first()


def _same_request(existing: Article, article: NewArticle) -> Article:
    if existing.request_hash != article.request_hash:
        raise IdempotencyConflict(
            "this Idempotency-Key was already used with a different body", article_id=existing.id
        )
    return existing


def get_article(session: Session, *, org_id: str, article_id: str) -> Article:
    """:raise NotFound: no such article in this organisation."""
    query = select(Article).where(Article.id == article_id, Article.org_id == org_id)
    row = session.scalars(query).first()
    if row is None:
        raise NotFound(f"article {article_id} not found")
    return row


def list_articles(session: Session, *, org_id: str, state: str | None = None,
                  since: datetime | None = None, until: datetime | None = None,
                  cursor: str | None = None, limit: int = 50) -> Page[ArticleSummary]:
    """The organisation's articles, newest first (ids are time-ordered), filtered by state and
    by when they were received (``since`` inclusive, ``until`` exclusive)."""
    query = select(Article).where(Article.org_id == org_id)
    if state is not None:
        query = query.where(Article.state == state)
    if since is not None:
        query = query.where(Article.received_at >= since)
    if until is not None:
        query = query.where(Article.received_at < until)
    if cursor:
        (last_id,) = decode_cursor(cursor, arity=1)
        query = query.where(Article.id < str(last_id))
    limit = max(1, min(limit, 200))
    rows = list(session.scalars(query.order_by(Article.id.desc()).limit(limit + 1)))
    more, rows = len(rows) > limit, rows[:limit]
    counts = dict(session.execute(
        select(Claim.article_id, func.count()).where(
            Claim.org_id == org_id, Claim.article_id.in_([r.id for r in rows]))
        .group_by(Claim.article_id)).tuples().all()) if rows else {}
    items = [ArticleSummary(id=r.id, state=r.state, title=r.title, url=r.url,
                            received_at=as_utc(r.received_at),
                            published_at=as_utc(r.published_at),
                            processed_at=as_utc(r.processed_at),
                            claim_count=counts.get(r.id, 0)) for r in rows]
    return Page[ArticleSummary](items=items,
                                next_cursor=encode_cursor([rows[-1].id]) if more else None)
