"""The article text cut into pieces for the claim page: before, the claim, after.

The claim's spans may overlap or nest (a date inside a quote, two entities sharing a word), so
the claim is cut at every span boundary and each piece names all the spans that cover it. A
template then wraps each piece on its own: no element opens in one piece and closes in
another, and every piece is plain text for the template to escape.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, get_args

from schemas.claims import SpanKind

KINDS = frozenset(get_args(SpanKind))


@dataclass(frozen=True)
class Piece:
    """A run of the claim's text and the spans covering it (none: plain claim text)."""

    text: str
    kinds: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Highlight:
    """``before + "".join(piece.text for piece in claim) + after == article text``."""

    before: str
    claim: list[Piece]
    after: str


def highlight(text: str, *, start: int, end: int,
              spans: Sequence[Mapping[str, Any]]) -> Highlight:
    """Cut ``text`` around the claim ``text[start:end]`` and its ``spans`` (dicts with
    ``kind``, ``start``, ``end`` and the optional ``normalized`` / ``label``).

    Offsets out of range are clipped to the text, spans to the claim; empty spans are dropped.
    """
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    clipped = []
    for span in spans:
        s = max(start, _int(span.get("start"), start))
        e = min(end, _int(span.get("end"), start))
        if s < e:
            clipped.append((s, e, span))
    cuts = sorted({start, end, *(s for s, _, _ in clipped), *(e for _, e, _ in clipped)})
    pieces = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        covering = [span for s, e, span in clipped if s <= a and b <= e]
        kinds = tuple(dict.fromkeys(_kind(span) for span in covering))
        notes = tuple(dict.fromkeys(describe_span(span) for span in covering))
        pieces.append(Piece(text=text[a:b], kinds=kinds, notes=notes))
    return Highlight(before=text[:start], claim=pieces, after=text[end:])


def describe_span(span: Mapping[str, Any]) -> str:
    """One line for a person: ``date 2020-04 (month)``, ``entity PERSON``, ``quantity ~ 7800
    jobs``."""
    kind = _kind(span)
    normalized = span.get("normalized") or {}
    if kind == "entity":
        return f"entity {span.get('label') or ''}".strip()
    if kind == "date" and isinstance(normalized, Mapping):
        granularity = normalized.get("granularity")
        value = normalized.get("value", "")
        return f"date {value} ({granularity})" if granularity else f"date {value}".strip()
    if kind == "quantity" and isinstance(normalized, Mapping):
        parts = [normalized.get("comparator"), _number(normalized.get("value"))]
        if normalized.get("upper") is not None:
            parts += ["to", _number(normalized.get("upper"))]
        parts.append(normalized.get("unit"))
        return " ".join(["quantity", *(str(p) for p in parts if p not in (None, "", "="))])
    return kind


def _kind(span: Mapping[str, Any]) -> str:
    kind = span.get("kind")
    return str(kind) if kind in KINDS else "other"


def _int(value: Any, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _number(value: Any) -> str | None:
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    if isinstance(value, int | float):
        return f"{value:,}"
    return None
