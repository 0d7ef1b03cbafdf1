"""Claim queries: replace an article's claims, read one, list a queue page."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.orm import Session

from schemas.claims import (
    ClaimOut,
    ClaimRecord,
    Evidence,
    ReviewEvidence,
    TextRange,
    Verification,
)
from schemas.pages import Page
from service.store.clock import as_utc
from service.store.cursors import decode_cursor, encode_cursor
from service.store.errors import NotFound
from service.store.ids import new_id
from service.store.models import Claim, ClaimSource

MAX_LIMIT = 200
log = logging.getLogger(__name__)


def replace_claims(session: Session, *, org_id: str, article_id: str,
                   records: Sequence[ClaimRecord], max_claims: int | None = None) -> list[Claim]:
    """Swap an article's claims for ``records``, in the caller's transaction (retries are safe).

    Past ``max_claims`` (the ``max_claims_per_article`` setting) only the most check-worthy
    are kept, in text order, and a warning names the article.
    """
    if max_claims is not None and len(records) > max_claims:
        log.warning("article %s: %d claims, kept the %d most check-worthy "
                    "(max_claims_per_article)", article_id, len(records), max_claims)
        records = most_checkworthy(records, max_claims)
    session.execute(delete(Claim).where(Claim.org_id == org_id, Claim.article_id == article_id))
    rows = [
        Claim(
            id=new_id("clm"), org_id=org_id, article_id=article_id, position=position,
            text=r.text, start_offset=r.start, end_offset=r.end, statement=r.statement,
            sentence_start=r.sentence.start, sentence_end=r.sentence.end,
            checkworthiness=r.checkworthiness, types_text=_types_text(r.types),
            spans=[s.model_dump(mode="json", exclude_none=True) for s in r.spans],
            speaker=r.speaker, evidence=[], auto="no_evidence", auto_confidence=0.0,
            state="queued", version=1,
        )
        for position, r in enumerate(records)
    ]
    session.add_all(rows)
    return rows


def most_checkworthy(records: Sequence[ClaimRecord], limit: int) -> list[ClaimRecord]:
    """The ``limit`` records of highest check-worthiness (the earlier one on a tie), in the
    order given (text order)."""
    ranked = sorted(range(len(records)), key=lambda i: (-records[i].checkworthiness, i))
    return [records[i] for i in sorted(ranked[:max(0, limit)])]


def _types_text(types: Sequence[str]) -> str:
    return "," + ",".join(types) + "," if types else ""


def get_claim(session: Session, *, org_id: str, claim_id: str) -> Claim:
    """:raise NotFound: no such claim in this organisation."""
    row = session.scalars(
        select(Claim).where(Claim.id == claim_id, Claim.org_id == org_id)
    ).first()
    if row is None:
        raise NotFound(f"claim {claim_id} not found")
    return row


def list_claims(session: Session, *, org_id: str, state: str | None = None,
                min_checkworthiness: float | None = None, claim_type: str | None = None,
                article_id: str | None = None, assignee: str | None = None,
                auto: str | None = None, cursor: str | None = None,
                limit: int = 50) -> Page[ClaimOut]:
    """The review queue order: most check-worthy first, then oldest (ids are time-ordered)."""
    query = select(Claim).where(Claim.org_id == org_id)
    if state is not None:
        query = query.where(Claim.state == state)
    if article_id is not None:
        query = query.where(Claim.article_id == article_id)
    if assignee is not None:
        query = query.where(Claim.assignee == assignee)
    if auto is not None:
        query = query.where(Claim.auto == auto)
    if min_checkworthiness is not None:
        query = query.where(Claim.checkworthiness >= min_checkworthiness)
    if claim_type is not None:
        query = query.where(Claim.types_text.contains(f",{claim_type},"))
    if cursor:
        score, last_id = decode_cursor(cursor, kinds=(float, str))
        query = query.where(or_(Claim.checkworthiness < score,
                                and_(Claim.checkworthiness == score, Claim.id > last_id)))
    query = query.order_by(Claim.checkworthiness.desc(), Claim.id).limit(_clamp(limit) + 1)
    rows = list(session.scalars(query))
    return _page(rows, limit, lambda row: [row.checkworthiness, row.id])


def list_article_claims(session: Session, *, org_id: str, article_id: str,
                        cursor: str | None = None, limit: int = 50) -> Page[ClaimOut]:
    """An article's claims in text order."""
    query = select(Claim).where(Claim.org_id == org_id, Claim.article_id == article_id)
    if cursor:
        (position,) = decode_cursor(cursor, kinds=(int,))
        query = query.where(Claim.position > int(position))
    rows = list(session.scalars(query.order_by(Claim.position).limit(_clamp(limit) + 1)))
    return _page(rows, limit, lambda row: [row.position])


