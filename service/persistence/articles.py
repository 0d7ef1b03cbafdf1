"""Article queries. Every function takes ``org_id`` except the operator's sweeper query."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.errors import IdempotencyConflict, NotFound
from service.ids import new_id
from service.intake import NewArticle
from service.persistence.models import Article, utcnow


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


def get_article(session: Session, *, org_id: str, article_id: str,
                for_update: bool = False) -> Article:
    """:raise NotFound: no such article in this organisation."""
    query = select(Article).where(Article.id == article_id, Article.org_id == org_id)
    if for_update:
        query = query.with_for_update()
    row = session.scalars(query).first()
    if row is None:
        raise NotFound(f"article {article_id} not found")
    return row


def mark_enqueued(session: Session, *, org_id: str, article_id: str) -> None:
    get_article(session, org_id=org_id, article_id=article_id).enqueued_at = utcnow()


def set_state(session: Session, *, org_id: str, article_id: str, state: str,
              reason: str | None = None) -> Article:
    """Move an article to ``state``; ``processed`` stamps ``processed_at``."""
    row = get_article(session, org_id=org_id, article_id=article_id)
    row.state = state
    row.failure_reason = reason
    if state == "processed":
        row.processed_at = utcnow()
    return row


def find_articles_to_enqueue(session: Session, *, now: datetime, grace: timedelta,
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


def claim_batch(session: Session, *, org_id: str, article_id: str, claimant: str, limit: int,
                stale_after: timedelta) -> list[Article]:
    """Take an article, and up to ``limit - 1`` more queued ones of its organisation, for one job.

    Returns ``[]`` when the article is done, failed, or being processed by another job whose
    claim is fresher than ``stale_after``. Claimed articles are ``processing`` with
    ``claimed_by = claimant``. Each claim is a conditional UPDATE, so of two racing jobs only
    one takes an article: on SQLite the first UPDATE also takes the database's write lock,
    on PostgreSQL rows other workers hold are skipped (SKIP LOCKED).
    """
    get_article(session, org_id=org_id, article_id=article_id)  # NotFound for a wrong id
    held_elsewhere = and_(
        Article.state == "processing",
        Article.claimed_by.is_not(None),
        Article.claimed_by != claimant,
        Article.updated_at > utcnow() - stale_after,
    )
    mine = _take(session, org_id, [article_id], claimant,
                 ~Article.state.in_(("processed", "failed")) & ~held_elsewhere)
    if not mine:
        return []
    candidates = session.scalars(
        select(Article.id)
        .where(Article.org_id == org_id, Article.state == "queued", Article.id != article_id,
               Article.enqueued_at.is_not(None))
        .order_by(Article.received_at)
        .limit(max(0, limit - 1))
        .with_for_update(skip_locked=True)
    ).all()
    others = _take(session, org_id, list(candidates), claimant, Article.state == "queued")
    rows = session.scalars(
        select(Article).where(Article.org_id == org_id, Article.id.in_([article_id, *others]))
        .order_by(Article.received_at)
        .execution_options(populate_existing=True)
    ).all()
    return sorted(rows, key=lambda row: row.id != article_id)


def _take(session: Session, org_id: str, ids: list[str], claimant: str,
          claimable: ColumnElement[bool]) -> list[str]:
    """Mark those of ``ids`` that are still claimable as processing by ``claimant``."""
    taken = []
    for article_id in ids:
        result = session.execute(
            update(Article)
            .where(Article.org_id == org_id, Article.id == article_id, claimable)
            .values(state="processing", claimed_by=claimant, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        if getattr(result, "rowcount", 0) == 1:
            taken.append(article_id)
    return taken


def release_claims(session: Session, *, org_id: str, article_ids: list[str],
                   claimant: str) -> None:
    """Give articles a failed batch had taken back to the queue's sweeper."""
    for row in session.scalars(select(Article).where(
        Article.org_id == org_id, Article.id.in_(article_ids), Article.claimed_by == claimant,
        Article.state == "processing",
    )):
        row.state, row.claimed_by = "queued", None
