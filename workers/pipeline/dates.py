"""Date normalizer: find date expressions in a parsed span and resolve them to ISO values.

Requires: a parsed spaCy ``Doc`` or ``Span`` (entity labels decide bare years and month names
and drop dates that belong to a name) and an anchor date, the article's ``published_at`` (or
the time it was received). Assigns: nothing on the Doc; ``find_dates`` returns ``DateMention``
records, offsets being Python string indices into ``span.doc.text``. The grammar (patterns and
resolution) lives in ``date_grammar.py``; this module adds the rules that need the parse.

Decisions:

- Values: ``2020-04-08`` (day), ``2020-04`` (month), ``2024-Q3`` (quarter), ``2019`` (year);
  years outside 1000-2200 are dropped.
- A leading "in"/"on" is part of the match only when the expression has no year of its own and
  names a point of the calendar (a month, a month and day, a weekday, a quarter): "in April",
  "on June 8", "on Tuesday", "in the third quarter". With a year ("2019", "last year") it is
  left out: "in 2019" gives "2019", "in March last year" gives "March last year". "last",
  "this", "next", "early", "mid", "late" and a leading weekday are always part of the match.
- Yearless month, day or quarter: the most recent one on or before the anchor ("in April" with
  anchor 2020-03-01 is 2019-04); a named weekday ("Tuesday, June 2") instead picks the nearest
  year in which it falls on that day. "last March": the most recent March strictly before the
  anchor month; "next March": the first one after it; "this March": the anchor year's.
- Plans look ahead: a yearless month, month and day or quarter governed by a verb in the
  future ("will run trains again from December", "plans to send teams by October") is the
  first one on or after the anchor instead; so is one a change is set for in the present
  simple ("the changes take effect on July 1", "fares rise from March", "starting June 1").
- "during the month", "in the quarter" (``back_references``): the month or quarter the
  article named last ("fell in July ... added 6,800 jobs during the month": July).
- "today" under a verb in the present simple means nowadays ("a shortage that is common in
  hospitals today"), not the publication day, and is not reported.
- Weekdays: "on Tuesday" / "Tuesday" is the most recent Tuesday on or before the anchor day;
  "last Tuesday" is strictly before it, "next Tuesday" strictly after it.
- "a year ago", "a year earlier", "two years ago", "18 months ago", "3 days ago": counted back
  from the anchor, granularity after the unit. "earlier" counts back from the date mentioned
  before it in the same sentence instead, when that one is at least as precise as the unit
  ("3.9% in October, down from 4.1% a month earlier": September). "the last year" (a 12-month
  period), weeks, seasons, decades ("the 1990s"), halves and fiscal years are not reported.
- Slash dates are US month/day/year ("03/02/2021" is 2021-03-02) unless the first number
  cannot be a month ("25/12/2020"); two-digit years are not read.
- A bare year or bare month name needs a DATE entity or a temporal word before it ("in",
  "since", "by", "from", ...). "2,019", "$2020", "2020 people", "2030 GMT" are not years. A
  mention overlapping a LAW, WORK_OF_ART, EVENT, ORG, FAC, PRODUCT or PERSON entity belongs to
  the name; so does a bare year after "Act of", "Class of", "<named entity> of" or a
  capitalized word ("Windows 2000", "Vision 2030"), and a month name before a named person.
- A weekday in a name or fixed phrase is not a date: "Black Friday", "Super Tuesday",
  "Sunday school", "the Sunday Times"; "the Tuesday meeting" and "Tuesday night" are.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, datetime

from spacy.tokens import Doc, Span, Token

from workers.pipeline.date_grammar import Candidate, scan

_NAME_LABELS = frozenset({"LAW", "WORK_OF_ART", "EVENT", "ORG", "FAC", "PRODUCT", "PERSON"})
_LICENSE = re.compile(
    r"\b(?:in|on|since|until|till|by|from|to|through|throughout|before|after|during|of"
    r"|between|and|or|around)\s+$",
    re.IGNORECASE,
)
_NAME_BEFORE_YEAR = re.compile(
    r"\b(?:Acts?|Bill|Law|Code|Treaty|Accords?|Agreement|Convention|Class|Games|Olympics|Cup"
    r"|Expo|Vision|Agenda)\s+(?:of\s+)?$"
)
# A weekday inside a name or a fixed phrase is not the most recent such day: "Black Friday",
# "Super Tuesday", "Sunday school", "the Sunday Times".
_NAMED_DAY = re.compile(
    r"\b(?:Black|Cyber|Super|Good|Ash|Bloody|Easter|Palm|Maundy|Holy|Shrove|Giving)\s+"
    r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day$"
)
_DAY_PHRASE = re.compile(
    r"\s+(?:[Ss]chools?|Times|Telegraph|Mirror|Express|Post|Herald|[Ss]ervices?|[Rr]oast"
    r"|[Ll]eague|[Bb]est)\b"
)
_EARLIER = re.compile(r"\b(day|month|year)s?\s+earlier$", re.IGNORECASE)
_FROM_ON = re.compile(r"\b(?:from|starting|beginning|effective)\s+$", re.IGNORECASE)
# "the month" or "the quarter" of a figure, meaning the one named before it
_BACK_REFERENCE = re.compile(
    r"\b(?:during|in|for|over|through|throughout)\s+the\s+(month|quarter)\b"
    r"(?!\s+(?:of|before|after|earlier|to|ending|ended|ahead)\b)", re.IGNORECASE)
_BACKWARD = re.compile(r"\b(last|ago|earlier|previous|yesterday|this)\b")
_PLAN_VERBS = frozenset({"plan", "aim", "intend", "expect", "schedule", "hope", "want",
                         "propose", "promise", "pledge", "vow", "agree", "decide", "set",
                         "proposal", "bid", "decision", "move", "due"})
# How fine a granularity is; "a month earlier" needs a previous date of month or day precision.
_RANKS = {"year": 0, "quarter": 0, "month": 1, "day": 2}
_WEEKDAY_END = re.compile(r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day$")
_OF_BEFORE = re.compile(r"\S(?=\s+of\s+$)")
_CAPITALIZED_BEFORE = re.compile(
    r"\b(?!(?:The|A|An|This|That|These|Those|Its|His|Her|Their|Our|Every|Each)\s)[A-Z][\w&-]*\s+$"
)


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression found in the text and its ISO value."""

    start: int  # char offset into doc.text
    end: int
    value: str  # ISO: "2020-04-08", "2020-04", "2024-Q3", "2019"
    granularity: str  # "day" | "month" | "quarter" | "year"
    relative: bool  # True when anchored on the publication date ("in April", "last year")

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
    mentions: list[DateMention] = []
    for found in scan(text, anchor):
        entities = entities or _Entities(span.doc, offset)
        if _is_accepted(found, text, entities) and not _means_nowadays(found, text, entities):
            earlier = _EARLIER.search(text, found.start, found.end)
            if mentions and earlier is not None:
                found = _from_previous(found, text, mentions[-1], earlier.group(1).lower())
            elif _looks_ahead(found, text, anchor, entities):
                found = _year_later(found)
            mentions.append(
                DateMention(
                    offset + found.start,
                    offset + found.end,
                    found.value,
                    found.granularity,
                    found.relative,
                )
            )
    return mentions


