"""Tests for the date normalizer (workers/pipeline/dates.py)."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workers.pipeline.dates import DateMention, find_dates

ANCHOR = date(2020, 5, 10)  # a Sunday
NEW_YEAR = date(2021, 1, 15)  # a Friday, early in the year
VALUE_FORMATS = {
    "day": re.compile(r"\d{4}-\d\d-\d\d"),
    "month": re.compile(r"\d{4}-\d\d"),
    "quarter": re.compile(r"\d{4}-Q[1-4]"),
    "year": re.compile(r"\d{4}"),
}


def dates_in(nlp, text: str, anchor: date = ANCHOR) -> list[tuple[str, str, str]]:
    doc = nlp(text)
    return [(doc.text[m.start : m.end], m.value, m.granularity) for m in find_dates(doc, anchor)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # month, day and year, US order
        ("The law was signed on June 8, 2021.", [("June 8, 2021", "2021-06-08", "day")]),
        # day, month and year, British order; "on" left out when there is a year
        ("It was signed on 8 June 2021.", [("8 June 2021", "2021-06-08", "day")]),
        # ordinal day with "of"
        ("It opened on the 8th of June 2021.", [("8th of June 2021", "2021-06-08", "day")]),
        # abbreviated month with a full stop
        ("The deal closed Jan. 5, 2021.", [("Jan. 5, 2021", "2021-01-05", "day")]),
        # the weekday in front belongs to the date
        ("He spoke on Tuesday, June 8, 2021.", [("Tuesday, June 8, 2021", "2021-06-08", "day")]),
        # month and year
        ("Prices peaked in January 2021.", [("January 2021", "2021-01", "month")]),
        # month "of" year
        ("The deal was struck in January of 2021.", [("January of 2021", "2021-01", "month")]),
        # abbreviated month and year
        ("Exports grew in Sept. 2020.", [("Sept. 2020", "2020-09", "month")]),
        # a year after "in": the preposition is not part of the match
        ("Unemployment fell in 2019.", [("2019", "2019", "year")]),
        # a bare year the parser tags as a date
        ("2019 was the hottest year.", [("2019", "2019", "year")]),
        # two years in a range
        (
            "Between 2019 and 2021 prices doubled.",
            [("2019", "2019", "year"), ("2021", "2021", "year")],
        ),
        # the year a figure belongs to
        ("The 2019 figures were revised.", [("2019", "2019", "year")]),
        # "mid-" stays part of the match, the value is the year
        ("Growth slowed in mid-2020.", [("mid-2020", "2020", "year")]),
        # "late" likewise
        ("Jobs returned in late 2019.", [("late 2019", "2019", "year")]),
        # spelled-out quarter with its year
        (
            "Sales rose in the third quarter of 2024.",
            [("the third quarter of 2024", "2024-Q3", "quarter")],
        ),
        # short quarter then year
        ("Sales rose in Q3 2024.", [("Q3 2024", "2024-Q3", "quarter")]),
        # year then short quarter
        ("Revenue for 2024 Q1 was flat.", [("2024 Q1", "2024-Q1", "quarter")]),
        # ISO date
        ("The filing is dated 2021-03-02.", [("2021-03-02", "2021-03-02", "day")]),
        # slash date: US month/day/year
        ("The form is dated 03/02/2021.", [("03/02/2021", "2021-03-02", "day")]),
        # slash date whose first number cannot be a month: day/month/year
        ("The form is dated 25/12/2020.", [("25/12/2020", "2020-12-25", "day")]),
    ],
)
def test_absolute_dates_resolve_to_their_own_year(nlp, text, expected):
    assert dates_in(nlp, text) == expected


@pytest.mark.parametrize(
    ("text", "anchor", "expected"),
    [
        # the design's example: "in" is part of a yearless month
        ("Krishna took over the role in April.", ANCHOR, [("in April", "2020-04", "month")]),
        # a month later in the year than the anchor belongs to the year before
        (
            "Krishna took over the role in April.",
            date(2020, 3, 1),
            [("in April", "2019-04", "month")],
        ),
        # across the new year
        ("Prices rose in December.", NEW_YEAR, [("in December", "2020-12", "month")]),
        # the anchor's own month counts as on or before it
        ("Prices rose in January.", NEW_YEAR, [("in January", "2021-01", "month")]),
        # "early" inside a yearless month
        ("Talks began in early April.", ANCHOR, [("in early April", "2020-04", "month")]),
        # month and day without a year: the most recent one on or before the anchor
        ("The vote was on June 8.", ANCHOR, [("on June 8", "2019-06-08", "day")]),
        # same phrase, later anchor
        ("The vote was on June 8.", date(2020, 7, 1), [("on June 8", "2020-06-08", "day")]),
        # a leap day goes back to the last leap year
        (
            "It was signed on February 29.",
            date(2021, 3, 1),
            [("on February 29", "2020-02-29", "day")],
        ),
        # a named weekday picks the year that fits it, here a coming date
        ("The vote is on Tuesday, June 2.", ANCHOR, [("on Tuesday, June 2", "2020-06-02", "day")]),
        # "last March": the most recent March before the anchor month
        ("He resigned last March.", ANCHOR, [("last March", "2020-03", "month")]),
        # "last May" in May is a year back
        ("He resigned last May.", ANCHOR, [("last May", "2019-05", "month")]),
        # "next March"
        ("He returns next March.", ANCHOR, [("next March", "2021-03", "month")]),
        # a month with "last year": "in" is left out, the year is carried
        ("He resigned in March last year.", ANCHOR, [("March last year", "2019-03", "month")]),
        # a quarter of last year
        (
            "Profits fell in the third quarter of last year.",
            ANCHOR,
            [("the third quarter of last year", "2019-Q3", "quarter")],
        ),
        # a yearless quarter: the most recent one that has begun
        (
            "Profits fell in the third quarter.",
            ANCHOR,
            [("in the third quarter", "2019-Q3", "quarter")],
        ),
        # this year
        ("Prices rose this year.", ANCHOR, [("this year", "2020", "year")]),
        # last year, across the new year
        ("Prices rose last year.", NEW_YEAR, [("last year", "2020", "year")]),
        # a year earlier
        ("Sales were higher a year earlier.", ANCHOR, [("a year earlier", "2019", "year")]),
        # a year ago
        ("Sales were higher a year ago.", ANCHOR, [("a year ago", "2019", "year")]),
        # two years ago
        ("Two years ago, the firm hired staff.", ANCHOR, [("Two years ago", "2018", "year")]),
        # months ago keep month granularity
        ("The plant closed 18 months ago.", ANCHOR, [("18 months ago", "2018-11", "month")]),
        # days ago keep day granularity
        ("The plant closed three days ago.", ANCHOR, [("three days ago", "2020-05-07", "day")]),
        # last month, across the new year
        ("Prices rose last month.", NEW_YEAR, [("last month", "2020-12", "month")]),
        # last quarter, across the new year
        ("Profits fell last quarter.", NEW_YEAR, [("last quarter", "2020-Q4", "quarter")]),
        # today
        ("The minister resigned today.", ANCHOR, [("today", "2020-05-10", "day")]),
        # yesterday, across the new year
        (
            "The minister resigned yesterday.",
            date(2021, 1, 1),
            [("yesterday", "2020-12-31", "day")],
        ),
        # a weekday: the most recent one on or before the anchor (a Sunday)
        ("The minister resigned on Tuesday.", ANCHOR, [("on Tuesday", "2020-05-05", "day")]),
        # the anchor's own weekday is the anchor day
        ("The minister resigned on Sunday.", ANCHOR, [("on Sunday", "2020-05-10", "day")]),
        # "last Sunday" is strictly before the anchor
        ("The minister resigned last Sunday.", ANCHOR, [("last Sunday", "2020-05-03", "day")]),
        # "a month earlier" counts back from the month mentioned before it
        (
            "The rate fell to 3.9% in October, down from 4.1% a month earlier.",
            ANCHOR,
            [("in October", "2019-10", "month"), ("a month earlier", "2019-09", "month")],
        ),
        # "a year earlier" counts back from the year mentioned before it
        (
            "Sales hit $5 billion in 2017, up from $4 billion a year earlier.",
            ANCHOR,
            [("2017", "2017", "year"), ("a year earlier", "2016", "year")],
        ),
        # a year is too coarse to count months back from: the anchor is used
        (
            "Exports rose in 2017 and fell two months earlier.",
            ANCHOR,
            [("2017", "2017", "year"), ("two months earlier", "2020-03", "month")],
        ),
        # a weekday before the noun it dates is still a date
        ("The Tuesday meeting was cancelled.", ANCHOR, [("Tuesday", "2020-05-05", "day")]),
        # a season counted from the anchor: the next one to start, the last one to end
        ("The plant will close next spring.", date(2020, 10, 1),
         [("next spring", "2021", "year")]),
        ("The plant will close next autumn.", date(2020, 5, 1),
         [("next autumn", "2020", "year")]),
        ("Sales fell last summer.", date(2020, 7, 1), [("last summer", "2019", "year")]),
        # "the year" of a part of the year is the anchor's year
        ("Sales fell 4 percent in the first nine months of the year.", date(2020, 11, 2),
         [("the year", "2020", "year")]),
        ("Output rose in the first half of the year.", date(2020, 8, 2),
         [("the year", "2020", "year")]),
    ],
)
def test_relative_dates_anchor_on_the_publication_date(nlp, text, anchor, expected):
    assert dates_in(nlp, text, anchor) == expected


@pytest.mark.parametrize(
    "text",
    [
        # a count with a thousands separator
        "In all, 2,019 people signed the letter.",
        # an amount of money
        "Tickets cost $2020 each.",
        # a count of people
        "2020 people attended the rally.",
        # a count after "in"
        "The virus appeared in 1500 cases.",
        # a year outside 1000-2200
        "The probe will arrive in 3000.",
        # part of a larger number of years
        "The wall was built 2,000 years ago.",
        # part of a hyphenated number word
        "Thirty-six years ago, Reagan won.",
        # a period, not a date
        "Over the past four years, crime fell.",
        # a decade is skipped
        "Crime rose in the 1990s.",
        # "in the past decade" is skipped
        "Crime rose in the past decade.",
        # "the last year" is a 12-month period
        "Over the last year prices rose.",
        # the year inside a law's name
        "The Justice in Policing Act of 2020 stalled in the Senate.",
        # the year inside an event's name
        "He attended the 2020 Olympics in Tokyo.",
        # the year in "Class of 2020"
        "The Class of 2020 graduated online.",
        # a bare abbreviated month is too ambiguous
        "Figures for Mar were not published.",
        # a year in a product name
        "Windows 2000 sales fell.",
        # a time of day
        "The meeting starts at 2030 GMT.",
        # a month name used as a first name
        "June Carter sang at the fair.",
        # a modal verb, not a month
        "May I ask a question?",
        # a weekday in a fixed phrase
        "She taught Sunday school in Ohio.",
        # a weekday in a name
        "Black Friday sales rose.",
        # a weekday in a newspaper's name
        "The Sunday Times reported it.",
    ],
)
def test_numbers_and_names_are_not_dates(nlp, text):
    assert dates_in(nlp, text) == []


def test_year_of_a_law_is_not_reported_but_other_dates_are(nlp):
    text = "Congress passed the George Floyd Justice in Policing Act of 2020 in March."
    assert dates_in(nlp, text) == [("in March", "2020-03", "month")]


def test_month_as_surname_and_as_month_in_one_sentence(nlp):
    assert dates_in(nlp, "May said in May that prices rose.") == [("in May", "2020-05", "month")]


@pytest.mark.parametrize(
    ("text", "relative"),
    [
        # an explicit year
        ("It was signed on June 8, 2021.", False),
        # a year taken from the anchor
        ("It was signed on June 8.", True),
        # a deictic word
        ("It was signed yesterday.", True),
        # a quarter with its year
        ("Sales rose in Q3 2024.", False),
    ],
)
def test_relative_flag_marks_dates_anchored_on_publication(nlp, text, relative):
    (mention,) = find_dates(nlp(text), ANCHOR)
    assert mention.relative is relative


@pytest.mark.parametrize(
    "text",
    [
        # empty text
        "",
        # whitespace only
        " \r\n\t ",
        # no date at all
        "Critics say the policy has failed.",
    ],
)
def test_text_without_dates_gives_an_empty_list(nlp, text):
    assert find_dates(nlp(text), ANCHOR) == []


def test_offsets_index_the_doc_text_with_emoji_crlf_and_combining_marks(nlp):
    text = "🎉 Cafe\u0301 news\r\n👍🏽 In April, prices rose.\r\nThe rule ended on June 8, 2021 🇬🇧."
    doc = nlp(text)
    found = [(m.start, m.end, text[m.start : m.end]) for m in find_dates(doc, ANCHOR)]
    assert [piece for _, _, piece in found] == ["In April", "June 8, 2021"]
    assert [start for start, _, _ in found] == [text.index("In April"), text.index("June 8")]


def test_span_offsets_point_into_the_whole_doc(nlp):
    doc = nlp("Prices rose sharply. Then, in April, they fell.")
    second = list(doc.sents)[1]
    (mention,) = find_dates(second, ANCHOR)
    assert doc.text[mention.start : mention.end] == "in April"
    assert mention.start == doc.text.index("in April")


def test_datetime_anchor_is_read_as_its_date(nlp):
    (mention,) = find_dates(nlp("The minister resigned yesterday."), datetime(2021, 1, 1, 23, 59))
    assert mention.value == "2020-12-31"


@pytest.mark.parametrize(
    "anchor",
    [
        # the first day the calendar has
        date.min,
        # the last day the calendar has
        date.max,
    ],
)
def test_anchors_at_the_ends_of_the_calendar_give_no_dates(nlp, anchor):
    doc = nlp("It closed yesterday, reopens tomorrow, and was sold last year, in April.")
    assert find_dates(doc, anchor) == []


def test_normalized_gives_value_and_granularity(nlp):
    (mention,) = find_dates(nlp("Sales rose in the third quarter of 2024."), ANCHOR)
    assert mention.normalized() == {"value": "2024-Q3", "granularity": "quarter"}


def test_results_are_the_same_across_runs_and_through_pipe(nlp):
    texts = ["In April, 2,019 people marched.", "On June 8, 2021 and last year, prices rose."]
    direct = [find_dates(nlp(text), ANCHOR) for text in texts]
    piped = [find_dates(doc, ANCHOR) for doc in nlp.pipe(texts)]
    again = [find_dates(nlp(text), ANCHOR) for text in texts]
    assert direct == piped == again
    assert all(isinstance(m, DateMention) for mentions in direct for m in mentions)
    assert [len(mentions) for mentions in direct] == [1, 2]


WORDS = [
    "in",
    "on",
    "last",
    "April",
    "May",
    "June 8",
    "2019",
    "Q3",
    "the third quarter of",
    "2,019",
    "$2020",
    "Tuesday",
    "a year ago",
    "a month earlier",
    "Black Friday",
    "school",
    "\r\n",
    "🎉",
    "e\u0301",
    "of",
    "Act",
    ",",
    ".",
]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=14), st.dates())
def test_every_mention_is_a_well_formed_slice_of_the_text(nlp, words, anchor):
    text = " ".join(words)
    doc = nlp(text)
    mentions = find_dates(doc, anchor)
    assert mentions == sorted(mentions, key=lambda m: m.start)
    for mention in mentions:
        assert 0 <= mention.start < mention.end <= len(text)
        assert text[mention.start : mention.end].strip() == text[mention.start : mention.end]
        assert VALUE_FORMATS[mention.granularity].fullmatch(mention.value)
        assert 1000 <= int(mention.value[:4]) <= 2200


@pytest.mark.parametrize(
    ("text", "anchor", "expected"),
    [
        # a plan for a month already past this year means next year's
        ("The group plans to send teams to the region by October.", date(2024, 11, 10),
         ["2025-10"]),
        # "will ... from December"
        ("Nordbahn will run night trains again from December.", date(2025, 1, 5),
         ["2025-12"]),
        # a month still ahead this year stays this year's
        ("Nordbahn will run night trains again from December.", date(2024, 3, 5), ["2024-12"]),
        # a past fact keeps the most recent month
        ("Sales fell in June.", date(2024, 9, 10), ["2024-06"]),
        # "said on Monday it will close" is still last Monday
        ("The company said on Monday it will close the plant.", date(2024, 9, 10),
         ["2024-09-09"]),
        # a quarter in a plan
        ("The firm will report results in the first quarter.", date(2024, 11, 10), ["2025-Q1"]),
        # the plan's verb is up the clause ("will move ..., starting in March")
        ("Production will move to a plant in Monterrey, Mexico, starting in March.",
         date(2024, 11, 20), ["2025-03"]),
        # "would" in reported speech
        ("Fjordlinje said it would raise prices from April.", date(2024, 5, 3), ["2025-04"]),
        # a plan named as a noun ("a plan to raise charges from July")
        ("The council drew up a plan to raise charges from July.", date(2024, 8, 2),
         ["2025-07"]),
    ],
)
def test_dates_in_plans_look_ahead(nlp, text, anchor, expected):
    assert [m.value for m in find_dates(nlp(text), anchor)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "today" as "nowadays", under a present-simple verb
        ("The shortage is common in hospitals today.", []),
        # "today" as the day of publication
        ("The ministry announced today that nurses were hired.", ["2024-03-05"]),
    ],
)
def test_today_is_a_date_only_as_the_day(nlp, text, expected):
    assert [m.value for m in find_dates(nlp(text), date(2024, 3, 5))] == expected