def article_claim_rows(session: Session, *, org_id: str, article_id: str) -> list[Claim]:
    """Every claim row of an article, in text order (for the linking job)."""
    query = select(Claim).where(Claim.org_id == org_id, Claim.article_id == article_id)
    return list(session.scalars(query.order_by(Claim.position)))


def claim_rows(session: Session, *, org_id: str, claim_ids: Sequence[str]) -> list[Claim]:
    """The organisation's claims among ``claim_ids``, by article and in text order."""
    query = select(Claim).where(Claim.org_id == org_id, Claim.id.in_(list(claim_ids)))
    return list(session.scalars(query.order_by(Claim.article_id, Claim.position)))


def claim_ids_by_article(session: Session, *, org_id: str,
                         claim_ids: Sequence[str]) -> dict[str, list[str]]:
    """The organisation's claims among ``claim_ids``, grouped by article."""
    groups: dict[str, list[str]] = {}
    query = select(Claim.article_id, Claim.id).where(Claim.org_id == org_id,
                                                     Claim.id.in_(list(claim_ids)))
    for article_id, claim_id in session.execute(query.order_by(Claim.article_id,
                                                               Claim.position)):
        groups.setdefault(article_id, []).append(claim_id)
    return groups


def set_evidence(session: Session, *, org_id: str,
                 linked: Sequence[tuple[Claim, Sequence[Evidence], Verification]],
                 linked_at: datetime) -> None:
    """Attach linked evidence and the automatic assessment to claim rows of ``org_id``.

    Only the automatic part changes: a reviewer's state, verdict and ``version`` stay. The
    sources cited are recorded in ``claim_sources`` (how a source change finds the claim).
    ``linked_at`` is when the evidence was looked up, taken before the search. The rows are
    written together: one UPDATE batch, one DELETE of their old citations, one INSERT batch.
    """
    if any(row.org_id != org_id for row, _, _ in linked):
        raise ValueError("a claim of another organisation")
    for row, evidence, verification in linked:
        row.evidence = [e.model_dump(mode="json") for e in evidence]
        row.auto = verification.auto
        row.auto_confidence = verification.confidence
        row.auto_reason = verification.reason
        row.linked_at = linked_at
    if not linked:
        return
    session.execute(delete(ClaimSource).where(
        ClaimSource.org_id == org_id,
        ClaimSource.claim_id.in_([row.id for row, _, _ in linked]),
    ).execution_options(synchronize_session=False))
    session.add_all(ClaimSource(claim_id=row.id, source_id=source_id, org_id=org_id)
                    for row, evidence, _ in linked
                    for source_id in dict.fromkeys(e.source_id for e in evidence))


def count_article_claims(session: Session, *, org_id: str, article_id: str) -> int:
    query = select(func.count()).select_from(Claim).where(
        Claim.org_id == org_id, Claim.article_id == article_id
    )
    return int(session.scalar(query) or 0)


def _clamp(limit: int) -> int:
    return max(1, min(limit, MAX_LIMIT))


def _page(rows: list[Claim], limit: int, key: Callable[[Claim], list[Any]]) -> Page[ClaimOut]:
    limit = _clamp(limit)
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode_cursor(key(rows[-1])) if more and rows else None
    return Page[ClaimOut](items=[to_claim_out(r) for r in rows], next_cursor=next_cursor)


def to_claim_out(row: Claim) -> ClaimOut:
    """The claim record of DESIGN.md for one stored row."""
    return ClaimOut(
        id=row.id, article_id=row.article_id, text=row.text, start=row.start_offset,
        end=row.end_offset, statement=row.statement,
        sentence=TextRange(start=row.sentence_start, end=row.sentence_end),
        checkworthiness=row.checkworthiness, types=row.types,
        spans=row.spans,  # type: ignore[arg-type]
        speaker=row.speaker,
        evidence=[Evidence.model_validate(e) for e in row.evidence],
        verification=Verification(
            auto=row.auto, confidence=row.auto_confidence, reason=row.auto_reason,
            linked_at=as_utc(row.linked_at), state=row.state,
            verdict=row.verdict, assignee=row.assignee, reviewed_at=as_utc(row.reviewed_at),
            version=row.version, rationale=row.rationale, dismiss_reason=row.dismiss_reason,
            reviewer=row.reviewer,
            review_evidence=[ReviewEvidence.model_validate(e) for e in row.review_evidence or []],
        ),
    )
