"""Whether a source figure measures the same thing as a claim figure, and why.

Requires: quantity and date spans annotated by ``measures.annotate`` (``unit_key``, ``nouns``,
``names``, ``time``, ``role``). Assigns: nothing; returns a ``Likeness`` (the words a person
can check: "both count containers, for 2023") or None when the two are not comparable.

Two figures are compared only when:

- their units agree (the same counted noun or a synonym, %, percentage points, the same
  currency, a factor), and, for units that say nothing of what is measured (%, money, people,
  a bare number), their clauses share a noun that is not generic ("unemployment");
- neither is a target or forecast unless both are, a change ("rose 5 percent") is only
  compared with a change and a whole ("29 of our 60 years") with a whole; a question's
  figures are never compared;
- where both name an entity in their clause, they name the same one ("Greystone County" is not
  the city of Greystone); where both say which kind ("cases of torture", "cases of assault"),
  the kinds meet;
- where both have a time, the times overlap (a figure for 2021 is not one for 2023). A
  present-tense figure with no date ("the app has 5 million users") stands for the year
  before its text was published; changes must start from the same time ("since 2019").

A ``Likeness`` is ``firm`` (a difference may contradict) when both figures are known to be for
the same time and the source names the claim's subject; otherwise a difference is only
``related``: two figures with no time may be for different years. An agreeing figure
supports only where the source names the claim's subject (``named``).

Dates are compared only as dates of the same event: both ``event`` dates (not the time of a
figure, not when a report came out, not "since 1998") of clauses that share a verb and a noun.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from workers.evidence.compare import Interval, date_interval
from workers.evidence.query import fold, folded_terms

# Units that do not say what is counted: the clause must share a noun as well.
OPEN_UNITS = frozenset({None, "%", "pp", "times", "person", "usd", "eur", "gbp", "jpy", "inr",
                        "cny", "cad", "aud", "chf", "vote", "year", "month", "week", "day",
                        "hour", "minute", "decade"})
PEOPLE_NOUNS = frozenset({"people", "person", "population", "resident", "inhabitant", "citizen",
                          "individual", "adult", "child", "voter", "worker", "patient"})
GENERIC_NOUNS = frozenset({"year", "percent", "number", "total", "level", "rate", "time", "month",
                           "week", "day", "share", "amount", "figure", "people", "person", "cent",
                           "lot", "part", "majority", "half", "third", "quarter", "dollar",
                           "euro", "pound", "million", "billion", "thousand", "%", "point",
                           "percentage", "average", "increase", "rise", "fall", "drop",
                           "report", "data", "statistic", "estimate", "official", "survey"})
OWN_ROLES = frozenset({"target", "change", "whole"})  # compared only with the same role
NOW_REACH_DAYS = 366  # a present-tense figure with no date stands for the year before publication
PLACE_WORDS = frozenset(fold(w) for w in (
    "county", "state", "province", "region", "district", "city", "borough", "municipality",
    "metropolitan", "greater", "country", "nation", "island", "department", "prefecture",
    "territory"))
UNIT_NAMES = {"%": "percent", "pp": "percentage points", "times": "times over", "person": "people",
              "usd": "US dollars", "eur": "euros", "gbp": "pounds", "vote": "votes"}


@dataclass(frozen=True, slots=True)
class Likeness:
    """Two figures measure the same thing: how the reason says so, and whether it is firm."""

    what: str
    firm: bool
    named: bool = True  # the source names the claim's subject (or the claim names none)


def _one_name(a: str, b: str) -> bool:
    """Two names for one entity: "Tidewater" and "Tidewater Port", "Redfield" and "Redfield
    School District", not "Greystone" and "Greystone County" (a place word alone makes
    another place)."""
    short, long = sorted((folded_terms(a), folded_terms(b)), key=len)
    if not short or not short <= long:
        return False
    extra = long - short
    return not extra or not extra <= PLACE_WORDS


def _names_agree(claim: dict[str, Any], source: dict[str, Any], *, strict: bool) -> bool:
    """The figures' entities agree; ``strict``: the source must name one the claim names (as
    an entity, or in the words around its figure when the tagger missed the name)."""
    claim_names, source_names = claim.get("names") or [], source.get("names") or []
    if claim_names and source_names:
        return any(_one_name(c, s) for c in claim_names for s in source_names)
    if not strict or not claim_names:
        return True
    words = {fold(n) for n in source.get("nouns") or ()}
    return any(folded_terms(c) <= words for c in claim_names)


def _time_text(time: dict[str, Any] | None) -> str:
    return f", for {time.get('text') or time.get('value')}" if time else ""


def _when(span: dict[str, Any]) -> tuple[Interval | None, str | None, bool]:
    """A figure's time as days, its granularity, and whether it is only "now" (the present
    tense on the day of publication, which stands for the year before it)."""
    time = span.get("time")
    if time:
        return date_interval(time), time.get("granularity"), False
    if span.get("now"):
        day = date.fromisoformat(span["now"]).toordinal()
        return Interval(day - NOW_REACH_DAYS, day), "now", True
    return None, None, False


def _times(claim: dict[str, Any], source: dict[str, Any]) -> tuple[bool, bool]:
    """(comparable, same time) of two figures' times."""
    claim_days, claim_grain, claim_now = _when(claim)
    source_days, source_grain, source_now = _when(source)
    if claim_days is None or source_days is None:
        return True, False  # a figure with no time may be for any time
    if not claim_days.overlaps(source_days):
        return False, False
    if claim_now or source_now:
        return True, not (claim_now and source_now) or claim.get("role") == source.get("role")
    grains = {claim_grain, source_grain}
    return True, len(grains) == 1 or grains == {"month", "day"}


