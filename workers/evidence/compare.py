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

Source interval inside the claim's -> ``supports``; two point figures agree when either
value lies in the other's interval ("3.4" and "3.41 billion"), else they differ; otherwise
disjoint intervals -> ``contradicts``; overlapping otherwise (the source is vaguer than
the claim) -> ``related``. Dates compare the same way over calendar intervals.
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
POINT = frozenset({"=", "~"})
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_NEAR_BELOW = re.compile(r"\b(?:nearly|almost|just under|close to|just shy of)\b", re.I)
_NEAR_ABOVE = re.compile(r"\b(?:just over|just above|slightly more than)\b", re.I)
_UNIT_ALIASES = {"percent": "%", "per cent": "%", "percentage": "%", "pct": "%",
                 "percentage points": "pp", "points": "pp", "dollars": "USD", "$": "USD",
                 "euros": "EUR", "pounds": "GBP", "people": "person", "persons": "person"}


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
    """A unit key for comparison: aliases merged, plurals folded ("images" -> "image")."""
    if unit is None:
        return None
    key = " ".join(unit.lower().split())
    key = _UNIT_ALIASES.get(key, key)
    if len(key) > 3 and key.endswith("ies"):
        return key[:-3] + "y"
    if len(key) > 3 and key.endswith("s") and not key.endswith("ss"):
        return key[:-1]
    return key


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


def quantity_interval(normalized: dict[str, Any], text: str) -> Interval:
    """The interval a quantity's figure is consistent with (see the module docstring)."""
    value = float(normalized["value"])
    upper = normalized.get("upper")
    comparator = normalized.get("comparator") or "="
    half = precision_step(text, value) / 2
    if upper is not None:
        return Interval(value - half, float(upper) + half)
    if comparator == "~":
        spread = max(half, 0.05 * abs(value))
        return Interval(value - spread, value + spread)
    if comparator in ("<", "<="):
        low = value * 0.9 if _NEAR_BELOW.search(text) else -INF if value < 0 else 0.0
        return Interval(low, value)
    if comparator in (">", ">="):
        high = value * 1.1 if _NEAR_ABOVE.search(text) else INF
        return Interval(value, high)
    return Interval(value - half, value + half)


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
    if is_point(claim, claim_text) and is_point(source, source_text):
        claim_value, source_value = float(claim["value"]), float(source["value"])
        within = claim_range.low <= source_value <= claim_range.high
        if within or source_range.low <= claim_value <= source_range.high:
            return "supports"
        return "contradicts"
    return compare_intervals(claim_range, source_range, both_points=False)


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
