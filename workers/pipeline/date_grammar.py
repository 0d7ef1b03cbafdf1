"""Date grammar: the date expressions the date normalizer reads, and their ISO values.

Requires: plain text and an anchor date. Assigns: nothing; ``scan`` yields ``Candidate``
records with offsets into the text it was given. Pure text work, no spaCy: ``dates.py`` adds
the rules that need the parse (entities) and documents the decisions both modules follow.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

_MONTH_NAMES = tuple(
    "January February March April May June July August September October November December".split()
)
_MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES, start=1)}
_MONTHS |= {name[:3]: number for name, number in _MONTHS.items() if name != "May"} | {"Sept": 9}
_WEEKDAYS = {
    name: number
    for number, name in enumerate(
        "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
    )
}
_ORDINALS = {
    word: i % 4 + 1 for i, word in enumerate("first second third fourth 1st 2nd 3rd 4th".split())
}
_COUNTS = {
    word: i
    for i, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve".split()
    )
}
_COUNTS |= {"a": 1, "an": 1}
_MIN_YEAR, _MAX_YEAR = 1000, 2200
_STEPS = {"this": 0, "last": -1, "next": 1}
# groups that make a month more than a bare month name
_MONTH_EXTRAS = ("cqual", "cmod", "cwd", "d1", "d2", "cy", "cry")


def _year(name: str) -> str:
    """Regex for a plausible four-digit year that is not part of a larger number or amount."""
    return (
        rf"(?<![\d$€£¥#])(?<!\d[.,])(?P<{name}>1\d{{3}}|2[01]\d{{2}}|2200)"
        r"(?![\d%]|[.,]\d|s\b|\s*(?:GMT|UTC|hours|hrs)\b)"
    )


def _own_year(digits: str, deictic: str) -> str:
    """Regex for the optional year of a month or quarter: ", 2021", "of 2021", "last year"."""
    return (
        rf"(?:,?\s+(?:of\s+)?{_year(digits)}"
        rf"|\s+(?:of\s+)?(?P<{deictic}>(?i:this|last|next))\s+(?i:year)\b)?"
    )


_MONTH = r"(?:{})\b|(?:{})\b\.?".format(
    "|".join(_MONTH_NAMES),
    "|".join(sorted((name for name in _MONTHS if name not in _MONTH_NAMES), key=len, reverse=True)),
)
_WEEKDAY = "|".join(_WEEKDAYS)
_DAY = r"[0-3]?\d(?:st|nd|rd|th)?\b(?![.,:]\d)"
_MOD = r"(?:(?P<{}>(?i:early|mid|late))(?:-|\s+))?"
_PATTERN = re.compile(
    rf"""
    (?:\b(?P<prep>[IiOo]n)\s+)?\b
    (?:
      (?P<iso>(?<![\d-])(?P<iy>\d{{4}})-(?P<im>\d\d)-(?P<id>\d\d)(?![\d-]))
    | (?P<slash>(?<![\d/])(?P<sa>\d{{1,2}})/(?P<sb>\d{{1,2}})/(?P<sy>\d{{4}})(?![\d/]))
    | (?P<cal>(?:(?P<cqual>(?i:last|this|next))\s+)?{_MOD.format("cmod")}
        (?:(?P<cwd>{_WEEKDAY}),?\s+)?(?:(?<![\d$.,])(?P<d1>{_DAY})\s+(?:of\s+)?)?
        (?P<mon>{_MONTH})(?:\s+(?P<d2>{_DAY}))?{_own_year("cy", "cry")})
    | (?P<quarter>\b(?:(?P<qthe>[Tt]he\s+)?(?P<qord>(?i:{"|".join(_ORDINALS)}))
        [\s-]+(?i:quarter)|Q(?P<qn>[1-4]))\b{_own_year("qy", "qry")})
    | (?P<yq>{_year("yqy")}\s*-?\s*Q(?P<yqn>[1-4])\b)
    | (?P<wday>(?:(?P<wqual>(?i:last|next))\s+)?(?P<wname>{_WEEKDAY})\b)
    | (?P<deictic>(?i:today|yesterday|tomorrow)\b)
    | (?P<rel>(?<![Tt]he\s)(?P<rdir>(?i:this|last|next))\s+(?P<runit>(?i:year|month|quarter))\b)
    | (?P<season>(?P<sdir>(?i:this|last|next))\s+(?P<sname>(?i:spring|summer|autumn|fall|winter))\b)
    | (?P<ofyear>(?i:(?:the\s+(?:first|last|past|final|opening)\s+(?:[a-z]+\s+)?
        (?:months?|weeks?|days|half|quarters?)|the\s+(?:end|rest|remainder|start|beginning)
        )\s+of\s+)(?P<oy>(?i:the\s+year))\b)
    | (?P<ago>(?<![\d,.-])(?P<anum>(?i:{"|".join(_COUNTS)})|\d{{1,3}})
        \s+(?P<aunit>(?i:day|month|year))s?\s+(?i:ago|earlier)\b)
    | (?P<yr>{_MOD.format("ymod")}{_year("yy")})
    )
    """,
    re.VERBOSE,
)

# (value, granularity, relative), or None when the numbers do not form a date
_Value = tuple[str, str, bool] | None


@dataclass(frozen=True, slots=True)
class Candidate:
    """A date expression matched by the grammar, before the parse-dependent checks."""

    start: int  # start of the reported text, a kept "in"/"on" included
    body: int  # start of the expression itself, after any "in"/"on"
    end: int
    value: str
    granularity: str
    relative: bool
    bare: str | None  # "month" or "year" for a month name or a year standing alone


def scan(text: str, anchor: date) -> Iterator[Candidate]:
    """Yield the valid date expressions in ``text``, resolved against ``anchor``."""
    for match in _PATTERN.finditer(text):
        kind = match.lastgroup or ""
        try:
            resolved = _RESOLVERS[kind](match, anchor)
        except (OverflowError, ValueError):  # counted past the ends of the calendar
            continue
        if (
            resolved is None
            or not _MIN_YEAR <= int(resolved[0].lstrip("-").split("-")[0]) <= _MAX_YEAR
        ):
            continue
        value, granularity, relative = resolved
        own_year = match["cry"] or match["qry"]
        keeps_prep = relative and kind in ("cal", "quarter", "wday") and not own_year
        body = match.start("oy" if kind == "ofyear" else kind)  # "of the year": the year
        yield Candidate(
            match.start() if keeps_prep else body,
            body,
            match.end(),
            value,
            granularity,
            relative,
            _bare_kind(match, kind),
        )


def _bare_kind(match: re.Match[str], kind: str) -> str | None:
    """Return "month" or "year" when the match is a month name or a year with nothing else."""
    if kind == "cal" and not any(match[name] for name in _MONTH_EXTRAS):
        return "month"
    if kind == "yr" and match["ymod"] is None:
        return "year"
    return None


def _resolve_iso(match: re.Match[str], anchor: date) -> _Value:
    """Resolve "2021-03-02"."""
    day = _make_date(int(match["iy"]), int(match["im"]), int(match["id"]))
    return (day.isoformat(), "day", False) if day else None


def _resolve_slash(match: re.Match[str], anchor: date) -> _Value:
    """Resolve "03/02/2021" as month/day/year, or day/month/year when only that fits."""
    first, second, year = int(match["sa"]), int(match["sb"]), int(match["sy"])
    month, day_of_month = (first, second) if first <= 12 else (second, first)
    day = _make_date(year, month, day_of_month)
    return (day.isoformat(), "day", False) if day else None


def _resolve_calendar(match: re.Match[str], anchor: date) -> _Value:
    """Resolve month expressions: "June 8, 2021", "8 June", "January 2021", "last March"."""
    name = match["mon"].rstrip(".")
    month = _MONTHS[name]
    day_text = match["d1"] or match["d2"]
    year = _read_year(match, "cy", "cry", anchor)
    relative = match["cy"] is None
    if day_text is not None:
        return _resolve_month_day(match, year, month, int(day_text.rstrip("stndrh")), anchor)
    if year is not None:
        return f"{year}-{month:02d}", "month", relative
    if name not in _MONTH_NAMES:
        return None
    offset = (anchor.month - month) % 12
    qualifier = (match["cqual"] or "").lower()
    if qualifier == "last" and offset == 0:
        offset = 12
    elif qualifier == "next":
        offset -= 12
    elif qualifier == "this":
        offset = anchor.month - month
    year, month = _shift_month(anchor.year, anchor.month, -offset)
    return f"{year}-{month:02d}", "month", True


def _resolve_month_day(
    match: re.Match[str], year: int | None, month: int, day_of_month: int, anchor: date
) -> _Value:
    """Resolve a month and day, with its own year or the most recent one on the anchor."""
    if year is not None:
        day = _make_date(year, month, day_of_month)
        return (day.isoformat(), "day", match["cy"] is None) if day else None
    if _make_date(2000, month, day_of_month) is None:
        return None
    year = anchor.year if (month, day_of_month) <= (anchor.month, anchor.day) else anchor.year - 1
    if match["cwd"] is not None:  # a named weekday picks the year among the neighbouring ones
        for candidate in (year, anchor.year, anchor.year - 1, anchor.year + 1):
            day = _make_date(candidate, month, day_of_month)
            if day is not None and day.weekday() == _WEEKDAYS[match["cwd"]]:
                return day.isoformat(), "day", True
    while not calendar.isleap(year) and (month, day_of_month) == (2, 29):
        year -= 1
    return date(year, month, day_of_month).isoformat(), "day", True


def _resolve_quarter(match: re.Match[str], anchor: date) -> _Value:
    """Resolve "the third quarter of 2024", "Q3 2024" and the yearless "the third quarter"."""
    number = int(match["qn"]) if match["qn"] else _ORDINALS[match["qord"].lower()]
    year = _read_year(match, "qy", "qry", anchor)
    if year is not None:
        return f"{year}-Q{number}", "quarter", match["qy"] is None
    year = anchor.year if 3 * number - 2 <= anchor.month else anchor.year - 1
    return f"{year}-Q{number}", "quarter", True


def _resolve_year_quarter(match: re.Match[str], anchor: date) -> _Value:
    """Resolve "2024 Q3"."""
    return f"{match['yqy']}-Q{match['yqn']}", "quarter", False


def _resolve_weekday(match: re.Match[str], anchor: date) -> _Value:
    """Resolve "on Tuesday", "last Tuesday", "next Tuesday"."""
    back = (anchor.weekday() - _WEEKDAYS[match["wname"]]) % 7
    qualifier = (match["wqual"] or "").lower()
    if qualifier == "last" and back == 0:
        back = 7
    elif qualifier == "next":
        back = back - 7 if back else -7
    return (anchor - timedelta(days=back)).isoformat(), "day", True


def _resolve_deictic(match: re.Match[str], anchor: date) -> _Value:
    """Resolve "today", "yesterday", "tomorrow"."""
    shift = {"today": 0, "yesterday": -1, "tomorrow": 1}[match["deictic"].lower()]
    return (anchor + timedelta(days=shift)).isoformat(), "day", True


def _resolve_relative(match: re.Match[str], anchor: date) -> _Value:
    """Resolve "this year", "last month", "next quarter"."""
    step = _STEPS[match["rdir"].lower()]
    unit = match["runit"].lower()
    if unit == "year":
        return str(anchor.year + step), "year", True
    if unit == "month":
        year, month = _shift_month(anchor.year, anchor.month, step)
        return f"{year}-{month:02d}", "month", True
    year, month = _shift_month(anchor.year, anchor.month, 3 * step)
    return f"{year}-Q{(month - 1) // 3 + 1}", "quarter", True


# The month each season starts in (northern hemisphere); winter is named by its December.
_SEASON_STARTS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}


def _resolve_season(match: re.Match[str], anchor: date) -> _Value:
    """Resolve "next spring", "last summer", "this winter" to the season's year."""
    first = _SEASON_STARTS[match["sname"].lower()]
    step = match["sdir"].lower()
    if step == "next":  # the first one that starts after the anchor's month
        year = anchor.year if anchor.month < first else anchor.year + 1
    elif step == "last":  # the last one that ended before the anchor's month
        year = anchor.year if anchor.month > first + 2 else anchor.year - 1
    else:
        year = anchor.year
    return str(year), "year", True