def _bases_agree(claim: dict[str, Any], source: dict[str, Any]) -> bool:
    """Changes measured from the same starting time (when both say it)."""
    bases = claim.get("base"), source.get("base")
    if not all(bases):
        return True
    first, second = date_interval(bases[0] or {}), date_interval(bases[1] or {})
    return first is not None and second is not None and first.overlaps(second)


def measure_unit(figure: dict[str, Any]) -> str | None:
    """The unit a figure is compared in: its ``unit_key``, or "person" for a bare number about
    people ("police killed 558", "a population of 45 million"), so that it meets "558 people"."""
    if figure.get("unit_key") is None and set(figure.get("nouns") or ()) & PEOPLE_NOUNS:
        return "person"
    return figure.get("unit_key")


def same_measure(claim: dict[str, Any], source: dict[str, Any]) -> Likeness | None:
    """Why two annotated quantity spans measure the same thing; None when they do not."""
    if "unit_key" not in claim or "unit_key" not in source:
        return None
    unit = measure_unit(claim)
    if unit != measure_unit(source):
        return None
    roles = (claim.get("role"), source.get("role"))
    if "question" in roles:
        return None
    if set(roles) & OWN_ROLES and roles[0] != roles[1] or "whole" in roles:
        return None
    kinds = set(claim.get("kinds") or ()), set(source.get("kinds") or ())
    if all(kinds) and not kinds[0] & kinds[1]:
        return None
    if not _names_agree(claim, source, strict=False) or not _bases_agree(claim, source):
        return None
    theirs = set(source.get("nouns") or ())
    shared = [n for n in claim.get("nouns") or () if n in theirs and n not in GENERIC_NOUNS]
    if unit in OPEN_UNITS and not shared:
        return None
    comparable, same_time = _times(claim, source)
    if not comparable:
        return None
    named = _names_agree(claim, source, strict=True)
    firm = same_time and named
    if unit in OPEN_UNITS:
        what = f"both measure {shared[0]}" + (f" in {UNIT_NAMES.get(unit, unit)}" if unit else "")
    else:
        what = f"both count {unit}s" + (f" ({shared[0]})" if shared and shared[0] != unit else "")
    time = claim.get("time") or source.get("time")
    return Likeness(what + _time_text(time), firm, named)


def same_event(claim: dict[str, Any], source: dict[str, Any]) -> Likeness | None:
    """Why two annotated date spans date the same event; None when they may not."""
    if claim.get("role") != "event" or source.get("role") != "event":
        return None
    verbs = set(claim.get("verbs") or ()) & set(source.get("verbs") or ()) - {"be", "have"}
    nouns = (set(claim.get("nouns") or ()) & set(source.get("nouns") or ())) - GENERIC_NOUNS
    if not verbs or not nouns:
        return None
    return Likeness(f"both date the same event ({sorted(verbs)[0]} {sorted(nouns)[0]})", True)
