"""Which read amounts are reported as quantities: times, identifiers, labels and dates are not.

Requires: a parsed spaCy Doc and a finished ``Candidate`` from the quantity reader.
Assigns: nothing; ``is_reportable`` says yes or no. Dropped: clock times ("3pm"), numbers
glued by hyphens ("3-year-old", "555-123"; vote tallies are read before, in ``tallies.py``),
identifiers and pages ("#5", "No. 10", "0012345", "pp. 45-50"), labels
("Section 230", "Boeing 737"), years and other dates (but durations such as "lasted 18 months"
are kept, ages and "5 years ago" are not), scores and odds ("2 to 1"), the pronoun "one" and
"net zero".
"""

from __future__ import annotations

from spacy.tokens import Doc

from workers.pipeline.numtables import (
    DURATION_UNITS,
    HYPHENS,
    NOT_DURATION_AFTER,
    TIME_WORDS,
)
from workers.pipeline.numwords import Candidate, is_id_like, is_year_like, parse_number

PROPORTION_UNITS = frozenset({"%", "pp", "bp"})
BARE_OK_ENTS = frozenset({"", "CARDINAL", "QUANTITY", "MONEY", "PERCENT"})


def is_reportable(doc: Doc, cand: Candidate) -> bool:
    """Drop times, identifiers, labels, years, dates, scores and pronoun "one"."""
    core = doc[cand.core]
    if cand.num_end < len(doc) and doc[cand.num_end].lower_ in TIME_WORDS:
        return False
    if _hyphen_linked(doc, cand) or _after_id_marker(doc, cand.core):
        return False
    if cand.scale != 1.0 or cand.currency or cand.unit in PROPORTION_UNITS:
        return True
    if core.ent_type_ in ("DATE", "TIME") and not _is_duration(doc, cand):
        return False
    if is_id_like(core.text) or _is_label(doc, cand):
        return False
    if is_year_like(core.text) and (cand.unit is None or doc[cand.end - 1].tag_ != "NNS"):
        return False
    if core.lower_ == "zero" and core.i > 0 and doc[core.i - 1].lower_ == "net":
        return False  # "net zero" names a target
    if (core.lower_ == "one" and cand.start == cand.core and cand.comparator == "="
            and cand.upper is None):
        return False  # "one of the best", "at one point"
    if cand.unit is not None:
        return True
    return core.ent_type_ in BARE_OK_ENTS and not _is_score(doc, cand)


def _is_duration(doc: Doc, cand: Candidate) -> bool:
    """Say whether a date-tagged amount is a length of time ("lasted 18 months")."""
    if cand.unit not in DURATION_UNITS or cand.value <= 1:
        return False
    return cand.end >= len(doc) or doc[cand.end].lower_ not in NOT_DURATION_AFTER


def _is_label(doc: Doc, cand: Candidate) -> bool:
    """Say whether the number names something ("Section 230", "Boeing 737", "Windows 10")."""
    number = doc[cand.num_end - 1]
    if number.head.i < cand.core and number.head.pos_ in ("NOUN", "PROPN"):
        return True
    before = doc[cand.core - 1] if cand.core > 0 else None
    return before is not None and cand.start == cand.core and before.pos_ in ("NOUN", "PROPN")


def _is_score(doc: Doc, cand: Candidate) -> bool:
    """Say whether a bare number is half of a score or odds ("2 to 1")."""
    before, after = cand.core - 1, cand.num_end
    if before >= 1 and doc[before].lower_ == "to":
        other = parse_number(doc[before - 1].text)
        if other is not None and other >= cand.value:
            return True
    if after + 1 < len(doc) and doc[after].lower_ == "to":
        other = parse_number(doc[after + 1].text)
        if other is not None and other <= cand.value:
            return True
    return False


def _hyphen_linked(doc: Doc, cand: Candidate) -> bool:
    """Say whether the number is glued by hyphens to more numbers or words ("3-year-old")."""
    before = cand.core - 1
    if before >= 1 and doc[before].text in HYPHENS and doc[before - 1].whitespace_ == "":
        prev = doc[before - 1]
        if prev.text[-1:].isdigit() or prev.is_alpha:
            return True
    after = cand.num_end
    if after + 1 < len(doc) and doc[after].text in HYPHENS and doc[after].whitespace_ == "":
        nxt = doc[after + 1]
        if nxt.lower_ != "plus" and (nxt.text[:1].isdigit() or nxt.is_alpha):
            return doc[after - 1].whitespace_ == ""
    return False


def _after_id_marker(doc: Doc, core: int) -> bool:
    """Say whether the number follows "#", "No." or a page mark "p." (an identifier)."""
    if core == 0:
        return False
    prev = doc[core - 1]
    if prev.text == "#" or prev.lower_ in ("no.", "nos.", "p.", "pp."):
        return True
    return prev.text == "." and core >= 2 and doc[core - 2].lower_ in ("no", "nos", "p", "pp")
