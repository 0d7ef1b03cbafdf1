"""Automatic assessment: the stance of each evidence passage, then the claim's verdict.

Requires: the claim's figures and words (``ClaimFacts``), each passage's text and spans
(``parse_spans``) and, for fact-checks, the rating. Assigns: nothing; returns stances with
human-readable reasons and a ``Verification``.

A passage figure is compared with a claim figure only when it is about the same thing: same
unit (quantities), the passage's sentence around it shares two content words with the claim,
one of them not part of a name (the "what", not only the "who"), and, if the claim names
entities, the passage names one of them. A fact-check's rating
counts only when the fact-check is about the same claim (a high ``sameness``). When unsure
the answer is ``related``: a wrong ``supported`` is worse than none.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from schemas.claims import AutoVerdict, Evidence, Stance, Verification
from workers.evidence.compare import compare_dates, compare_quantities
from workers.evidence.query import folded_terms
from workers.evidence.ratings import rating_stance

SAME_CLAIM = 0.6  # sameness above which a fact-check's rating is the claim's
MIN_DECISIVE_SCORE = 0.3  # evidence score below which a stance does not decide the verdict
MIN_CONTEXT_WORDS = 2
CONTEXT_CHARS = 160
SNIPPET_CHARS = 280
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class ClaimFacts:
    """What assessment reads of a claim: its words, entity names, quantities and dates."""

    statement: str
    terms: frozenset[str]
    entities: tuple[frozenset[str], ...] = ()
    quantities: tuple[tuple[dict[str, Any], str], ...] = ()
    dates: tuple[tuple[dict[str, Any], str], ...] = ()


@dataclass
class PassageStance:
    """A passage's stance towards the claim, why, and where in the passage."""

    stance: Stance
    reason: str | None = None
    focus: tuple[int, int] | None = None
    from_rating: bool = False
    basis: str = ""  # what decided: "rating", "quantity", "date" or "" (nothing)


def claim_facts(statement: str, spans: Sequence[Any]) -> ClaimFacts:
    """Collect a claim's words and figures from its statement and spans (models or dicts)."""
    get = (lambda s, k: s.get(k)) if spans and isinstance(spans[0], dict) else getattr
    entities, quantities, dates = [], [], []
    for span in spans:
        kind, text, normalized = get(span, "kind"), get(span, "text"), get(span, "normalized")
        if kind == "entity":
            names = folded_terms(text)
            if names:
                entities.append(frozenset(names))
        elif kind == "quantity" and normalized and normalized.get("value") is not None:
            quantities.append((normalized, text))
        elif kind == "date" and normalized and normalized.get("value"):
            dates.append((normalized, text))
    return ClaimFacts(statement, frozenset(folded_terms(statement)), tuple(entities),
                      tuple(quantities), tuple(dates))


def source_label(title: str | None, publisher: str | None, published: str | None) -> str:
    """How a reason names a source: "FTC report, 2021-03-02"."""
    name = publisher or title or "source"
    if title and publisher and len(title) <= 60:
        name = f"{publisher}: {title}"
    return f"{name}, {published[:10]}" if published else name


def _window(text: str, start: int, end: int) -> str:
    """The sentence around a passage span, cut to ``CONTEXT_CHARS`` each side."""
    left = text[max(0, start - CONTEXT_CHARS) : start]
    right = text[end : end + CONTEXT_CHARS]
    left = _SENTENCE_END.split(left)[-1]
    right = _SENTENCE_END.split(right)[0]
    return f"{left} {right}"


def _about_same_thing(facts: ClaimFacts, text: str, span: dict[str, Any]) -> bool:
    """True when the words around a passage figure share enough with the claim."""
    context = folded_terms(_window(text, span["start"], span["end"]))
    context -= folded_terms(span["text"])
    shared = context & facts.terms
    names = frozenset().union(*facts.entities) if facts.entities else frozenset()
    return len(shared) >= min(MIN_CONTEXT_WORDS, len(facts.terms)) and bool(shared - names)


def _names_claim_entity(facts: ClaimFacts, passage_terms: set[str]) -> bool:
    """True when the claim names no entity or the passage names one of them."""
    return not facts.entities or any(name <= passage_terms for name in facts.entities)


def _best_of(found: list[tuple[Stance, dict[str, Any], str]]) -> tuple[Stance, dict, str] | None:
    """For one claim figure: a supporting passage figure wins, then a contradicting one."""
    for wanted in ("supports", "contradicts", "related"):
        for item in found:
            if item[0] == wanted:
                return item
    return None


