"""Date normalizer: find date expressions in a parsed span and resolve them to ISO values.

Requires: a parsed spaCy ``Doc`` or ``Span`` (``doc.ents`` is used to license bare years and
month names and to drop years that belong to a name) and an anchor date, the article's
``published_at`` (or the time it was received).
Assigns: nothing on the Doc; ``find_dates`` returns ``DateMention`` records whose offsets are
Python string indices into ``span.doc.text``.

Decisions:

- Values: ``2020-04-08`` (day), ``2020-04`` (month), ``2024-Q3`` (quarter), ``2019`` (year);
  years outside 1000-2200 are dropped.
- A leading "in"/"on" is part of the match only when the expression has no year of its own and
  names a point of the calendar (a month, a month and day, a weekday, a quarter): "in April",
  "on June 8", "on Tuesday", "in the third quarter". With a year it is left out ("in 2019"
  gives "2019", "on 8 June 2021" gives "8 June 2021"); "last", "this", "next" and
  "early"/"mid"/"late" are always part of the match ("last March", "mid-2020").
- Yearless month, day or quarter: the most recent one on or before the anchor ("in April" with
  anchor 2020-03-01 is 2019-04). "last March": the most recent March strictly before the
  anchor month; "next March": the first one after it.
- Weekdays: "on Tuesday" / "Tuesday" is the most recent Tuesday on or before the anchor day;
  "last Tuesday" is strictly before it, "next Tuesday" strictly after it.
- "a year ago", "a year earlier", "two years ago": counted back from the anchor (year, month
  or day granularity after the unit). "the last year" (a 12-month period) is not a date.
- Slash dates are US month/day/year ("03/02/2021" is 2021-03-02) unless the first number
  cannot be a month. Two-digit years, seasons, weeks and decades ("the 1990s") are skipped.
- A bare year (or bare month name) needs a DATE entity or a temporal word before it ("in",
  "since", "by", ...); numbers such as "2,019", "$2020" or "2020 people" are not years. A
  mention that overlaps a name entity (LAW, WORK_OF_ART, EVENT, ORG, FAC, PRODUCT, PERSON),
  or a year right after "Act of" and similar, belongs to the name and is not reported.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from spacy.tokens import Doc, Span

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
_NAME_LABELS = frozenset({"LAW", "WORK_OF_ART", "EVENT", "ORG", "FAC", "PRODUCT", "PERSON"})
_MIN_YEAR, _MAX_YEAR = 1000, 2200
_MONTH_EXTRAS = ("cqual", "cmod", "cwd", "d1", "d2", "cy")  # groups that make a month not bare


def _year(name: str) -> str:
    """Regex for a plausible four-digit year that is not part of a larger number or amount."""
    return rf"(?<![\d$€£¥#])(?<!\d[.,])(?P<{name}>1\d{{3}}|2[01]\d{{2}}|2200)(?![\d%]|[.,]\d|s\b)"


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
        (?P<mon>{_MONTH})(?:\s+(?P<d2>{_DAY}))?(?:,?\s+(?:of\s+)?{_year("cy")})?)
    | (?P<quarter>\b(?:(?P<qthe>[Tt]he\s+)?(?P<qord>(?i:{"|".join(_ORDINALS)}))
        \s+(?i:quarter)|Q(?P<qn>[1-4]))\b(?:(?:\s+of)?,?\s+{_year("qy")})?)
    | (?P<yq>{_year("yqy")}\s*-?\s*Q(?P<yqn>[1-4])\b)
    | (?P<wday>(?:(?P<wqual>(?i:last|next))\s+)?(?P<wname>{_WEEKDAY})\b)
    | (?P<deictic>(?i:today|yesterday|tomorrow)\b)
    | (?P<rel>(?<![Tt]he\s)(?P<rdir>(?i:this|last|next))\s+(?P<runit>(?i:year|month|quarter))\b)
    | (?P<ago>(?P<anum>(?i:{"|".join(_COUNTS)})|\d{{1,3}})
        \s+(?P<aunit>(?i:day|month|year))s?\s+(?i:ago|earlier)\b)
    | (?P<yr>{_MOD.format("ymod")}{_year("yy")})
    )
    """,
    re.VERBOSE,
)
_LICENSE = re.compile(
    r"\b(?:in|on|at|since|until|till|by|from|to|through|throughout|before|after|during|of"
    r"|between|and|or|around)\s+$",
    re.IGNORECASE,
)
_NAME_BEFORE_YEAR = re.compile(
    r"\b(?:Acts?|Bill|Law|Code|Treaty|Accords?|Agreement|Convention|Class|Games|Olympics|Cup"
    r"|Expo|Vision|Agenda)\s+(?:of\s+)?$"
)
_OF_BEFORE = re.compile(r"\S(?=\s+of\s+$)")

# (value, granularity, relative) and the same with the start of the reported text
_Value = tuple[str, str, bool] | None
_Resolved = tuple[str, str, bool, int] | None


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression found in the text and its ISO value."""

    start: int
    end: int
    value: str
    granularity: str
    relative: bool

    def normalized(self) -> dict:
        """Return the claim record's ``normalized`` field for this date."""
        return {"value": self.value, "granularity": self.granularity}


