"""The search query for a claim, and the word folding shared by re-ranking.

Words and stop words are the search-term contract's (``schemas/search_terms.py``), so the
query holds exactly the words the store will match.
Requires: the claim's ``statement`` and its spans (entities, quantities, dates).
Assigns: nothing; ``build_query`` returns plain words for the sources index, the most telling
first (entity words, then figures, then the statement's other content words), so that a
search that keeps only the first terms keeps the useful ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from schemas.search_terms import MAX_TERMS, content_words

_SUFFIXES = ("ing", "ed", "es", "s")


def fold(word: str) -> str:
    """A crude stem: lowercase, possessive and common suffixes removed ("images" -> "imag")."""
    word = word.lower().replace("’", "'")
    if word.endswith("'s"):
        word = word[:-2]
    if word[:1].isdigit():
        return word.replace(",", "")
    for suffix in _SUFFIXES:
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def folded_terms(text: str) -> set[str]:
    """The folded content words of a text, as a set (for overlap measures)."""
    return {fold(word) for word in content_words(text)}


def _span_field(span: Any, name: str) -> Any:
    return span.get(name) if isinstance(span, dict) else getattr(span, name, None)


def _unique(items: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        key = item.lower()
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def build_query(
    statement: str, spans: Sequence[Any] = (), *, max_terms: int = MAX_TERMS
) -> str:
    """Search words for a claim: entity words, figures, then the statement's content words."""
    entity_words: list[str] = []
    figures: list[str] = []
    for span in spans:
        kind, text = _span_field(span, "kind"), _span_field(span, "text") or ""
        if kind == "entity":
            entity_words += content_words(text)
        elif kind in ("quantity", "date"):
            figures += [w for w in content_words(text) if w[:1].isdigit()]
    rest = content_words(statement)
    return " ".join(_unique([*entity_words, *figures, *rest])[:max_terms])
