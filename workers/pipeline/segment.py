"""Segment: the sentences of a parsed Doc worth looking at for claims.

requires: ``doc.sents``, whose boundaries ``claimdesk_sentences`` (``boundaries.py``) fixes
before the parser runs: a line break always ends a sentence, so a headline, a byline or a
paragraph without a full stop is a segment of its own and is scored like any other sentence;
abbreviations and names do not cut one. assigns: nothing; yields sentence Spans, trimmed of
surrounding whitespace, skipping questions, the outlet's boilerplate, and sentences that are too
short (under ``min_tokens`` tokens) or oversized.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Doc, Span

_BOILERPLATE = re.compile(
    r"\b(subscribe|newsletter|sign up|click here|follow us|all rights reserved|cookie|"
    r"reached out to|did not (immediately )?respond to (a )?request|"
    r"will update this (story|article)|contributed (to )?(this )?report|read more|"
    r"advertisement|share this (story|article)|support (our|independent) journalism|"
    r"this (story|article) (has been|was) (updated|corrected))\b",
    re.IGNORECASE,
)
# Credits: a byline line ("By Mara Lindqvist"), a wire credit ("(Reporting by ...; Editing by
# ...)"), a photo credit.
_CREDIT = re.compile(
    r"^\(?(?:by\s+[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3}\s*$|"
    r"(?:additional\s+)?(?:reporting|writing|editing)\s+by\b|"
    r"(?:photo|image|photograph)\s*(?:by|:|credit))",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class SegmentConfig:
    max_sentence_chars: int = 5_000
    min_tokens: int = 3


def is_boilerplate(text: str) -> bool:
    """The outlet talking about itself rather than reporting, or crediting its staff."""
    return _BOILERPLATE.search(text) is not None or _CREDIT.match(text.strip()) is not None


def trim(sent: Span) -> Span:
    """The sentence without leading or trailing whitespace tokens."""
    start, end = sent.start, sent.end
    doc = sent.doc
    while start < end and doc[start].is_space:
        start += 1
    while end > start and doc[end - 1].is_space:
        end -= 1
    return doc[start:end]


def candidate_sentences(doc: Doc, config: SegmentConfig = SegmentConfig()) -> Iterator[Span]:
    """Sentences that may hold claims, in text order."""
    for raw in doc.sents:
        sent = trim(raw)
        if len(sent) < config.min_tokens:
            continue
        if sent.end_char - sent.start_char > config.max_sentence_chars:
            continue
        text = sent.text
        if text.rstrip("\"'”’) ").endswith("?") or is_boilerplate(text):
            continue
        yield sent
