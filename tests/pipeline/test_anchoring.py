"""anchoring: relative dates reworded with their resolved values for statements."""

from __future__ import annotations

import pytest

from workers.pipeline.anchoring import absolute_phrase
from workers.pipeline.dates import DateMention


def mention(value: str, granularity: str) -> DateMention:
    return DateMention(start=0, end=1, value=value, granularity=granularity, relative=True)


@pytest.mark.parametrize(
    ("text", "value", "granularity", "expected"),
    [
        # month with its preposition
        ("in April", "2020-04", "month", "in April 2020"),
        # "last" month becomes "in"
        ("last March", "2022-03", "month", "in March 2022"),
        # a relative year
        ("last year", "2023", "year", "in 2023"),
        # a year counted back
        ("a year earlier", "2019", "year", "in 2019"),
        # a weekday keeps its name
        ("on Tuesday", "2023-05-02", "day", "on Tuesday, May 2, 2023"),
        # yesterday
        ("yesterday", "2023-05-01", "day", "on May 1, 2023"),
        # a quarter
        ("in the third quarter", "2024-Q3", "quarter", "in the third quarter of 2024"),
        # a bare month after another preposition keeps no preposition of its own
        ("April", "2020-04", "month", "April 2020"),
    ],
)
def test_absolute_phrase(text: str, value: str, granularity: str, expected: str) -> None:
    assert absolute_phrase(text, mention(value, granularity)) == expected


@pytest.mark.parametrize(
    ("text", "after", "value", "granularity", "expected"),
    [
        # "up from last year": the sentence's own preposition stays the only one
        ("last year", "from", "2023", "year", "2023"),
        # "compared with last year"
        ("last year", "with", "2023", "year", "2023"),
        # a verb before it: the date needs its "in"
        ("last year", "rose", "2023", "year", "in 2023"),
        # a quarter after an adjective takes no article ("a weak second quarter")
        ("second quarter", "weak", "2024-Q2", "quarter", "second quarter of 2024"),
        # "the second quarter" keeps its own
        ("the second quarter", "in", "2024-Q2", "quarter", "the second quarter of 2024"),
    ],
)
def test_absolute_phrase_keeps_the_sentences_grammar(text: str, after: str, value: str,
                                                     granularity: str, expected: str) -> None:
    assert absolute_phrase(text, mention(value, granularity), after=after) == expected