def back_references(span: Span, text: str, periods: dict[str, DateMention],
                    found: list[DateMention]) -> list[DateMention]:
    """ "during the month", "in the quarter": the month or quarter the article named last
    (``periods``, by granularity), as a mention over "the month"; then ``periods`` learns the
    months and quarters of ``found`` (this span's own dates) for the spans after it."""
    mentions = []
    if periods:
        for match in _BACK_REFERENCE.finditer(text, span.start_char, span.end_char):
            named = periods.get(match.group(1).lower())
            start, end = match.start(1) - 4, match.end(1)  # "the month"
            if named is not None and not any(m.start < end and start < m.end for m in found):
                mentions.append(DateMention(start, end, named.value, named.granularity, True))
    for mention in found:
        if mention.granularity in ("month", "quarter"):
            periods[mention.granularity] = mention
    return mentions


def _governing_verb(found: Candidate, entities: _Entities) -> Token | None:
    """The verb the mention hangs from in the parse."""
    start, end = found.body + entities.offset, found.end + entities.offset
    span = entities.doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    tok = span.root
    while tok.pos_ not in ("VERB", "AUX") and tok.head.i != tok.i:
        tok = tok.head
    return tok if tok.pos_ in ("VERB", "AUX") else None


def _means_nowadays(found: Candidate, text: str, entities: _Entities) -> bool:
    """ "today" under a present-simple verb: "common in hospitals today"."""
    if text[found.body : found.end].lower() != "today":
        return False
    verb = _governing_verb(found, entities)
    if verb is None:
        return False
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    return verb.tag_ in ("VBZ", "VBP") and not auxes


