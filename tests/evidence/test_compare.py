import pytest

from workers.evidence.compare import (
    TOLERANCES,
    compare_dates,
    compare_quantities,
    normalize_unit,
    precision_step,
    tolerance_key,
)


def q(value, unit=None, comparator="=", upper=None):
    return {"value": value, "upper": upper, "unit": unit, "comparator": comparator}


def d(value, granularity):
    return {"value": value, "granularity": granularity}


QUANTITY_CASES = [
    # "more than 3 billion" is consistent with 3.2 billion
    (q(3e9, "images", ">"), "more than 3 billion images", q(3.2e9, "images"), "3.2 billion images",
     "supports"),
    # ... and not with 2 billion
    (q(3e9, "images", ">"), "more than 3 billion images", q(2e9, "images"), "2 billion images",
     "contradicts"),
    # a source that only says "3 billion" may be rounded: it neither confirms nor denies "more"
    (q(3e9, "images", ">"), "more than 3 billion images", q(3e9, "images"), "3 billion images",
     "related"),
    # "about 7,800" is consistent with 7,750
    (q(7800, "jobs", "~"), "about 7,800 jobs", q(7750, "jobs"), "7,750 jobs", "supports"),
    # ... and not with 7,000
    (q(7800, "jobs", "~"), "about 7,800 jobs", q(7000, "jobs"), "7,000 jobs", "contradicts"),
    # "3.4 billion" vs "3.41 billion": within the claim's precision
    (q(3.4e9, "USD"), "$3.4 billion", q(3.41e9, "USD"), "$3.41 billion", "supports"),
    # ... and the other way round: the rounder source still agrees
    (q(3.41e9, "USD"), "$3.41 billion", q(3.4e9, "USD"), "$3.4 billion", "supports"),
    # "12 percent" vs "15 percent" differ
    (q(12, "%"), "12 percent", q(15, "%"), "15%", "contradicts"),
    # "12 percent" vs "12.3%": the claim rounds to whole percent
    (q(12, "%"), "12 percent", q(12.3, "%"), "12.3%", "supports"),
    # "20 percent" vs "23 percent": a small round number is not taken as approximate
    (q(20, "%"), "20 percent", q(23, "%"), "23%", "contradicts"),
    # "7,800" written exactly is consistent with 7,830 (trailing zeros of big numbers round)
    (q(7800, "jobs"), "7,800 jobs", q(7830, "jobs"), "7,830 jobs", "supports"),
    # "7,800" vs "8,100": outside the rounding, but less than 5% off: not an error
    (q(7800, "jobs"), "7,800 jobs", q(8100, "jobs"), "8,100 jobs", "related"),
    # "7,800" vs "9,000": a material difference
    (q(7800, "jobs"), "7,800 jobs", q(9000, "jobs"), "9,000 jobs", "contradicts"),
    # "27%" vs "27.63%": a rounding
    (q(27, "%"), "27%", q(27.63, "%"), "27.63%", "related"),
    # "83.4 years" vs "81.2 years": under 5% off, but 22 steps of the claim's last digit
    (q(83.4, "years"), "83.4 years", q(81.2, "years"), "81.2 years", "contradicts"),
    # "3 billion" vs "3.4 billion": rounds to the claim
    (q(3e9, "users"), "3 billion users", q(3.4e9, "users"), "3.4 billion users", "supports"),
    # "3 billion" vs "3.6 billion": does not
    (q(3e9, "users"), "3 billion users", q(3.6e9, "users"), "3.6 billion users", "contradicts"),
    # "less than 5 million" is consistent with 4.2 million
    (q(5e6, "USD", "<"), "less than $5 million", q(4.2e6, "USD"), "$4.2 million", "supports"),
    # ... and not with 6 million
    (q(5e6, "USD", "<"), "less than $5 million", q(6e6, "USD"), "$6 million", "contradicts"),
    # "nearly 3 billion" covers 2.8 billion
    (q(3e9, "images", "<"), "nearly 3 billion images", q(2.8e9, "images"), "2.8 billion images",
     "supports"),
    # ... but not 1 billion (that is not "nearly")
    (q(3e9, "images", "<"), "nearly 3 billion images", q(1e9, "images"), "1 billion images",
     "contradicts"),
    # "at least 500" (>=) is consistent with 650
    (q(500, "deaths", ">="), "at least 500 deaths", q(650, "deaths"), "650 deaths", "supports"),
    # a range in the claim contains the source figure
    (q(3e6, "people", upper=5e6), "3 to 5 million people", q(4e6, "people"), "4 million people",
     "supports"),
    # a source figure outside the claim's range
    (q(3e6, "people", upper=5e6), "3 to 5 million people", q(8e6, "people"), "8 million people",
     "contradicts"),
    # a vaguer source ("more than 2 million") cannot confirm an exact claim
    (q(3e6, "people"), "3 million people", q(2e6, "people", ">"), "more than 2 million people",
     "related"),
    # ... but a source bound the claim breaks contradicts it
    (q(3e6, "people"), "3 million people", q(5e6, "people", ">"), "more than 5 million people",
     "contradicts"),
    # plural and singular units are the same unit
    (q(1, "image"), "1 image", q(1, "images"), "1 images", "supports"),
    # percentage points and percent are different units: not compared
    (q(3, "pp"), "3 percentage points", q(3, "%"), "3%", None),
    # different counted nouns are not compared
    (q(3e9, "images"), "3 billion images", q(2e9, "users"), "2 billion users", None),
    # "half" (written in words) vs 48%: precision of the value, step 10
    (q(50, "%"), "half", q(48, "%"), "48%", "supports"),
    # "about 40 percent" reaches 5% of 40 either side: 41 percent agrees, 43 does not
    (q(40, "%", "~"), "about 40 percent", q(41, "%"), "41 percent", "supports"),
    (q(40, "%", "~"), "about 40 percent", q(43, "%"), "43 percent", "contradicts"),
    # "nearly doubled" is a factor just under two: 1.9 times agrees, 1.5 times does not
    (q(2, "times", "<"), "nearly doubled", q(1.9, "times"), "1.9 times", "supports"),
    (q(2, "times", "<"), "nearly doubled", q(1.5, "times"), "1.5 times", "contradicts"),
    # "almost half" covers 48 percent
    (q(50, "%", "<"), "almost half", q(48, "%"), "48 percent", "supports"),
    # "just over 2 million" covers 2.1 million, not 2.5 million
    (q(2e6, "people", ">"), "just over 2 million people", q(2.1e6, "people"),
     "2.1 million people", "supports"),
    (q(2e6, "people", ">"), "just over 2 million people", q(2.5e6, "people"),
     "2.5 million people", "contradicts"),
    # "at most 30 days" covers 28 days, not 40
    (q(30, "days", "<="), "at most 30 days", q(28, "days"), "28 days", "supports"),
    (q(30, "days", "<="), "at most 30 days", q(40, "days"), "40 days", "contradicts"),
    # "nearly -12 degrees" lies between -12 and -10.8
    (q(-12, "degrees", "<"), "nearly -12 degrees", q(-11, "degrees"), "-11 degrees", "supports"),
    # money in different currencies is not compared
    (q(5e6, "USD"), "$5 million", q(5e6, "EUR"), "5 million euros", None),
]


