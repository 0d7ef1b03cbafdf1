"""Absolute wording for relative dates, so a statement stands on its own.

requires: a ``DateMention`` resolved against the anchor. assigns: nothing; returns the words
that replace the mention in the statement ("in April" -> "in April 2020", "last year" ->
"in 2019", "on Tuesday" -> "on Tuesday, May 5, 2020").
"""

from __future__ import annotations

from workers.pipeline.dates import DateMention

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_QUARTERS = {"1": "first", "2": "second", "3": "third", "4": "fourth"}
_PREPOSITIONAL = frozenset({"in", "on", "last", "this", "next", "yesterday", "today", "a", "an",
                            "early", "mid", "late"})
_WEEKDAYS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                       "sunday"})


def absolute_phrase(text: str, mention: DateMention) -> str:
    """The mention reworded with its resolved year (and day), keeping its role in the sentence."""
    words = text.lower().replace("-", " ").split()
    with_preposition = bool(words) and (
        words[0] in _PREPOSITIONAL or words[-1] in ("ago", "earlier", "later", "before")
    )
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
        phrase, preposition = f"the {_QUARTERS.get(quarter, quarter)} quarter of {year}", "in"
    else:
        phrase, preposition = value, "in"
    return f"{preposition} {phrase}" if with_preposition else phrase
