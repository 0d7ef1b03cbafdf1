"""Compare a claim's quantity or date with a source's, with a tolerance that follows precision.

Requires: normalized spans as the pipeline writes them (``{"value", "upper", "unit",
"comparator"}`` for quantities, ``{"value", "granularity"}`` for dates) and the span text.
Assigns: nothing; returns a stance (``supports``, ``contradicts``, ``related``).

Every figure stands for an interval of values it is consistent with:

- an exact figure covers half a step of its last written digit: "3.4 billion" is
  [3.35, 3.45] billion, "12 percent" [11.5, 12.5]; trailing zeros of integers of 1,000 and
  more count as rounding ("7,800" is [7,750, 7,850]), of smaller ones do not ("20 percent");
- "about" (``~``) widens that to at least 5% of the value either side;
- "more than 3 billion" is (3 billion, inf); "nearly", "almost", "just under" (read as ``<``
  by the normalizer) cover the 10% below the figure, "just over" the 10% above it;
- a range "3 to 5 million" covers its ends, widened by half a step.

``TOLERANCES`` is that list as a table; ``tests/evidence/test_compare.py`` has a row per entry.

Source interval inside the claim's -> ``supports``; two point figures agree when either
value lies in the other's interval ("3.4" and "3.41 billion"), else they differ; otherwise
disjoint intervals -> ``contradicts``, unless the values differ by less than 5% and by at
most three steps of the claim's last digit (a rounding, not an error: ``related``);
overlapping otherwise (the source is vaguer than the claim) -> ``related``. Dates compare the
same way over calendar intervals.
"""

from __future__ import annotations

import calendar
import math
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from schemas.claims import Stance

INF = math.inf
MATERIAL_GAP = 0.05  # a figure that misses by less than 5% of the value ...
MATERIAL_STEPS = 3  # ... and by at most 3 steps of its last written digit is not contradicted
POINT = frozenset({"=", "~"})
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_NEAR_BELOW = re.compile(r"\b(?:nearly|almost|just under|close to|just shy of)\b", re.I)
_NEAR_ABOVE = re.compile(r"\b(?:just over|just above|slightly more than)\b", re.I)
_UNIT_ALIASES = {"percent": "%", "per cent": "%", "percentage": "%", "pct": "%",
                 "percentage points": "pp", "points": "pp", "dollars": "usd", "$": "usd",
                 "euros": "eur", "pounds": "gbp", "people": "person", "persons": "person",
                 "residents": "person", "individuals": "person", "x": "times", "fold": "times",
                 "times": "times"}
# Counted nouns that measure the same thing ("jobs" and "positions"), by their singular.
_SYNONYMS = {"position": "job", "post": "job", "worker": "employee", "staff": "employee",
             "car": "vehicle", "rider": "passenger", "trip": "journey", "house": "home",
             "family": "household", "fatality": "death", "pupil": "student",
             "physician": "doctor", "inmate": "prisoner", "tourist": "visitor"}


@dataclass(frozen=True, slots=True)
class Interval:
    """Closed interval of values a figure is consistent with."""

    low: float
    high: float

    def contains(self, other: Interval) -> bool:
        """True when ``other`` lies inside this interval."""
        return self.low <= other.low and other.high <= self.high

    def overlaps(self, other: Interval) -> bool:
        """True when the two intervals share a value."""
        return self.low <= other.high and other.low <= self.high


def normalize_unit(unit: str | None) -> str | None:
    """A unit key for comparison: aliases and synonyms merged, plurals folded ("images")."""
    if unit is None:
        return None
    key = " ".join(unit.lower().split())
    if key in _UNIT_ALIASES:
        return _UNIT_ALIASES[key]
    if len(key) > 3 and key.endswith("ies"):
        key = key[:-3] + "y"
    elif len(key) > 3 and key.endswith("s") and not key.endswith("ss"):
        key = key[:-1]
    return _SYNONYMS.get(key, key)


def precision_step(text: str, value: float) -> float:
    """The step of the figure's last written digit, in the normalized value's scale."""
    match = _NUMBER.search(text)
    if match is None:
        return _step_from_value(value)
    written = match.group().rstrip(",.")
    digits = written.replace(",", "")
    try:
        number = float(digits)
    except ValueError:
        return _step_from_value(value)
    scale = abs(value) / number if number else 1.0
    if "." in digits:
        step = 10.0 ** -len(digits.split(".")[1])
    else:
        zeros = len(digits) - len(digits.rstrip("0")) if number >= 1000 else 0
        step = 10.0**zeros
    return step * (scale if scale > 0 else 1.0)


def _step_from_value(value: float) -> float:
    """Step of the last significant digit of a value written in words ("three billion")."""
    if value == 0:
        return 1.0
    text = f"{abs(value):.12g}"
    mantissa, _, exponent = text.partition("e")
    digits = mantissa.replace(".", "").strip("0") or "0"
    magnitude = math.floor(math.log10(abs(value)))
    return 10.0 ** (magnitude - len(digits) + 1)


