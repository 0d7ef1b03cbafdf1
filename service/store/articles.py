"""Article rows: store one (honouring Idempotency-Key) and read one back.

State changes after intake live in ``service.store.lifecycle``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.store.clock import utcnow
from service.store.errors import IdempotencyConflict, NotFound
from service.store.ids import new_id
from service.store.models import Article


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