@pytest.mark.parametrize(("claim", "claim_text", "source", "source_text", "expected"),
                         QUANTITY_CASES)
def test_source_quantity_stance_follows_claim_precision_and_comparator(
    claim, claim_text, source, source_text, expected
):
    assert compare_quantities(claim, claim_text, source, source_text) == expected


DATE_CASES = [
    # the same day
    (d("2020-04-08", "day"), d("2020-04-08", "day"), "supports"),
    # another day
    (d("2020-04-08", "day"), d("2020-04-09", "day"), "contradicts"),
    # the same month
    (d("2020-04", "month"), d("2020-04", "month"), "supports"),
    # a day inside the claimed month confirms it
    (d("2020-04", "month"), d("2020-04-20", "day"), "supports"),
    # another month
    (d("2020-04", "month"), d("2020-05", "month"), "contradicts"),
    # a source that only gives the year cannot confirm the month
    (d("2020-04", "month"), d("2020", "year"), "related"),
    # ... but a wrong year contradicts it
    (d("2020-04", "month"), d("2019", "year"), "contradicts"),
    # a quarter contains its months
    (d("2024-Q3", "quarter"), d("2024-08", "month"), "supports"),
    # and excludes the others
    (d("2024-Q3", "quarter"), d("2024-11", "month"), "contradicts"),
    # years
    (d("2019", "year"), d("2021", "year"), "contradicts"),
    # unreadable values are not compared
    (d("sometime", "year"), d("2021", "year"), None),
]


@pytest.mark.parametrize(("claim", "source", "expected"), DATE_CASES)
def test_source_date_stance_follows_calendar_intervals(claim, source, expected):
    assert compare_dates(claim, source) == expected


@pytest.mark.parametrize(
    ("text", "value", "step"),
    [
        ("3.4 billion", 3.4e9, 1e8),  # one decimal of billions
        ("7,800", 7800, 100),  # trailing zeros of a big integer round
        ("12 percent", 12, 1),  # last digit
        ("20 percent", 20, 1),  # small numbers keep their zero
        ("three billion", 3e9, 1e9),  # words: from the value
    ],
)
def test_precision_step_is_the_last_written_digit(text, value, step):
    assert precision_step(text, value) == pytest.approx(step)


def test_every_tolerance_in_the_table_has_a_case():
    comparators = {tolerance_key(claim, text) for claim, text, *_ in QUANTITY_CASES}
    assert comparators >= set(TOLERANCES)


def test_unit_names_are_folded():
    assert normalize_unit("Percent") == "%"
    assert normalize_unit("companies") == "company"
    assert normalize_unit(None) is None
