"""Queries behind the exports: a verified claim, the ClaimReview feed, the claims CSV.

Every query is scoped to ``org_id``. Dates are UTC; ``date_range`` reads the ``since`` /
``until`` parameters every export takes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import Session

from schemas.review import RatingScale
from service.store.clock import as_utc
from service.store.cursors import decode_cursor, encode_cursor
from service.store.errors import ClaimNotVerified, InvalidCursor, InvalidInput, NotFound
from service.store.models import Article, Claim, Organisation
from service.store.ratings import rating_scale

MAX_LIMIT = 200
EXPORT_BATCH = 500


@dataclass(frozen=True)
class DateRange:
    """``since`` (inclusive) to ``before`` (exclusive), both UTC; None leaves that end open."""

    since: datetime | None = None
    before: datetime | None = None


def date_range(since: str | None, until: str | None) -> DateRange:
    """Read ``since`` / ``until``: a date (``2024-06-01``) or an ISO 8601 datetime.

    ``since`` is inclusive. ``until`` is too: a date includes that whole day. A datetime with
    no offset is UTC. :raise InvalidInput: unreadable, or ``since`` after ``until``.
    """
    lower = _bound(since, name="since")
    upper = _bound(until, name="until")
    before = None
    if upper is not None:
        is_date = until is not None and _is_date(until)
        try:
            before = upper + (timedelta(days=1) if is_date else timedelta(microseconds=1))
        except OverflowError:  # until the last day of year 9999: no upper bound
            before = None
    if lower is not None and before is not None and lower >= before:
        raise InvalidInput("since is after until", since=since, until=until)
    return DateRange(since=lower, before=before)


def _is_date(value: str) -> bool:
    return "T" not in value.upper() and " " not in value.strip()


def _bound(value: str | None, *, name: str) -> datetime | None:
    if value is None or not value.strip():
        return None
    value = value.strip()
    try:
        if _is_date(value):
            day = date.fromisoformat(value)
            return datetime(day.year, day.month, day.day, tzinfo=UTC)
        return as_utc(datetime.fromisoformat(value))
    except (ValueError, OverflowError):  # OverflowError: out of range once in UTC
        raise InvalidInput(f"{name} must be a date (YYYY-MM-DD) or an ISO 8601 datetime",
                           parameter=name, value=value) from None


def publisher(session: Session, *, org_id: str) -> tuple[Organisation, RatingScale]:
    """The organisation that publishes the reviews, and its rating scale.

    :raise NotFound: no such organisation.
    """
    row = session.get(Organisation, org_id)
    if row is None:
        raise NotFound(f"organisation {org_id} not found")
    return row, rating_scale(session, org_id=org_id)


def verified_claim(session: Session, *, org_id: str, claim_id: str) -> tuple[Claim, Article]:
    """A claim with a published verdict, and its article.

    :raise NotFound: no such claim in this organisation.
    :raise ClaimNotVerified: the claim is not ``verified`` (or has no verdict).
    """
    query = (select(Claim, Article).join(Article, Article.id == Claim.article_id)
             .where(Claim.id == claim_id, Claim.org_id == org_id, Article.org_id == org_id))
    found = session.execute(query).first()
    if found is None:
        raise NotFound(f"claim {claim_id} not found")
    claim, article = found
    if claim.state != "verified" or not claim.verdict:
        raise ClaimNotVerified(f"claim {claim_id} is {claim.state}, not verified: it has no "
                               "ClaimReview yet", claim_id=claim_id, state=claim.state)
    return claim, article


@dataclass(frozen=True)
class ReviewedPage:
    """One page of verified claims, newest review first; ``next_cursor`` asks for the next."""

    rows: list[tuple[Claim, Article]]
    next_cursor: str | None


def verified_claims(session: Session, *, org_id: str, window: DateRange,
                    cursor: str | None = None, limit: int = 50) -> ReviewedPage:
    """Verified claims whose ``reviewed_at`` falls in ``window``, newest first, then by id."""
    query = _claims_with_articles(org_id).where(
        Claim.state == "verified", Claim.verdict.is_not(None), Claim.reviewed_at.is_not(None))
    if window.since is not None:
        query = query.where(Claim.reviewed_at >= window.since)
    if window.before is not None:
        query = query.where(Claim.reviewed_at < window.before)
    if cursor:
        at, last_id = _reviewed_cursor(cursor)
        query = query.where(or_(Claim.reviewed_at < at,
                                and_(Claim.reviewed_at == at, Claim.id < last_id)))
    limit = max(1, min(limit, MAX_LIMIT))
    query = query.order_by(Claim.reviewed_at.desc(), Claim.id.desc()).limit(limit + 1)
    rows = [(claim, article) for claim, article in session.execute(query)]
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1][0]
        next_cursor = encode_cursor([as_utc(last.reviewed_at).isoformat(), last.id])
    return ReviewedPage(rows=rows, next_cursor=next_cursor)


def _reviewed_cursor(cursor: str) -> tuple[datetime, str]:
    at, last_id = decode_cursor(cursor, kinds=(str, str))
    try:
        return as_utc(datetime.fromisoformat(at)), str(last_id)
    except (TypeError, ValueError, OverflowError):
        raise InvalidCursor("cursor was not issued by this service") from None


def claims_for_export(session: Session, *, org_id: str, window: DateRange,
                      state: str | None = None, article_id: str | None = None,
                      batch: int = EXPORT_BATCH) -> Iterator[tuple[Claim, Article]]:
    """Every claim of the organisation with its article, by article then in text order.

    ``window`` filters on when the article was received. Rows are read ``batch`` at a time
    (keyset on article id and position) and let go of after each batch, so an export of any
    size holds one batch in memory.
    """
    query = _claims_with_articles(org_id)
    if state is not None:
        query = query.where(Claim.state == state)
    if article_id is not None:
        query = query.where(Claim.article_id == article_id)
    if window.since is not None:
        query = query.where(Article.received_at >= window.since)
    if window.before is not None:
        query = query.where(Article.received_at < window.before)
    query = query.order_by(Claim.article_id, Claim.position).limit(batch)
    after: tuple[str, int] | None = None
    while True:
        page = query
        if after is not None:
            page = page.where(or_(Claim.article_id > after[0],
                                  and_(Claim.article_id == after[0], Claim.position > after[1])))
        rows = [(claim, article) for claim, article in session.execute(page)]
        yield from rows
        if len(rows) < batch:
            return
        after = (rows[-1][0].article_id, rows[-1][0].position)
        session.expunge_all()


def _claims_with_articles(org_id: str) -> Select[tuple[Claim, Article]]:
    return (select(Claim, Article).join(Article, Article.id == Claim.article_id)
            .where(Claim.org_id == org_id, Article.org_id == org_id))
