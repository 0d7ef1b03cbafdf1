"""Descriptions that stand for a body or place named earlier ("the department", "the city",
"the district", "the observatory"), and figures in a statistics story that take the place
the lead is about: the statement a fact-checker reads names its subject."""

from __future__ import annotations

from datetime import date

import pytest

from workers.pipeline.pipeline import Pipeline


def _statements(pipeline: Pipeline, text: str) -> set[str]:
    return {c.statement for c in pipeline.run(text, date(2026, 3, 12))}


@pytest.mark.parametrize(
    ("text", "statement"),
    [
        # a body's fuller phrase, remembered out of sight, takes the place that qualifies it
        ("Flu cases climb in Harlow County\n\n"
         "Flu cases in Harlow County doubled in February, the county health department said "
         "on Tuesday.\n\n"
         "Doctors say the season started late this year.\n\n"
         "The department recorded 240 hospital admissions in 2025.",
         "The Harlow County health department recorded 240 hospital admissions in 2025."),
        # "the council" and "the city" after "<Place> city council"; "Council member X"
        # names no council
        ("Renwick council bans leaf blowers\n\n"
         "The Renwick city council voted 6-1 on Monday to ban gas leaf blowers from June.\n\n"
         "Council member Ada Plimsoll called the ban overdue.\n\n"
         "The council last banned a garden tool in 2011. The city has 41 public parks.",
         "The Renwick city council last banned a garden tool in 2011."),
        ("Renwick council bans leaf blowers\n\n"
         "The Renwick city council voted 6-1 on Monday to ban gas leaf blowers from June.\n\n"
         "Council member Ada Plimsoll called the ban overdue.\n\n"
         "The council last banned a garden tool in 2011. The city has 41 public parks.",
         "Renwick has 41 public parks."),
        # a body named with its owner's name ("Tessling's transit board"), then "the board"
        # and an "it" that stands for the board
        ("Tessling's transit board approved a fare rise of 10 cents on Monday.\n\n"
         "The board, which runs 90 buses, said the money would fund new shelters.\n\n"
         "It last raised fares in 2021.",
         "Tessling's transit board runs 90 buses."),
        ("Tessling's transit board approved a fare rise of 10 cents on Monday.\n\n"
         "The board, which runs 90 buses, said the money would fund new shelters.\n\n"
         "It last raised fares in 2021.",
         "Tessling's transit board last raised fares in 2021."),
        # "the district" in a story led by a school body is that body
        ("Orlen Public Schools said on Monday that 88 percent of its seniors graduated on "
         "time.\n\nTeachers credited smaller classes.\n\n"
         "The district will open two new schools by 2028.",
         "Orlen Public Schools will open two new schools by 2028."),
        # "the observatory" far from its name takes the name that says it is one
        ("The Brenner Ridge Observatory found 12 new comets in 2025, its director said.\n\n"
         "Most are too faint to see without a telescope.\n\n"
         "The observatory's new camera cost $8 million.",
         "Brenner Ridge Observatory's new camera cost $8 million."),
        # "the two schools" are the two names given earlier, not the one in sight
        ("The Pellow school board voted on Monday to close Ashdown and Corley elementary "
         "schools in June.\n\nThe two schools are less than half full, the board said.",
         "Ashdown and Corley elementary schools are less than half full."),
        # a landlord is the organisation the court ruled against
        ("A state court on Monday ordered Hembury Homes Ltd. to repay $2 million to 300 "
         "tenants.\n\nThe panel ruled 3-0 that the landlord had kept deposits illegally.",
         "The panel ruled 3-0 that Hembury Homes Ltd. had kept deposits illegally."),
        # "in the district" takes the district's fuller phrase
        ("Dentists in the Marlow Vale health district treated 41,000 children in 2025, the "
         "district's health board said.\n\n"
         "Tooth decay sent 120 children to hospital in the district in 2025.",
         "Tooth decay sent 120 children to hospital in the Marlow Vale health district in "
         "2025."),
        # "it" passes over a plural subject to the body the article was about
        ("Harlow County confirms rise in flu\n\n"
         "Flu cases in Harlow County doubled in February, the county health department said "
         "on Tuesday.\n\n"
         "The department confirmed 240 cases in 2025. Forty of the patients were admitted to "
         "hospital.\n\nIt will open 6 vaccination clinics in April.",
         "The Harlow County health department will open 6 vaccination clinics in April 2026."),
    ],
)
def test_a_description_names_what_it_stands_for(pipeline: Pipeline, text: str,
                                                statement: str) -> None:
    assert statement in _statements(pipeline, text)


@pytest.mark.parametrize(
    ("text", "statement"),
    [
        # a statistics lead about one place: later figures with no owner are that place's
        ("Inflation in Quenby eases\n\n"
         "Consumer prices in Quenby rose 3.1 percent in the year to February, the Quenby "
         "statistics bureau said on Tuesday.\n\n"
         "Clothing prices rose 1.2 percent. The jobless rate held at 6.4 percent.",
         "Clothing prices in Quenby rose 1.2 percent."),
        ("Inflation in Quenby eases\n\n"
         "Consumer prices in Quenby rose 3.1 percent in the year to February, the Quenby "
         "statistics bureau said on Tuesday.\n\n"
         "Clothing prices rose 1.2 percent. The jobless rate held at 6.4 percent.",
         "The jobless rate in Quenby held at 6.4 percent."),
        # the place may be a place noun a name qualifies
        ("Unemployment in the Tarrow region fell to 5.2 percent in February, the regional "
         "statistics office said.\n\nEmployers added 3,100 jobs in February.",
         "Employers in the Tarrow region added 3,100 jobs in February 2026."),
        # a forecast figure in a company's story is the company's
        ("Morrow Foods Inc. said on Tuesday its quarterly profit rose to $80 million, or 40 "
         "cents a share.\n\nIts sales grew 5 percent. Analysts had expected 35 cents a share.",
         "Analysts had expected 35 cents a share for Morrow Foods Inc."),
    ],
)
def test_a_figure_with_no_owner_takes_the_storys_subject(pipeline: Pipeline, text: str,
                                                         statement: str) -> None:
    assert statement in _statements(pipeline, text)


@pytest.mark.parametrize(
    ("text", "statement"),
    [
        # a lead that reports no statistic gives later sentences no place
        ("A jury in Pendle County convicted a former councillor on Monday of taking "
         "bribes.\n\nThe jury acquitted him of two other charges.",
         "The jury acquitted him of two other charges."),
        # a figure with another scope stays as it is
        ("Consumer prices in Quenby rose 3.1 percent in the year to February, the bureau "
         "said.\n\nNationally, prices rose 2.4 percent.",
         "Nationally, prices rose 2.4 percent."),
        # a subject with a name of its own needs no place
        ("Consumer prices in Quenby rose 3.1 percent in the year to February, the bureau "
         "said.\n\nHarrow Dairy prices rose 9 percent.",
         "Harrow Dairy prices rose 9 percent."),
        # "the two schools" with a nearer mention naming no two schools keep their words
        ("The board voted to close two schools in Pellow.\n\n"
         "The two schools are less than half full.",
         "The two schools are less than half full."),
    ],
)
def test_resolution_leaves_the_words_when_nothing_fits(pipeline: Pipeline, text: str,
                                                       statement: str) -> None:
    assert statement in _statements(pipeline, text)
