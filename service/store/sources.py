"""Source queries: upsert by URL within an organisation, read, delete, list passages.

Storing a source also stores its passages (``service.store.passages``); the full-text index
follows the passages table (SQLite triggers, PostgreSQL generated column).
"""

from __future__ import annotations

from typing import Any, Literal

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from schemas.sources import SourceCreate
from service.store.clock import as_utc
from service.store.errors import NotFound
from service.store.ids import new_id
from service.store.models import Passage, Source
from service.store.passages import TextPiece, split_passages

Outcome = Literal["created", "updated", "unchanged"]
_INDEXED = ("kind", "text", "claim_reviewed", "title")


def upsert_source(session: Session, *, org_id: str,
                  source: SourceCreate) -> tuple[Source, Outcome]:
    """Store a source, or update the organisation's source with the same URL.

    Passages are rebuilt only when indexed fields changed. The caller commits.
    """
    values = _values(source)
    existing = _by_url(session, org_id=org_id, url=source.url) if source.url else None
    if existing is None:
        row = Source(id=new_id("src"), org_id=org_id, **values)
        try:
            with session.begin_nested():
                session.add(row)
                session.flush()
        except IntegrityError:  # stored by a concurrent writer since the lookup
            existing = _by_url(session, org_id=org_id, url=source.url or "")
            if existing is None:
                raise
        else:
            _add_passages(session, row)
            return row, "created"
    return existing, _update(session, existing, values)


def get_source(session: Session, *, org_id: str, source_id: str) -> Source:
    """:raise NotFound: no such source in this organisation."""
    query = select(Source).where(Source.id == source_id, Source.org_id == org_id)
    row = session.scalars(query).first()
    if row is None:
        raise NotFound(f"source {source_id} not found")
    return row


def delete_source(session: Session, *, org_id: str, source_id: str) -> None:
    """Delete a source and its passages. :raise NotFound: no such source."""
    row = get_source(session, org_id=org_id, source_id=source_id)
    session.execute(delete(Passage).where(Passage.source_id == row.id))
    session.delete(row)


def list_passages(session: Session, *, org_id: str, source_id: str) -> list[Passage]:
    """A source's passages in text order."""
    query = (
        select(Passage)
        .where(Passage.org_id == org_id, Passage.source_id == source_id)
        .order_by(Passage.position)
    )
    return list(session.scalars(query))


def _by_url(session: Session, *, org_id: str, url: str) -> Source | None:
    query = select(Source).where(Source.org_id == org_id, Source.url == url)
    return session.scalars(query).first()


def _values(source: SourceCreate) -> dict[str, Any]:
    values = source.model_dump(exclude={"metadata"})
    values["metadata_"] = source.metadata
    values["published_at"] = as_utc(source.published_at)
    for key in ("text", "claim_reviewed"):
        if values[key] is not None:
            values[key] = values[key].strip()
    return values


def _update(session: Session, row: Source, values: dict[str, Any]) -> Outcome:
    current = {key: getattr(row, key) for key in values}
    current["published_at"] = as_utc(row.published_at)
    if current == values:
        return "unchanged"
    reindex = any(current[key] != values[key] for key in _INDEXED)
    for key, value in values.items():
        setattr(row, key, value)
    if reindex:
        session.execute(delete(Passage).where(Passage.source_id == row.id))
        _add_passages(session, row)
    session.flush()
    return "updated"


def _add_passages(session: Session, row: Source) -> None:
    if row.kind == "fact_check":
        claim = row.claim_reviewed or ""
        pieces, heading = [TextPiece(0, len(claim), claim)], row.title
    else:
        pieces, heading = split_passages(row.text or ""), None
    session.add_all(
        Passage(org_id=row.org_id, source_id=row.id, position=position, start_offset=p.start,
                end_offset=p.end, text=p.text, heading=heading)
        for position, p in enumerate(pieces)
    )
    session.flush()
