"""Round-6 rules, each general: a statistic's place told with a name the tagger calls a
person, or with "The population of"; a capitalised common noun opening a sentence is no
name; "the town" in a story of one place; a name "X of the Y"; a role noun told with the
body it belongs to ("drivers at X"); a study told with its author; a one-word name that ends
one longer name; an owner told by its country ("the U.S. company's"); "it" in what a body
described with "the" said; a dateline is nobody's doer; a title with small words stands in
for its description; amounts glued to a symbol ("NZ$8.40") and shares compared ("a quarter
less"); a named body's obligation with a figure is checkable. Examples are made up; the
"leave" cases assert the words stay when the rule does not apply or two candidates compete."""

from __future__ import annotations

from datetime import date

import pytest

from workers.pipeline.pipeline import Pipeline
from workers.pipeline.quantities import find_quantities


def _statements(pipeline: Pipeline, text: str) -> set[str]:
    return {c.statement for c in pipeline.run(text, date(2026, 3, 12))}


def _queued(pipeline: Pipeline, text: str) -> dict[str, float]:
    return {c.statement: c.checkworthiness for c in pipeline.run(text, date(2026, 3, 12))}


@pytest.mark.parametrize(
    ("text", "statement"),
    [
        # a statistic's place after "in", whatever label the tagger gives the name
        ("Rents climb in Pellowarth Quay\n\n"
         "The average flat in Pellowarth Quay let for £1,240 a month in the year to "
         "January, a letting agent said.\n\n"
         "Rents rose 7.5 percent over the year.",
         "Rents in Pellowarth Quay rose 7.5 percent over the year."),
        # "The population of <place>" makes later figures that place's
        ("Census shows Tremadin growing\n\n"
         "The population of Tremadin Cross rose 6.1 percent to 88,400 between 2016 and "
         "2026, the statistics office said.\n\n"
         "The median age fell to 39.",
         "The median age in Tremadin Cross fell to 39."),
        # "the town" in a story about one place by its name is that place
        ("Homes in short supply\n\n"
         "The average home in Pellowarth Quay sold for £287,000 last year, figures showed.\n\n"
         "Only 38 homes were built in the town last year.",
         "Only 38 homes were built in Pellowarth Quay in 2025."),
        # a name "X of the Y" is whole, and "the museum" later is it
        ("Museum wins grant\n\n"
         "The Museum of the Fens in Wistow has been given £1.2 million by a heritage fund.\n\n"
         "Visitors were asked for their views.\n\n"
         "The museum drew 44,000 visitors in 2025.",
         "The Museum of the Fens drew 44,000 visitors in 2025."),
        # a role noun told with its body: "drivers at X", later bare "drivers"
        ("Tram drivers to strike\n\n"
         "Tram drivers at Corlan Metro will strike for two days from Monday, their union "
         "said.\n\n"
         "The union says drivers earn £14.20 an hour.",
         "Drivers at Corlan Metro earn £14.20 an hour."),
        # "the researchers" after "researchers at <university>"
        ("Walking and sleep\n\n"
         "Adults who walk to work sleep longer, according to researchers at the University "
         "of Sallowmere.\n\n"
         "The researchers followed 3,200 adults for two years.",
         "The researchers at the University of Sallowmere followed 3,200 adults for two "
         "years."),
        # "the study" is the study by its named author
        ("Walking and sleep\n\n"
         "Adults who walk to work sleep longer, according to a study by researchers at the "
         "University of Sallowmere published on Monday.\n\n"
         "Nobody was paid to take part.\n\n"
         "The study was funded by a grant of £95,000.",
         "The study by researchers at the University of Sallowmere was funded by a grant of "
         "£95,000."),
        # a one-word name that ends exactly one longer name the article gave
        ("Rovers win again\n\n"
         "Corrib Rovers beat Marsh United 2-0 on Saturday to go third in the table.\n\n"
         "The win leaves Rovers four points off the top with 30 points from 15 games.",
         "The win leaves Corrib Rovers four points off the top with 30 points from 15 "
         "games."),
        # an owner told by its country: "the Dutch company's" is the company in sight
        ("Regulator fines app maker\n\n"
         "The regulator fined Brightloop Systems B.V. 12 million euros on Monday.\n\n"
         "The regulator found that the Dutch company's messaging app had stored 2 million "
         "voice messages without consent.",
         "Brightloop Systems B.V.'s messaging app had stored 2 million voice messages "
         "without consent."),
        # a title with small lower-case words stands in for its description
        ("Author dies\n\n"
         "Her second novel, The Salt and the Sea, sold 900,000 copies in France.",
         "The Salt and the Sea sold 900,000 copies in France."),
    ],
)
def test_subject_is_named(pipeline: Pipeline, text: str, statement: str) -> None:
    assert statement in _statements(pipeline, text)


