"""Like with like: a source figure decides a claim only when it measures the same thing.

Each row: the claim as an article would put it, a source passage, and the stance a
fact-checker would take from that passage alone.
"""

from datetime import date

import pytest

from workers.evaluation.matching import claim_from_doc
from workers.evidence.assess import claim_facts, compare_figures
from workers.evidence.likeness import same_measure
from workers.evidence.passages import parse_spans

ANCHOR = date(2024, 3, 5)
SERIES = ("Tidewater Port handled 1.6 million containers in 2021, 1.9 million in 2022 and "
          "2.1 million in 2023.")

CASES = [
    # a series of yearly figures: each claim figure meets the source figure of its own year
    ("Tidewater Port handled 2.1 million containers in 2023, up from 1.6 million in 2021.",
     SERIES, "supports"),
    ("Tidewater Port handled 2.1 million containers in 2023, up from 1.4 million in 2021.",
     SERIES, "contradicts"),
    # figures of different things in one district
    ("The Marlow school district hired 60 teachers, compared with eight in 2022.",
     "The Marlow school district's bus ridership reached 4.2 million in 2022.", "related"),
    # the date a report came out is not the date of its data
    ("Unemployment in Estonia fell to 3.9 percent, the ministry said in a report released on "
     "Tuesday.", "Estonia's unemployment rate was 3.9 percent in 2023, ministry data show.",
     "supports"),
    ("Unemployment in Estonia fell to 3.9 percent, the ministry said in a report released on "
     "Tuesday.", "Estonia's unemployment rate was 5.1 percent in 2023, ministry data show.",
     "related"),
    ("Exports from Chile reached their highest level since 1998.",
     "Chile's exports in 2023 were worth $95 billion.", "related"),
    # a target is its own figure
    ("Northfield Hospital now has 3,200 beds and plans to reach 4,000 by 2028.",
     "Northfield Hospital has 3,200 beds.", "supports"),
    ("Northfield Hospital plans to have 4,000 beds by 2028.",
     "Northfield Hospital has 3,200 beds.", "related"),
    # comparators and rounding
    ("Clearview AI built a database of more than 3 billion images.",
     "Clearview AI's database holds 3.2 billion images.", "supports"),
    ("About 40 percent of voters in Ohio backed the plan.",
     "In Ohio, 41 percent of voters backed the plan.", "supports"),
    ("Exports from Kenya nearly doubled in 2023.", "Kenya's exports grew 1.9 times in 2023.",
     "supports"),
    ("Almost half of adults in Wales smoke.", "In Wales 48 percent of adults smoke.", "supports"),
    # a wrong figure for the same thing, the same year
    ("Tidewater Port handled 2.5 million containers in 2023.",
     "Tidewater Port handled 2.1 million containers in 2023.", "contradicts"),
    ("The city of Brannock recorded 41 murders in 2023.",
     "The city of Brannock recorded 52 murders in 2023.", "contradicts"),
    # the same measure for another year is no evidence either way
    ("The city of Brannock recorded 41 murders in 2023.",
     "The city of Brannock recorded 52 murders in 2022.", "related"),
    # percentages of different things
    ("Unemployment in Spain fell to 12 percent in 2023.",
     "Inflation in Spain fell to 3 percent in 2023.", "related"),
    # two figures with no time may be for different years: a difference is not an error
    ("Clearview AI built a database of more than 3 billion images.",
     "Clearview AI built a database of 2 billion images.", "related"),
    # a city is not its county
    ("Unemployment in the city of Greystone was 6.2 percent in August 2024.",
     "Unemployment in Greystone County was 4.8 percent in August 2024.", "related"),
    # a present-tense figure is a figure for now: the latest data decides it
    ("The Tollway app has more than 5 million registered users.",
     "As of February 2024, the Tollway app had 3.9 million registered users.", "contradicts"),
    # a question asserts nothing
    ("Edo State has a 19 percent unemployment rate.",
     "Was the unemployment rate in Edo State 19 percent?", "related"),
    # cases of one thing are not cases of another
    ("Police in Lanza were accused of 217 cases of torture in 2018.",
     "In 2018 police in Lanza were accused of 835 cases of assault.", "related"),
    # a factor against the change between two figures
    ("Heat pump orders in Valtonia nearly doubled in 2023.",
     "Heat pump orders in Valtonia rose from 41,000 in 2022 to 78,000 in 2023.", "supports"),
    # an earlier value confirmed alone leaves the claim's own figure unchecked
    ("Port Sable shipped 3.3 million tonnes of wheat in 2023, up from 2.8 million tonnes in "
     "2022.", "Port Sable shipped 2.5 million tonnes of wheat in 2021 and 2.8 million tonnes "
     "in 2022.", "related"),
    # a bare number counts what its sentence is about
    ("Homicides in Fennick fell to 18 in 2023.", "Fennick recorded 31 homicides in 2023.",
     "contradicts"),
    # a difference is not a total
    ("Georgia had almost 100,000 more COVID-19 cases than North Carolina in 2020.",
     "Georgia recorded 334,601 COVID-19 cases in 2020.", "related"),
    # a part of a whole is counted in the whole's unit; the whole is not the claimed figure
    ("For 29 of its 60 years, Nigeria has been under military rule.",
     "Nigeria spent 29 years under military rule.", "supports"),
    # a bare number about a population counts people
    ("Nigeria had a population of more than 200 million in 2020.",
     "Nigeria had 206 million people in 2020, the UN estimates.", "supports"),
    # a source figure that agrees with one claim figure is not held against another
    ("Police in Lanza killed 558 people in 2018, while 201 people died in police custody.",
     "In 2018, 201 people died in police custody in Lanza.", "supports"),
    # a percentage raise is a change, and meets a change
    ("Mayor Ruiz approved a 67% pay raise for himself in 2019.",
     "In 2019 Mayor Ruiz raised his own pay by 67%.", "supports"),
    # dates of the same event
    ("Krishna took over the chief executive role at IBM in April 2020.",
     "Krishna took over the chief executive role at IBM in January 2019.", "contradicts"),
]


