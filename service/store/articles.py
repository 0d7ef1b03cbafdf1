"""Article rows: store one (honouring Idempotency-Key) and read one back.

State changes after intake live in ``service.store.lifecycle``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, make_transient_to_detached

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
                  idempotency_key: str | None,
                  enqueued_at: datetime | None = None) -> tuple[Article, bool]:
    """Store a new article, or return the one stored under the same Idempotency-Key.

    Without a key this is one INSERT. With one, the INSERT is tried under a savepoint and the
    unique constraint on the key finds a repeat, so only a retry pays for the lookup.
    ``enqueued_at`` is stored as given: intake sets it before it sends the job
    (``service.store.lifecycle.accept_article``).

    :raise IdempotencyConflict: the key was used with another body.
    """
    now = utcnow()
    row = Article(
        id=new_id("art"), org_id=org_id, state="queued", text=article.text, title=article.title,
        url=article.url, language=article.language, published_at=article.published_at,
        received_at=now, metadata_=article.metadata, source_format=article.source_format,
        idempotency_key=idempotency_key, request_hash=article.request_hash,
        enqueued_at=enqueued_at, updated_at=now, failure_reason=None, processed_at=None,
        leased_by=None,
    )
    if idempotency_key is None:
        _insert(session, row)
        return row, True
    try:
        with session.begin_nested():
            _insert(session, row)
    except IntegrityError:
        existing = _by_idempotency_key(session, org_id=org_id, key=idempotency_key)
        if existing is None:
            raise
        return _same_request(existing, article), False
    return row, True


def _insert(session: Session, row: Article) -> None:
    """INSERT a new row now with one Core statement, then attach it to the session as if it
    had been loaded (changes to it are UPDATEs). For a single row the unit of work's flush
    cost several times as much CPU as the statement itself."""
    values = {column: row.__dict__[attr] for attr, column in _ARTICLE_COLUMNS
              if attr in row.__dict__}  # the columns left out get their defaults
    session.execute(_ARTICLE_INSERT, values)
    make_transient_to_detached(row)
    session.add(row)


_ARTICLE_COLUMNS = [(prop.key, prop.columns[0].key) for prop in Article.__mapper__.column_attrs]
_ARTICLE_INSERT = insert(cast(Table, Article.__table__))


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
        (last_id,) = decode_cursor(cursor, kinds=(str,))
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