def test_it_in_what_a_described_body_said_is_that_body(pipeline: Pipeline) -> None:
    text = ("Drought hits farms\n\n"
            "Reservoirs were at 38 percent of capacity, the regional water board said.\n\n"
            "The farm ministry said it would pay growers up to €20,000 each.")
    statements = _statements(pipeline, text)
    assert "The farm ministry would pay growers up to €20,000 each." in statements
    assert not any("water board would pay" in s for s in statements)


def test_a_capitalised_common_noun_opening_a_sentence_is_no_name(pipeline: Pipeline) -> None:
    text = ("Ventry Bay house prices climb\n\n"
            "The average home in Ventry Bay sold for £301,000 in the year to June, a "
            "property site said.\n\n"
            "House prices rose 5.8 percent over the year.")
    assert "House prices in Ventry Bay rose 5.8 percent over the year." in _statements(
        pipeline, text)


def test_a_named_bodys_obligation_with_a_figure_is_queued(pipeline: Pipeline) -> None:
    text = ("Gallery wins grant\n\n"
            "The Halder Gallery has been awarded £2 million to repair its roof.\n\n"
            "The Halder Gallery must still raise £300,000 itself.")
    scores = _queued(pipeline, text)
    statement = next(s for s in scores if "£300,000" in s)
    assert scores[statement] >= 0.5


# --- the words stay -------------------------------------------------------------------------

def test_two_bodies_told_with_the_same_role_leave_it(pipeline: Pipeline) -> None:
    text = ("Drivers at two firms to strike\n\n"
            "Drivers at Corlan Metro and drivers at Ashby Buses will strike on Monday.\n\n"
            "Drivers at Ashby Buses voted 300 to 40 for the walkout.\n\n"
            "Drivers earn £14.20 an hour, the union says.")
    assert "Drivers earn £14.20 an hour." in _statements(pipeline, text)


def test_a_one_word_name_ending_two_names_stays(pipeline: Pipeline) -> None:
    text = ("Derby day\n\n"
            "Tolley Wanderers and Marsh Wanderers drew 1-1 on Saturday before 8,000 fans.\n\n"
            "The draw leaves Wanderers level with 30 points from 15 games.")
    assert not any("Tolley Wanderers level" in s or "Marsh Wanderers level" in s
                   for s in _statements(pipeline, text))


def test_the_value_of_a_company_is_no_place(pipeline: Pipeline) -> None:
    text = ("Acme grows\n\n"
            "The value of Acme Widgets Ltd. rose 8 percent to £1.3 billion in 2025.\n\n"
            "The median salary rose to £31,000.")
    assert "The median salary rose to £31,000." in _statements(pipeline, text)


def test_a_dateline_subject_is_not_the_doer(pipeline: Pipeline) -> None:
    text = ("Dairy cuts payout\n\n"
            "WELLINGTON, March 3 (Wire) - Kowhai Milk said on Tuesday it had cut its payout to "
            "farmers by 6 percent.\n\n"
            "Chairman Tane Horowhenua said the cut would cost farmers NZ$210 million.")
    assert not any("WELLINGTON's" in s for s in _statements(pipeline, text))


def test_should_advice_to_people_stays_below_the_queue(pipeline: Pipeline) -> None:
    text = ("Bills to fall\n\n"
            "Energy bills will fall 5 percent from April 1, the regulator said.\n\n"
            "Households struggling to pay should contact their supplier by May 1.")
    scores = _queued(pipeline, text)
    assert all(v < 0.5 for s, v in scores.items() if "contact their supplier" in s)


# --- amounts ----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("The payout was cut to NZ$8.15 per kilogram.", 8.15, "NZD"),
        ("The deal values it at HK$7 billion.", 7e9, "HKD"),
        ("Farmers expect to harvest a quarter less grain.", 25.0, "%"),
        ("Cyclists take about a third fewer sick days.", 100 / 3, "%"),
    ],
)
def test_amounts_are_read(pipeline: Pipeline, text: str, value: float, unit: str) -> None:
    found = find_quantities(pipeline.nlp(text))
    assert any(abs(q.value - value) < 0.01 and q.unit == unit for q in found), found


def test_a_quarter_of_an_hour_is_no_share(pipeline: Pipeline) -> None:
    found = find_quantities(pipeline.nlp("The train waited a quarter of an hour."))
    assert not any(q.unit == "%" for q in found)
