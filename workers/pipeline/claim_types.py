"""Claim types after Full Fact's typology, from the unit's spans and words.

requires: the unit's tokens (tagger, lemmatizer) and its spans. assigns: a sorted list of
``quantity``, ``temporal``, ``comparison``, ``causal``, ``prediction``, ``attribution``,
``law_rule``; ``other`` when none applies.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from spacy.tokens import Token

from schemas.claims import Span

_CAUSAL = frozenset({"cause", "because", "lead", "result", "due", "blame", "trigger", "drive",
                     "thank", "attribute", "contribute", "responsible", "consequence"})
_PREDICT = frozenset({"forecast", "predict", "project", "expect", "will", "anticipate",
                      "estimate", "likely"})
_LAW = frozenset({"law", "illegal", "legal", "ban", "bill", "act", "regulation", "rule",
                  "constitution", "statute", "court", "require", "mandate", "prohibit", "unlawful"})
_COMPARE = frozenset({"compare", "double", "triple", "halve", "outpace", "exceed", "surpass",
                      "record", "than", "versus"})
_HOUSEHOLD = frozenset({"heating", "energy", "electricity", "electric", "gas", "water", "phone",
                        "utility", "medical", "hospital", "grocery", "food", "power", "fuel"})
_ORDER = ("quantity", "temporal", "comparison", "causal", "prediction", "attribution", "law_rule")


def classify(tokens: Iterable[Token], spans: Sequence[Span], *, attributed: bool) -> list[str]:
    """The types that apply to a unit, in a fixed order."""
    kinds = {s.kind for s in spans}
    labels = {s.label for s in spans if s.kind == "entity"}
    found: set[str] = set()
    if "quantity" in kinds:
        found.add("quantity")
    if "date" in kinds:
        found.add("temporal")
    if attributed or "quote" in kinds:
        found.add("attribution")
    if "LAW" in labels:
        found.add("law_rule")
    numeric = [(s.start, s.end) for s in spans if s.kind in ("quantity", "date")]
    for token in tokens:
        if any(start <= token.idx < end for start, end in numeric):
            continue
        lemma = token.lemma_.lower()
        if token.tag_ in ("JJR", "JJS", "RBR", "RBS") or lemma in _COMPARE:
            found.add("comparison")
        if lemma in _CAUSAL:
            found.add("causal")
        if lemma in _PREDICT or (token.tag_ == "MD" and lemma in ("will", "would")):
            found.add("prediction")
        if lemma in _LAW and not _is_everyday_sense(token, lemma):
            found.add("law_rule")
    types = [t for t in _ORDER if t in found]
    return types or ["other"]


def _is_everyday_sense(token: Token, lemma: str) -> bool:
    """"act" and "bill" as verbs, and a household bill ("heating bills"), are not about law."""
    if lemma in ("act", "bill") and token.pos_ not in ("NOUN", "PROPN"):
        return True
    return lemma == "bill" and any(
        child.dep_ in ("compound", "amod") and child.lemma_.lower() in _HOUSEHOLD
        for child in token.children
    )