class _Entities:
    """Entity labels of the doc's tokens, looked up by offsets into the searched text."""

    def __init__(self, doc: Doc, offset: int) -> None:
        self.doc = doc
        self.offset = offset  # doc offset of the searched text's first character
        self.doc_end = doc[-1].idx + len(doc[-1]) if len(doc) else 0

    def labels_over(self, start: int, end: int) -> set[str]:
        """Return the entity labels of the tokens overlapping ``[start, end)``."""
        start, end = start + self.offset, min(end + self.offset, self.doc_end)
        span = self.doc.char_span(start, end, alignment_mode="expand") if start < end else None
        return set() if span is None else {token.ent_type_ for token in span} - {""}


def find_dates(span: Doc | Span, anchor: date) -> list[DateMention]:
    """Find the date expressions in ``span`` and resolve them against ``anchor``."""
    if isinstance(anchor, datetime):
        anchor = anchor.date()
    offset = 0 if isinstance(span, Doc) else span.start_char
    text = span.text
    entities: _Entities | None = None
    mentions = []
    for match in _PATTERN.finditer(text):
        resolved = _resolve(match, anchor)
        if resolved is None:
            continue
        value, granularity, relative, start = resolved
        entities = entities or _Entities(span.doc, offset)
        if _is_accepted(match, text, entities, start):
            mentions.append(
                DateMention(offset + start, offset + match.end(), value, granularity, relative)
            )
    return mentions


def _is_accepted(match: re.Match[str], text: str, entities: _Entities, text_start: int) -> bool:
    """Apply the entity and context rules that the pattern alone cannot check."""
    kind = match.lastgroup or ""
    body = match.start(kind)
    labels = entities.labels_over(body, match.end())
    if labels & _NAME_LABELS:
        return False
    if kind == "cal" and not any(match[name] for name in _MONTH_EXTRAS):
        return text_start < body or _is_licensed_month(match, text, entities, labels)
    if kind == "yr" and match["ymod"] is None:
        return _is_licensed_year(match, text, entities, labels)
    return True


def _is_licensed_month(
    match: re.Match[str], text: str, entities: _Entities, labels: set[str]
) -> bool:
    """Accept a bare month name after a temporal word, or tagged DATE and not a first name."""
    after = match.end() + 1
    if text[match.end() : after] == " " and entities.labels_over(after, after + 1) & _NAME_LABELS:
        return False
    body = match.start("cal")
    return "DATE" in labels or _LICENSE.search(text[max(0, body - 24) : body]) is not None


def _is_licensed_year(
    match: re.Match[str], text: str, entities: _Entities, labels: set[str]
) -> bool:
    """Accept a bare year tagged DATE, or after a temporal word and not counting a noun."""
    body = match.start("yr")
    before = text[max(0, body - 24) : body]
    if _is_name_year(before, body, entities):
        return False
    if "DATE" in labels:
        return True
    if labels - {"CARDINAL"}:
        return False
    return _LICENSE.search(before) is not None and not (labels and _is_count(match, text))


def _is_name_year(before: str, body: int, entities: _Entities) -> bool:
    """Tell whether a year continues a name: "Act of 2020", "<EVENT> of 2020"."""
    if _NAME_BEFORE_YEAR.search(before):
        return True
    of = _OF_BEFORE.search(before)
    if of is None:
        return False
    name_end = body - len(before) + of.end()
    return bool(entities.labels_over(name_end - 1, name_end) & _NAME_LABELS)


def _is_count(match: re.Match[str], text: str) -> bool:
    """Tell whether a number tagged CARDINAL is followed by the noun it counts."""
    after = text[match.end() : match.end() + 2]
    return len(after) == 2 and after[0] == " " and after[1].islower()


def _resolve(match: re.Match[str], anchor: date) -> _Resolved:
    """Resolve a pattern match to its value, or None when it is not a valid date."""
    kind = match.lastgroup
    assert kind is not None
    resolved = _RESOLVERS[kind](match, anchor)
    if resolved is None or not _MIN_YEAR <= int(resolved[0][:4]) <= _MAX_YEAR:
        return None
    value, granularity, relative = resolved
    keeps_prep = relative and kind in ("cal", "quarter", "wday")
    return value, granularity, relative, match.start() if keeps_prep else match.start(kind)


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
    if day_text is None and match["cy"] is None and name not in _MONTH_NAMES:
        return None
    if day_text is not None:
        return _resolve_month_day(match, month, int(day_text.rstrip("stndrh")), anchor)
    if match["cy"] is not None:
        return f"{match['cy']}-{month:02d}", "month", False
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


def _resolve_month_day(match: re.Match[str], month: int, day_of_month: int, anchor: date) -> _Value:
    """Resolve a month and day, with its own year or the most recent one on the anchor."""
    if match["cy"] is not None:
        day = _make_date(int(match["cy"]), month, day_of_month)
        return (day.isoformat(), "day", False) if day else None
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
    if match["qy"] is not None:
        return f"{match['qy']}-Q{number}", "quarter", False
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
    step = {"this": 0, "last": -1, "next": 1}[match["rdir"].lower()]
    unit = match["runit"].lower()
    if unit == "year":
        return str(anchor.year + step), "year", True
    if unit == "month":
        year, month = _shift_month(anchor.year, anchor.month, step)
        return f"{year}-{month:02d}", "month", True
    year, month = _shift_month(anchor.year, anchor.month, 3 * step)
    return f"{year}-Q{(month - 1) // 3 + 1}", "quarter", True


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
    "yr": _resolve_year,
}


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
