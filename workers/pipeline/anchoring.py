"""Absolute wording for relative dates, so a statement stands on its own.

requires: a ``DateMention`` resolved against the anchor. assigns: nothing; returns the words
that replace the mention in the statement ("in April" -> "in April 2020", "last year" ->
"in 2019", "on Tuesday" -> "on Tuesday, May 5, 2020"). After a preposition the sentence
already has ("up from last year", "compared with last year") no other is added ("up from
2019"); a quarter after an adjective keeps the sentence's grammar ("a weak second quarter
of 2024 profit", not "a weak the second quarter").
"""

from __future__ import annotations

from workers.pipeline.dates import DateMention

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_QUARTERS = {"1": "first", "2": "second", "3": "third", "4": "fourth"}
_PREPOSITIONAL = frozenset({"in", "on", "last", "this", "next", "yesterday", "today", "a", "an",
                            "early", "mid", "late"})
# Prepositions a date can follow: they already give it its role in the sentence.
_GOVERNING = frozenset({"from", "since", "than", "with", "to", "until", "till", "by", "before",
                        "after", "of", "over", "through", "between", "versus", "vs", "at",
                        "during", "for", "against", "in", "on", "as"})
_SEASONS = frozenset({"spring", "summer", "autumn", "fall", "winter"})
_WEEKDAYS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                       "sunday"})


def absolute_phrase(text: str, mention: DateMention, *, after: str = "") -> str:
    """The mention reworded with its resolved year (and day), keeping its role in the sentence.

    ``after`` is the word before the mention in the sentence.
    """
    words = text.lower().replace("-", " ").split()
    with_preposition = bool(words) and (
        words[0] in _PREPOSITIONAL or words[-1] in ("ago", "earlier", "later", "before")
    ) and after.lower() not in _GOVERNING
    value = mention.value
    if mention.granularity == "day":
        year, month, day = value.split("-")
        weekday = next((w.capitalize() + ", " for w in words if w in _WEEKDAYS), "")
        phrase, preposition = f"{weekday}{_MONTHS[int(month) - 1]} {int(day)}, {year}", "on"
    elif mention.granularity == "month":
        year, month = value.split("-")
        phrase, preposition = f"{_MONTHS[int(month) - 1]} {year}", "in"
    elif mention.granularity == "quarter":
        year, quarter = value.split("-Q")
        article = "the " if with_preposition or words[:1] == ["the"] else ""
        phrase = f"{article}{_QUARTERS.get(quarter, quarter)} quarter of {year}"
        preposition = "in"
    else:
        season = next((w for w in words if w in _SEASONS), None)  # "next spring"
        phrase, preposition = (f"{season} {value}" if season else value), "in"
    return f"{preposition} {phrase}" if with_preposition else phrase