def stance_of(nlp, claim_text: str, passage: str):
    statement = claim_from_doc(nlp(claim_text), ANCHOR).statement
    facts = claim_facts(nlp(statement), ANCHOR)
    return compare_figures(facts, passage, parse_spans(nlp(passage), ANCHOR), label="source")


@pytest.mark.parametrize(("claim", "passage", "expected"), CASES)
def test_a_source_figure_decides_only_what_it_measures(nlp, claim, passage, expected):
    assert stance_of(nlp, claim, passage).stance == expected


def test_the_reason_names_both_figures_and_what_they_measure(nlp):
    result = stance_of(nlp, "Tidewater Port handled 2.5 million containers in 2023.",
                       "Tidewater Port handled 2.1 million containers in 2023.")
    assert result.reason == ("source says 2.1 million containers (source); claim says "
                             "2.5 million containers; both count containers, for 2023")


def test_a_percentage_reason_says_what_the_percentage_is_of(nlp):
    result = stance_of(nlp, "Unemployment in Estonia fell to 3.9 percent in 2023.",
                       "Estonia's unemployment rate was 3.9 percent in 2023.")
    assert result.stance == "supports"
    assert "both measure unemployment in percent, for 2023" in result.reason


def test_a_bare_number_about_a_population_meets_a_count_of_people():
    bare = {"unit_key": None, "nouns": ["population"], "names": ["Nigeria"], "role": "current",
            "time": {"value": "2020", "granularity": "year"}}
    people = {"unit_key": "person", "nouns": ["person", "population"], "names": ["Nigeria"],
              "role": "current", "time": {"value": "2020", "granularity": "year"}}
    likeness = same_measure(bare, people)
    assert likeness is not None and likeness.firm
    assert likeness.what == "both measure population in people, for 2020"
