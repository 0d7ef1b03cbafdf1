"""What the linker needs of a search hit, and the figures and names found in a passage.

Requires: search hits with the fields of ``PassageHit`` (``service/store/search.py``; the
evidence code does not import the service, so the fields are named here as a Protocol) and a
parsed spaCy Doc of the passage text. Assigns: nothing; ``parse_spans`` returns span dicts shaped
like the claim record's spans (``kind``, ``text``, ``start``, ``end``, ``normalized`` or
``label``), with offsets into the passage text; they are what the link job caches on the
passage row (later searches return them as ``hit.spans``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Protocol

from spacy.tokens import Doc

from schemas.fields import rfc3339
from workers.evidence.measures import annotate
from workers.pipeline.dates import find_dates
from workers.pipeline.quantities import find_quantities
from workers.pipeline.spans import NUMERIC_LABELS


class PassageLike(Protocol):
    """The fields of ``service.store.search.PassageHit`` that the linker reads."""

    @property
    def passage_id(self) -> int: ...
    @property
    def source_id(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def lexical_score(self) -> float: ...
    @property
    def title(self) -> str | None: ...
    @property
    def url(self) -> str | None: ...
    @property
    def publisher(self) -> str | None: ...
    @property
    def published_at(self) -> datetime | None: ...
    @property
    def rating_text(self) -> str | None: ...
    @property
    def rating_value(self) -> float | None: ...
    @property
    def best_rating(self) -> float | None: ...
    @property
    def worst_rating(self) -> float | None: ...
    @property
    def claimant(self) -> str | None: ...
    @property
    def spans(self) -> list[dict[str, Any]] | None: ...
    @property
    def embedding(self) -> bytes | None: ...


def passage_anchor(hit: PassageLike, default: date) -> date:
    """The date relative dates in a passage anchor on: its publication, else ``default``."""
    published = hit.published_at
    if isinstance(published, datetime):
        return published.date()
    return published if isinstance(published, date) else default


def parse_spans(doc: Doc, anchor: date) -> list[dict[str, Any]]:
    """Quantity, date and entity spans of a parsed text, in text order, with what each
    figure measures (``measures.annotate``)."""
    text = doc.text
    spans: list[dict[str, Any]] = [
        {"kind": "quantity", "text": text[q.start : q.end], "start": q.start, "end": q.end,
         "normalized": q.normalized()}
        for q in find_quantities(doc)
    ]
    spans += [
        {"kind": "date", "text": text[d.start : d.end], "start": d.start, "end": d.end,
         "normalized": d.normalized()}
        for d in find_dates(doc, anchor)
    ]
    spans += [
        {"kind": "entity", "text": ent.text, "start": ent.start_char, "end": ent.end_char,
         "label": ent.label_}
        for ent in doc.ents
        if ent.label_ not in NUMERIC_LABELS and ent.text.strip()
    ]
    return annotate(doc, sorted(spans, key=lambda s: (s["start"], s["end"])), anchor)


def published_iso(hit: PassageLike) -> str | None:
    """The hit's publication date as an ISO string (date only when it has no time)."""
    published = hit.published_at
    if published is None:
        return None
    if isinstance(published, datetime) and published.time() == datetime.min.time():
        return published.date().isoformat()
    return rfc3339(published)