def _looks_ahead(found: Candidate, text: str, anchor: date, entities: _Entities) -> bool:
    """A yearless month, day or quarter in the past of the anchor, governed by a plan."""
    if not found.relative or found.granularity not in ("month", "day", "quarter"):
        return False
    words = text[found.start : found.end].lower()
    if _BACKWARD.search(words) or _WEEKDAY_END.search(text, 0, found.end):
        return False
    if _period_end(found.value, found.granularity) >= anchor:
        return False
    verb = _governing_verb(found, entities)
    if verb is None:
        return False
    if _scheduled(verb, text[: found.start]):
        return True
    # "will move to a plant in Monterrey, starting in March": the plan is the clause's verb
    while verb.dep_ in ("advcl", "acl", "xcomp", "pcomp", "prep", "conj") and verb.head.i != verb.i:
        if _plans(verb):
            return True
        verb = verb.head
    return _plans(verb)


def _scheduled(verb: Token, before: str) -> bool:
    """A change set for a date, in the present simple: "the changes take effect on July 1",
    "fares rise from March", "the rule applies starting June 1" (not "fares rose from March"),
    or a participle from a date ("raising the bill from January")."""
    if verb.lower_ in ("starting", "beginning") and verb.head.i != verb.i:
        verb = verb.head  # "the rules apply starting June 1": the rules' verb
    unmarked = not any(c.dep_ in ("aux", "auxpass") for c in verb.children)
    from_on = _FROM_ON.search(before) is not None
    if verb.tag_ == "VBG" and unmarked and from_on:
        return True  # "approved a rise, raising the bill from January"
    if verb.tag_ not in ("VBZ", "VBP") or not unmarked:
        return False
    effect = verb.lemma_.lower() in ("take", "come", "go") and any(
        c.lower_ in ("effect", "force") for c in verb.subtree)
    return effect or verb.lemma_.lower() == "kick" or from_on


def _plans(verb: Token) -> bool:
    """A verb in the future ("will run"), reported as such ("said it would raise"), or the
    object of a plan ("plans to send", "a plan to raise")."""
    reported = verb.dep_ == "ccomp" and verb.head.lemma_.lower() in ("say", "tell", "announce")
    modals = ("will", "shall", "would") if reported else ("will", "shall")
    future = any(c.dep_ == "aux" and c.lemma_.lower() in modals for c in verb.children)
    # "expects the drug to reach pharmacies in January": an infinitive under "expect" is
    # parsed as a ccomp when it has a subject of its own
    infinitive = verb.dep_ == "ccomp" and any(c.dep_ == "aux" and c.lower_ == "to"
                                              for c in verb.children)
    planned = ((verb.dep_ in ("xcomp", "acl") or infinitive)
               and verb.head.lemma_.lower() in _PLAN_VERBS)
    return future or planned