def _resolve_of_year(match: re.Match[str], anchor: date) -> _Value:
    """Resolve the "the year" of "the first nine months of the year" or "by the end of the
    year": the anchor's year."""
    return str(anchor.year), "year", True


def _resolve_ago(match: re.Match[str], anchor: date) -> _Value:
    """Resolve "a year ago", "two years earlier", "18 months ago", "3 days ago"."""
    count_text = match["anum"].lower()
    count = _COUNTS[count_text] if count_text in _COUNTS else int(count_text)
    unit = match["aunit"].lower()
    if unit == "year":
        return str(anchor.year - count), "year", True
    if unit == "month":
        year, month = _shift_month(anchor.year, anchor.month, -count)
        return f"{year}-{month:02d}", "month", True
    return (anchor - timedelta(days=count)).isoformat(), "day", True


def _resolve_year(match: re.Match[str], anchor: date) -> _Value:
    """Resolve "2019", "mid-2020", "late 2020"."""
    return match["yy"], "year", False


_RESOLVERS = {
    "iso": _resolve_iso,
    "slash": _resolve_slash,
    "cal": _resolve_calendar,
    "quarter": _resolve_quarter,
    "yq": _resolve_year_quarter,
    "wday": _resolve_weekday,
    "deictic": _resolve_deictic,
    "rel": _resolve_relative,
    "ago": _resolve_ago,
    "season": _resolve_season,
    "ofyear": _resolve_of_year,
    "yr": _resolve_year,
}


def _read_year(match: re.Match[str], digits: str, deictic: str, anchor: date) -> int | None:
    """Return the year a month or quarter carries ("2021", "last year"), or None."""
    if match[digits] is not None:
        return int(match[digits])
    return None if match[deictic] is None else anchor.year + _STEPS[match[deictic].lower()]


def _make_date(year: int, month: int, day: int) -> date | None:
    """Return the date, or None when the numbers do not form one."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _shift_month(year: int, month: int, months: int) -> tuple[int, int]:
    """Return the (year, month) ``months`` months after the given one."""
    total = year * 12 + month - 1 + months
    return total // 12, total % 12 + 1