def compare_figures(facts: ClaimFacts, text: str, spans: Sequence[dict[str, Any]],
                    *, label: str) -> PassageStance:
    """Stance of a passage from its figures about the same thing as the claim's."""
    passage_terms = folded_terms(text)
    if not _names_claim_entity(facts, passage_terms):
        return PassageStance("related")
    results = []
    for claim_norm, claim_text in facts.quantities:
        found = []
        for span in spans:
            if span["kind"] != "quantity" or not _about_same_thing(facts, text, span):
                continue
            stance = compare_quantities(claim_norm, claim_text, span["normalized"], span["text"])
            if stance is not None:
                found.append((stance, span, claim_text))
        results.append(_best_of(found))
    for claim_norm, claim_text in facts.dates:
        found = []
        for span in spans:
            if span["kind"] == "date" and _about_same_thing(facts, text, span):
                stance = compare_dates(claim_norm, span["normalized"])
                if stance is not None:
                    found.append((stance, span, claim_text))
        results.append(_best_of(found))
    return _figure_verdict([r for r in results if r is not None], label=label)


def _figure_verdict(results: list[tuple[Stance, dict, str]], *, label: str) -> PassageStance:
    """One contradicted figure makes the passage contradict; else one supported supports."""
    details = [f"source says {s['text']} ({label}); claim says {c}" for _, s, c in results]
    for wanted in ("contradicts", "supports"):
        for (stance, span, _), detail in zip(results, details, strict=True):
            if stance == wanted:
                return PassageStance(stance, detail, (span["start"], span["end"]),
                                     basis=span["kind"])
    if results:
        stance, span, _ = results[0]
        return PassageStance("related", details[0], (span["start"], span["end"]))
    return PassageStance("related")


def rating_verdict(rating_text: str | None, rating_value: float | None, *, best: float | None,
                   worst: float | None, sameness: float, label: str) -> PassageStance | None:
    """Stance from a fact-check's rating; None when the rating is unknown."""
    stance = rating_stance(rating_text, rating_value, best=best, worst=worst)
    if stance is None:
        return None
    shown = rating_text or f"{rating_value:g}"
    if sameness < SAME_CLAIM:
        reason = f"fact-check of a similar claim rated {shown!r} ({label})"
        return PassageStance("related", reason)
    reason = f"fact-check rates the same claim {shown!r} ({label})"
    return PassageStance(stance, reason, from_rating=True, basis="rating")


def snippet(text: str, *, focus: tuple[int, int] | None, terms: frozenset[str]) -> str:
    """The passage sentence around the focus, or the one sharing most words with the claim."""
    if len(text) <= SNIPPET_CHARS:
        return text
    sentences, offset = [], 0
    for part in _SENTENCE_END.split(text):
        start = text.find(part, offset)
        sentences.append((start, part))
        offset = start + len(part)
    if focus is not None:
        chosen = next((s for s in sentences if s[0] <= focus[0] < s[0] + len(s[1])), sentences[0])
    else:
        chosen = max(sentences, key=lambda s: len(folded_terms(s[1]) & terms))
    body = chosen[1]
    return body if len(body) <= SNIPPET_CHARS else body[: SNIPPET_CHARS - 1].rstrip() + "…"


def _decides(evidence: Evidence, basis: str) -> bool:
    """Whether a stance may decide the verdict: strong enough, and not a date that agrees.

    A matching date is context, not confirmation: "the minister resigned in 2020" is not shown
    true by a passage that mentions 2020. A date that differs still contradicts.
    """
    if evidence.stance == "related" or evidence.score < MIN_DECISIVE_SCORE:
        return False
    return not (evidence.stance == "supports" and basis == "date")


def verdict(items: Sequence[tuple[Evidence, str]]) -> Verification:
    """The claim's verdict from its evidence and the basis of each stance (see ``basis``)."""
    if not items:
        return Verification(auto="no_evidence", confidence=0.0, reason="no matching source found")
    decisive = [(e, b == "rating") for e, b in items if _decides(e, b)]
    rated = [(e, r) for e, r in decisive if r]
    pool = rated or decisive
    stances = {e.stance for e, _ in pool}
    if len(stances) == 1:
        best, from_rating = max(pool, key=lambda item: item[0].score)
        base = 0.45 if from_rating else 0.3
        confidence = round(min(0.95, base + 0.5 * best.score), 3)
        auto: AutoVerdict = "supported" if best.stance == "supports" else "contradicted"
        return Verification(auto=auto, confidence=confidence, reason=best.reason)
    top = max((e for e, _ in items), key=lambda e: e.score)
    if stances:
        reasons = "; ".join(e.reason or "" for e, _ in pool[:2])
        return Verification(auto="related", confidence=round(top.score / 2, 3),
                            reason=f"sources disagree: {reasons}")
    reason = top.reason or f"related source: {top.title or top.source_id}"
    return Verification(auto="related", confidence=round(top.score, 3), reason=reason)