def _period_end(value: str, granularity: str) -> date:
    """The last day of a month, day or quarter value."""
    if granularity == "quarter":
        year, quarter = value.split("-Q")
        month = 3 * int(quarter)
        return date(int(year), month, calendar.monthrange(int(year), month)[1])
    parts = [int(p) for p in value.split("-")]
    if granularity == "month":
        return date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
    return date(parts[0], parts[1], parts[2])


def _year_later(found: Candidate) -> Candidate:
    """The same month, day or quarter one year on."""
    year, rest = found.value.split("-", 1)
    if rest == "02-29":
        rest = "02-28"
    return replace(found, value=f"{int(year) + 1}-{rest}")


def _from_previous(found: Candidate, text: str, previous: DateMention, unit: str) -> Candidate:
    """Count "a month earlier" back from the date mentioned before it, when that is precise."""
    start = _period_start(previous)
    if start is None or _RANKS[previous.granularity] < _RANKS[unit]:
        return found
    again = next(scan(text[found.start : found.end], start), None)
    if again is None:
        return found
    return replace(found, value=again.value, granularity=again.granularity)


def _period_start(mention: DateMention) -> date | None:
    """First day of a mention's period ("2023-10" is 2023-10-01); None for quarters."""
    parts = mention.value.split("-")
    if mention.granularity == "quarter" or not all(p.isdigit() for p in parts):
        return None
    year, month, day = (int(p) for p in [*parts, "1", "1"][:3])
    return date(year, month, day)


def _is_accepted(found: Candidate, text: str, entities: _Entities) -> bool:
    """Apply the entity and context rules that the grammar alone cannot check."""
    labels = entities.labels_over(found.body, found.end)
    if labels & _NAME_LABELS or _is_named_day(found, text):
        return False
    if found.bare == "month":
        return found.start < found.body or _is_licensed_month(found, text, entities, labels)
    if found.bare == "year":
        return _is_licensed_year(found, text, entities, labels)
    return True


def _is_named_day(found: Candidate, text: str) -> bool:
    """Tell whether a lone weekday belongs to a name or phrase ("Black Friday", "Sunday school")."""
    if found.granularity != "day" or not _WEEKDAY_END.search(text, 0, found.end):
        return False
    named = _NAMED_DAY.search(text, max(0, found.body - 12), found.end)
    return named is not None or _DAY_PHRASE.match(text, found.end) is not None


def _is_licensed_month(found: Candidate, text: str, entities: _Entities, labels: set[str]) -> bool:
    """Accept a bare month name after a temporal word, or tagged DATE and not a first name."""
    after = found.end + 1
    if text[found.end : after] == " " and entities.labels_over(after, after + 1) & _NAME_LABELS:
        return False
    before = text[max(0, found.body - 24) : found.body]
    return "DATE" in labels or _LICENSE.search(before) is not None


def _is_licensed_year(found: Candidate, text: str, entities: _Entities, labels: set[str]) -> bool:
    """Accept a bare year tagged DATE, or after a temporal word and not counting a noun."""
    before = text[max(0, found.body - 24) : found.body]
    if _is_name_year(before, found.body, entities):
        return False
    if "DATE" in labels:
        return True
    if labels - {"CARDINAL"}:
        return False
    return _LICENSE.search(before) is not None and not (labels and _is_count(found, text))


def _is_name_year(before: str, body: int, entities: _Entities) -> bool:
    """Tell whether a year continues a name: "Act of 2020", "<EVENT> of 2020", "Windows 2000"."""
    if _NAME_BEFORE_YEAR.search(before):
        return True
    if _CAPITALIZED_BEFORE.search(before) and not _LICENSE.search(before):
        return True
    of = _OF_BEFORE.search(before)
    if of is None:
        return False
    name_end = body - len(before) + of.end()
    return bool(entities.labels_over(name_end - 1, name_end) & _NAME_LABELS)


def _is_count(found: Candidate, text: str) -> bool:
    """Tell whether a number tagged CARDINAL is followed by the noun it counts."""
    after = text[found.end : found.end + 2]
    return len(after) == 2 and after[0] == " " and after[1].islower()
