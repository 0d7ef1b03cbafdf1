"""Automatic assessment: the stance of each evidence passage, then the claim's verdict.

Requires: the claim's statement, parsed (``claim_facts``), each passage's text and annotated
spans (``passages.parse_spans``) and, for fact-checks, the rating. Assigns: nothing; returns
stances with reasons a person can check and a ``Verification``.

A passage figure is compared with a claim figure only when both measure the same thing
(``likeness.same_measure``: unit, what is counted, subject, time, role), and the reason says
which two figures were compared and why they match. If the claim names entities, the passage
must name one of them. A fact-check's rating transfers only to a claim that says the same
thing: a high ``sameness`` and the same figures and dates both ways (``same_figures``); a
fact-check's own words count as facts only when it rates them true. When unsure the answer is
``related``: a true claim marked ``contradicted`` is the worst error, a wrong ``supported``
the next.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from spacy.tokens import Doc

from schemas.claims import AutoVerdict, Evidence, Stance, Verification
from workers.evidence.compare import compare_dates, compare_quantities
from workers.evidence.likeness import Likeness, measure_unit, same_event, same_measure
from workers.evidence.measures import NAME_LABELS
from workers.evidence.passages import parse_spans
from workers.evidence.query import folded_terms
from workers.evidence.ratings import rating_stance

SAME_CLAIM = 0.6  # sameness above which a fact-check's rating is the claim's
MIN_DECISIVE_SCORE = 0.3  # evidence score below which a stance does not decide the verdict
SNIPPET_CHARS = 280
MAIN_ROLES = frozenset({"current", "change"})  # a claim's own figures, not earlier or planned
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class ClaimFacts:
    """What assessment reads of a claim: its words, entity names, and annotated figures."""

    statement: str
    terms: frozenset[str]
    entities: tuple[frozenset[str], ...] = ()
    quantities: tuple[dict[str, Any], ...] = ()
    dates: tuple[dict[str, Any], ...] = ()


@dataclass
class PassageStance:
    """A passage's stance towards the claim, why, and where in the passage."""

    stance: Stance
    reason: str | None = None
    focus: tuple[int, int] | None = None
    from_rating: bool = False
    basis: str = ""  # what decided: "rating", "quantity", "date" or "" (nothing)


def claim_facts(doc: Doc, anchor: date) -> ClaimFacts:
    """A claim's words, names and figures from its parsed statement (dates anchored)."""
    spans = parse_spans(doc, anchor)
    entities = [frozenset(folded_terms(s["text"])) for s in spans
                if s["kind"] == "entity" and s.get("label") in NAME_LABELS]
    quantities = [s for s in spans if s["kind"] == "quantity"
                  and s["normalized"].get("value") is not None]
    dates = [s for s in spans if s["kind"] == "date" and s["normalized"].get("value")]
    return ClaimFacts(doc.text, frozenset(folded_terms(doc.text)),
                      tuple(e for e in entities if e), tuple(quantities), tuple(dates))


def names_only(statement: str, spans: Sequence[Any]) -> ClaimFacts:
    """A claim with no figures: its words and the names the extractor found (no parse)."""
    entities = [frozenset(folded_terms(s.text)) for s in spans
                if s.kind == "entity" and s.label in NAME_LABELS]
    return ClaimFacts(statement, frozenset(folded_terms(statement)),
                      tuple(e for e in entities if e))


def source_label(title: str | None, publisher: str | None, published: str | None) -> str:
    """How a reason names a source: "FTC report, 2021-03-02"."""
    name = publisher or title or "source"
    if title and publisher and len(title) <= 60:
        name = f"{publisher}: {title}"
    return f"{name}, {published[:10]}" if published else name


def _names_claim_entity(facts: ClaimFacts, passage_terms: set[str]) -> bool:
    """True when the claim names no entity or the passage names one of them."""
    return not facts.entities or any(name <= passage_terms for name in facts.entities)


@dataclass(frozen=True)
class Compared:
    """A claim figure, the source figure it was compared with, the stance and the likeness."""

    stance: Stance
    claim: dict[str, Any]
    source: dict[str, Any]
    likeness: Likeness

    def reason(self, label: str) -> str:
        return (f"source says {self.source['text']} ({label}); claim says "
                f"{self.claim['text']}; {self.likeness.what}")


def _best_of(found: list[Compared]) -> Compared | None:
    """For one claim figure: a supporting passage figure wins, then a contradicting one."""
    for wanted in ("supports", "contradicts", "related"):
        for item in found:
            if item.stance == wanted:
                return item
    return None


def _quantity_matches(claim: dict[str, Any], spans: Sequence[dict[str, Any]]) -> list[Compared]:
    found = []
    for span in spans:
        if span["kind"] != "quantity" or span["normalized"].get("value") is None:
            continue
        likeness = same_measure(claim, span)
        if likeness is None:
            continue
        stance = compare_quantities(_resolved(claim), claim["text"], _resolved(span),
                                    span["text"])
        if stance == "contradicts" and not likeness.firm:
            stance = "related"
        if stance == "supports" and not likeness.named:
            stance = "related"  # the same figure, but maybe for another place or body
        if stance is not None:
            found.append(Compared(stance, claim, span, likeness))
    return found


