"""Spans: entities and quotes of a sentence, as claim-record spans.

requires: ``doc.ents`` (NER) and a sentence Span; for a quote's speaker also the parse (lemma,
POS, dependencies). assigns: nothing; returns ``schemas.claims.Span`` objects with offsets into
``doc.text``. Quantities and dates have their own stages (``quantities.py``, ``dates.py``):
spaCy's numeric labels are not trusted for them.
"""

from __future__ import annotations

import re

from spacy.tokens import Span as SpacySpan

from schemas.claims import Span
from workers.pipeline.clauses import SAY_LEMMAS

NUMERIC_LABELS = frozenset({"CARDINAL", "MONEY", "PERCENT", "QUANTITY", "DATE", "TIME", "ORDINAL"})
_QUOTE = re.compile(r"[\"“]([^\"“”]{12,}?)[\"”]")


def entity_spans(sent: SpacySpan) -> list[Span]:
    """Named entities of the sentence, by spaCy label, numeric labels left to the normalizers."""
    return [
        Span(kind="entity", text=ent.text, start=ent.start_char, end=ent.end_char,
             label=ent.label_)
        for ent in sent.ents
        if ent.label_ not in NUMERIC_LABELS and ent.text.strip()
    ]


def quote_spans(sent: SpacySpan) -> list[Span]:
    """Quoted words of at least a few words, offsets of the words inside the marks."""
    base = sent.start_char
    found = []
    for match in _QUOTE.finditer(sent.text):
        words = match.group(1).rstrip(",;: ")  # '"We cut it," she said': the comma is not said
        if len(words.split()) < 3:
            continue
        start = base + match.start(1)
        found.append(Span(kind="quote", text=words, start=start, end=start + len(words)))
    return found


def quote_speaker(sent: SpacySpan) -> str | None:
    """The subject of the sentence's saying verb ("..., Krishna said." -> "Krishna")."""
    for token in sent:
        if token.lemma_ in SAY_LEMMAS and token.pos_ == "VERB":
            for child in token.children:
                if child.dep_ in ("nsubj", "nsubjpass") and child.pos_ != "PRON":
                    return sent.doc[child.left_edge.i : child.right_edge.i + 1].text
    return None