# How far each kind of figure reaches, as factors of its value: (low, high). "step" is the
# rounding of the last written digit (half a step either side); a factor pair is widened to
# at least that. The phrase keys are read from the span text; the others are comparators.
TOLERANCES: dict[str, tuple[float | str, float | str]] = {
    "=": ("step", "step"),      # "12 percent" is 11.5 to 12.5
    "~": (0.95, 1.05),          # "about", "around", "roughly": 5% either side
    ">": (1.0, INF),            # "more than 3 billion"
    ">=": (1.0, INF),           # "at least 500"
    "<": (0.0, 1.0),            # "less than $5 million"
    "<=": (0.0, 1.0),           # "at most", "up to"
    "nearly": (0.9, 1.0),       # "nearly", "almost", "just under", "close to", "just shy of"
    "just over": (1.0, 1.1),    # "just over", "just above", "slightly more than"
}


def tolerance_key(normalized: dict[str, Any], text: str) -> str:
    """Which row of ``TOLERANCES`` a figure follows."""
    comparator = normalized.get("comparator") or "="
    if comparator in ("<", "<=") and _NEAR_BELOW.search(text):
        return "nearly"
    if comparator in (">", ">=") and _NEAR_ABOVE.search(text):
        return "just over"
    return comparator if comparator in TOLERANCES else "="


def quantity_interval(normalized: dict[str, Any], text: str) -> Interval:
    """The interval a quantity's figure is consistent with (``TOLERANCES``)."""
    value = float(normalized["value"])
    upper = normalized.get("upper")
    half = precision_step(text, value) / 2
    if upper is not None:
        return Interval(value - half, float(upper) + half)
    key = tolerance_key(normalized, text)
    low, high = TOLERANCES[key]
    if isinstance(low, str) or isinstance(high, str):
        return Interval(value - half, value + half)
    if high == INF:
        return Interval(value, INF)
    if low == 0.0:
        return Interval(-INF if value < 0 else 0.0, value)
    bottom, top = sorted((value * low, value * high))
    if key == "~":  # "about" reaches at least as far as the rounding
        bottom, top = min(bottom, value - half), max(top, value + half)
    return Interval(bottom, top)


def is_point(normalized: dict[str, Any], text: str) -> bool:
    """True for a figure that names one value ("3.4 billion", "about 7,800")."""
    comparator = normalized.get("comparator") or "="
    return normalized.get("upper") is None and (
        comparator in POINT or bool(_NEAR_BELOW.search(text) or _NEAR_ABOVE.search(text))
    )


def compare_intervals(claim: Interval, source: Interval, *, both_points: bool) -> Stance:
    """Stance of a source interval towards a claim interval."""
    if not claim.overlaps(source):
        return "contradicts"
    if claim.contains(source) or both_points:
        return "supports"
    return "related"


def compare_quantities(
    claim: dict[str, Any], claim_text: str, source: dict[str, Any], source_text: str
) -> Stance | None:
    """Stance of a source quantity towards a claim quantity; None when units differ."""
    if normalize_unit(claim.get("unit")) != normalize_unit(source.get("unit")):
        return None
    claim_range = quantity_interval(claim, claim_text)
    source_range = quantity_interval(source, source_text)
    claim_value, source_value = float(claim["value"]), float(source["value"])
    if is_point(claim, claim_text) and is_point(source, source_text):
        within = claim_range.low <= source_value <= claim_range.high
        if within or source_range.low <= claim_value <= source_range.high:
            return "supports"
        stance: Stance = "contradicts"
    else:
        stance = compare_intervals(claim_range, source_range, both_points=False)
    step = precision_step(claim_text, claim_value)
    if stance == "contradicts" and not _material(claim_value, source_value, step):
        return "related"
    return stance


def _material(claim: float, source: float, step: float) -> bool:
    """A difference worth a ``contradicted``: at least ``MATERIAL_GAP`` of the value, or more
    than ``MATERIAL_STEPS`` steps of the claim's last written digit ("27%" against 27.63% is
    a rounding; "83.4 years" against 81.2 is an error)."""
    gap = abs(claim - source)
    return gap >= MATERIAL_GAP * max(abs(claim), abs(source)) or gap > MATERIAL_STEPS * step


def date_interval(normalized: dict[str, Any]) -> Interval | None:
    """Calendar interval of an ISO date value as ordinal days; None if unreadable."""
    value = str(normalized.get("value") or "")
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            day = date.fromisoformat(value).toordinal()
            return Interval(day, day)
        if re.fullmatch(r"\d{4}-\d{2}", value):
            year, month = int(value[:4]), int(value[5:])
            last = calendar.monthrange(year, month)[1]
            return Interval(date(year, month, 1).toordinal(), date(year, month, last).toordinal())
        quarter = re.fullmatch(r"(\d{4})-Q([1-4])", value)
        if quarter:
            year, q = int(quarter.group(1)), int(quarter.group(2))
            end_month = 3 * q
            last_day = calendar.monthrange(year, end_month)[1]
            return Interval(date(year, end_month - 2, 1).toordinal(),
                            date(year, end_month, last_day).toordinal())
        if re.fullmatch(r"\d{4}", value):
            year = int(value)
            return Interval(date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal())
    except ValueError:
        return None
    return None


def compare_dates(claim: dict[str, Any], source: dict[str, Any]) -> Stance | None:
    """Stance of a source date towards a claim date; None when either is unreadable."""
    claim_days, source_days = date_interval(claim), date_interval(source)
    if claim_days is None or source_days is None:
        return None
    same_grain = claim.get("granularity") == source.get("granularity")
    return compare_intervals(claim_days, source_days, both_points=same_grain)