def _resolved(span: dict[str, Any]) -> dict[str, Any]:
    """A quantity's normalized value with the unit it stands for ("1.9 million" of containers)."""
    return {**span["normalized"], "unit": measure_unit(span)}


def _date_matches(claim: dict[str, Any], spans: Sequence[dict[str, Any]]) -> list[Compared]:
    found = []
    for span in spans:
        likeness = same_event(claim, span) if span["kind"] == "date" else None
        stance = compare_dates(claim["normalized"], span["normalized"]) if likeness else None
        if stance is not None and likeness is not None:
            found.append(Compared(stance, claim, span, likeness))
    return found


def compare_figures(facts: ClaimFacts, text: str, spans: Sequence[dict[str, Any]],
                    *, label: str) -> PassageStance:
    """Stance of a passage from its figures that measure what the claim's figures measure."""
    if not _names_claim_entity(facts, folded_terms(text)):
        return PassageStance("related")
    found = [_quantity_matches(claim, spans) for claim in facts.quantities]
    # a source figure that agrees with one claim figure is that one's, not a rival of another
    agreeing = {id(c.source) for items in found for c in items if c.stance == "supports"}
    results = [_best_of([c for c in items if c.stance == "supports"
                         or id(c.source) not in agreeing]) for items in found]
    results += [_best_of(_date_matches(claim, spans)) for claim in facts.dates]
    main = any(q.get("role") in MAIN_ROLES for q in facts.quantities)
    return _figure_verdict([r for r in results if r is not None], label=label, main=main)


def _figure_verdict(results: list[Compared], *, label: str, main: bool) -> PassageStance:
    """One contradicted figure makes the passage contradict; else a supported one supports,
    but only a main figure when the claim has one: an earlier value or a target confirmed
    alone leaves the claim's own figure unchecked."""
    for wanted in ("contradicts", "supports"):
        for item in results:
            minor = item.claim.get("role") not in MAIN_ROLES and item.claim["kind"] == "quantity"
            if wanted == "supports" and main and minor:
                continue
            if item.stance == wanted:
                return PassageStance(wanted, item.reason(label),
                                     (item.source["start"], item.source["end"]),
                                     basis=item.source["kind"])
    if results:
        item = results[0]
        return PassageStance("related", item.reason(label),
                             (item.source["start"], item.source["end"]))
    return PassageStance("related")


def same_figures(facts: ClaimFacts, spans: Sequence[dict[str, Any]]) -> bool:
    """True when a reviewed claim gives the claim's figures and dates, and no others.

    Each figure must agree both ways ("more than 3 million" is not "10 million", though 10
    million is more than 3 million); units must match, the words around them need not.
    """
    theirs = [s for s in spans if s["kind"] == "quantity" and s["normalized"].get("value")
              is not None]
    their_dates = [s for s in spans if s["kind"] == "date" and s.get("role") != "report"]
    ours_dates = [d for d in facts.dates if d.get("role") != "report"]
    return (_all_matched(list(facts.quantities), theirs, _same_quantity)
            and _all_matched(theirs, list(facts.quantities), _same_quantity)
            and _all_matched(ours_dates, their_dates, _same_date)
            and _all_matched(their_dates, ours_dates, _same_date))


def _all_matched(items: list[dict[str, Any]], others: list[dict[str, Any]], same: Any) -> bool:
    return all(any(same(item, other) for other in others) for item in items)


def _same_quantity(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if a.get("unit_key") != b.get("unit_key"):
        return False
    there = compare_quantities(_resolved(a), a["text"], _resolved(b), b["text"])
    back = compare_quantities(_resolved(b), b["text"], _resolved(a), a["text"])
    return there == back == "supports"


def _same_date(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return compare_dates(a["normalized"], b["normalized"]) == "supports"


def rating_verdict(rating_text: str | None, rating_value: float | None, *, best: float | None,
                   worst: float | None, sameness: float, same_figures: bool,
                   label: str) -> PassageStance | None:
    """Stance from a fact-check's rating; None when the rating is unknown.

    The rating transfers only when the reviewed claim is the claim: similar enough
    (``sameness``) and with the same figures (``same_figures``). Otherwise it is shown in a
    ``related`` reason.
    """
    stance = rating_stance(rating_text, rating_value, best=best, worst=worst)
    if stance is None:
        return None
    shown = rating_text or f"{rating_value:g}"
    if sameness < SAME_CLAIM or not same_figures:
        why = "with other figures " if sameness >= SAME_CLAIM else ""
        reason = f"fact-check of a similar claim {why}rated {shown!r} ({label})"
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
