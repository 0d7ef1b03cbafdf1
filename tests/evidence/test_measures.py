"""What a figure measures: its unit (also when elided), its time, its role; a date's role."""

from datetime import date

import pytest

from workers.evidence.measures import annotated
from workers.evidence.passages import parse_spans

ANCHOR = date(2024, 3, 5)


def figures(nlp, text: str) -> dict[str, dict]:
    return {s["text"]: s for s in parse_spans(nlp(text), ANCHOR) if s["kind"] == "quantity"}


def dates(nlp, text: str) -> dict[str, dict]:
    return {s["text"]: s for s in parse_spans(nlp(text), ANCHOR) if s["kind"] == "date"}


def test_each_figure_of_a_series_has_its_own_year_and_the_counted_noun(nlp):
    found = figures(nlp, "The port handled 1.6 million containers in 2021, 1.9 million in 2022 "
                         "and 2.1 million in 2023.")
    assert {text: (f["unit_key"], f["time"]["value"]) for text, f in found.items()} == {
        "1.6 million containers": ("container", "2021"),
        "1.9 million": ("container", "2022"),
        "2.1 million": ("container", "2023"),
    }


def test_a_date_before_the_figure_is_its_time(nlp):
    found = figures(nlp, "In 2023, the city recorded 41 murders.")
    assert found["41 murders"]["time"]["value"] == "2023"


def test_a_figure_with_its_own_subject_does_not_borrow_the_unit_before_it(nlp):
    found = figures(nlp, "The district hired 60 teachers and bus ridership reached 4.2 million.")
    assert found["4.2 million"]["unit_key"] is None
    assert "teacher" not in found["4.2 million"]["nouns"]


@pytest.mark.parametrize(("text", "figure", "role"), [
    ("Sales reached $4 million, up from $3 million.", "$3 million", "earlier"),
    ("The district hired 60 teachers, compared with eight in 2022.", "eight", "earlier"),
    ("The hospital has 3,200 beds and plans to reach 4,000 by 2028.", "4,000", "target"),
    ("The hospital has 3,200 beds and plans to reach 4,000 by 2028.", "3,200 beds", "current"),
    ("The company will hire 300 engineers next year.", "300 engineers", "target"),
    ("Exports rose 9 percent in 2023.", "9 percent", "change"),
    ("Unemployment rose to 9 percent in 2023.", "9 percent", "current"),
    ("Exports nearly doubled in 2023.", "nearly doubled", "change"),
    ("Georgia had almost 100,000 more cases than North Carolina.", "almost 100,000 more cases",
     "change"),
    ("Was the unemployment rate 19 percent in 2020?", "19 percent", "question"),
    ("For 29 of our 60 years, we have been under military rule.", "60 years", "whole"),
])
def test_a_figure_plays_its_role(nlp, text, figure, role):
    assert figures(nlp, text)[figure]["role"] == role


def test_nearly_doubled_is_a_factor_of_just_under_two(nlp):
    doubled = figures(nlp, "Exports nearly doubled in 2023.")["nearly doubled"]
    assert doubled["normalized"] == {"value": 2.0, "upper": None, "unit": "times",
                                     "comparator": "<"}


@pytest.mark.parametrize(("text", "when", "role"), [
    ("Exports reached their highest level since 1998.", "1998", "reference"),
    ("Unemployment fell, the ministry said in a report released on Tuesday.", "on Tuesday",
     "report"),
    ("Krishna took over as chief executive in April 2020.", "April 2020", "event"),
    ("The city recorded 41 murders in 2023.", "2023", "time"),
])
def test_a_date_plays_its_role(nlp, text, when, role):
    assert dates(nlp, text)[when]["role"] == role


def test_spans_say_they_are_annotated_and_old_ones_do_not(nlp):
    spans = parse_spans(nlp("The city recorded 41 murders in 2023."), ANCHOR)
    assert annotated(spans)
    assert not annotated([{k: v for k, v in s.items() if k != "measures"} for s in spans])
    assert not annotated(None)


def test_a_bare_number_counts_the_plural_noun_its_clause_is_about(nlp):
    found = figures(nlp, "Road deaths in Vantia fell to 312 in 2023.")
    assert found["312"]["unit_key"] == "death"


def test_the_kind_of_a_counted_noun_is_kept(nlp):
    found = figures(nlp, "Police recorded 217 cases of torture and 3,661 cases of assault.")
    assert found["217 cases"]["kinds"] == ["torture"]
    assert found["3,661 cases"]["kinds"] == ["assault"]


def test_a_date_after_two_coordinated_figures_is_the_time_of_both(nlp):
    found = figures(nlp, "Police recorded 940 burglaries and 1,240 vehicle thefts in 2023.")
    assert found["940 burglaries"]["time"]["value"] == "2023"


def test_a_present_tense_figure_without_a_date_stands_for_the_publication_day(nlp):
    assert figures(nlp, "The Tollway app has 3.9 million users.")["3.9 million users"]["now"] \
        == ANCHOR.isoformat()
    assert "now" not in figures(nlp, "The app had 3.9 million users.")["3.9 million users"]


def test_the_change_between_an_earlier_and_a_later_figure_is_a_factor(nlp):
    found = figures(nlp, "Heat pump orders rose from 41,000 in 2022 to 78,000 in 2023.")
    change = next(f for f in found.values() if f.get("derived"))
    assert change["normalized"]["value"] == pytest.approx(78 / 41, abs=1e-3)
    assert (change["time"]["value"], change["base"]["value"]) == ("2023", "2022")
    assert change["text"].startswith("1.90 times")


def test_a_change_since_a_year_has_that_year_as_its_base(nlp):
    tripled = figures(nlp, "Rents in Oskarby have nearly tripled since 2019.")["nearly tripled"]
    assert tripled["base"]["value"] == "2019"


def test_an_answer_is_about_what_its_question_asks(nlp):
    found = figures(nlp, "What was the population of Nigeria in 2020? 206 million people.")
    answer = found["206 million people"]
    assert "population" in answer["nouns"]
    assert answer["time"]["value"] == "2020"
    assert answer["role"] == "current"
