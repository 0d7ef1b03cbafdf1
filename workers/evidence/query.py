"""The search query for a claim, and the word folding shared by re-ranking.

Requires: the claim's ``statement`` and its spans (entities, quantities, dates).
Assigns: nothing; ``build_query`` returns plain words for the sources index, the most telling
first (entity words, then figures, then the statement's other content words), so that a
search that keeps only the first terms keeps the useful ones.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS

MAX_QUERY_TERMS = 32
_URL = re.compile(r"(?:https?://|www\.|pic\.twitter\.com/)\S*", re.I)
_HANDLE = re.compile(r"@\w+")
_WORD = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:['’][^\W\d_]+)?")
_EXTRA_STOP = frozenset({"said", "says", "say", "according", "claim", "claims", "claimed",
                         "rt", "via", "amp", "just", "like", "new", "year", "years", "time"})
_SUFFIXES = ("ing", "ed", "es", "s")


def _is_stop(word: str) -> bool:
    return word in STOP_WORDS or word in _EXTRA_STOP


def clean_text(text: str) -> str:
    """Text without URLs and @handles (tweets and web text carry them)."""
    return _HANDLE.sub(" ", _URL.sub(" ", text))


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


def words(text: str) -> list[str]:
    """Words and numbers of a text, URLs and handles removed, in order."""
    return _WORD.findall(clean_text(text))


def content_words(text: str) -> list[str]:
    """The words that carry meaning: no stop words, no one-letter words, as written."""
    found = []
    for word in words(text):
        lower = word.lower()
        if _is_stop(lower) or (len(lower) < 2 and not lower.isdigit()):
            continue
        found.append(word)
    return found


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
    statement: str, spans: Sequence[Any] = (), *, max_terms: int = MAX_QUERY_TERMS
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
