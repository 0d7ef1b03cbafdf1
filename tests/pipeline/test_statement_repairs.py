"""Statement repairs: statements a fact-checker can read as they stand, dates made absolute the
way the article means them, and words with nothing checkable kept out of the queue.

Every example is made up for these tests.
"""

from __future__ import annotations

from datetime import date

import pytest

from schemas.claims import ClaimRecord
from workers.pipeline.pipeline import Pipeline
from workers.pipeline.references import _fitting


def queued(pipeline: Pipeline, text: str, published: date) -> list[ClaimRecord]:
    return [c for c in pipeline.run(text, published) if c.checkworthiness >= 0.5]


# --- statements that stand alone -----------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "published", "wanted", "never"),
    [
        # "Y, X said" with the speaker hung on Y: no "said" left without its speaker
        ("Ticket sales rose 12 percent, well above forecasts, the festival's director, "
         "Mara Quell, said.", date(2025, 8, 1),
         "Ticket sales rose 12 percent, well above forecasts.", "percent said"),
        ("Fuel costs fell 8 percent, a spokesman, Piet Arnhold, said.", date(2025, 8, 1),
         "Fuel costs fell 8 percent.", "percent said"),
        # a time in several counted parts is one measure
        ("Kenyan cyclist Oren Malit won the Dalby Hill Classic on Saturday in 4 hours, "
         "12 minutes and 9 seconds, beating the old record by 40 seconds.", date(2025, 9, 8),
         "in 4 hours, 12 minutes and 9 seconds", "4 hours are"),
        # a name the tokenizer splits at a slash stays whole
        ("The probe passed within 800 kilometres of comet 88P/Dravin on Monday and took "
         "40 photographs, engineers said.", date(2025, 9, 9), "comet 88P/Dravin on Monday",
         "88P/ and"),
        # a name set off by a description keeps its name
        ("Blue Harbour Comes First, a Dutch charity, has sent 20 boats to the flooded towns.",
         date(2025, 9, 9), "Blue Harbour Comes First", "A Dutch charity, has sent"),
        # a description of the sentence ("his ninth goal") is no "X is Y" about the person
        ("Ashby took the lead through a header from striker Leon Marsh, his ninth goal of "
         "the season.", date(2025, 9, 9), "his ninth goal of the season",
         "Leon Marsh is his"),
        # a description after a date ranks the figure; the date is not what it describes
        ("Unemployment in the Corvale district fell to 6.1 percent in May, the lowest rate "
         "since 2009, the district statistics office said on Monday.", date(2025, 11, 10),
         "6.1 percent in May 2025, the lowest rate since 2009, the district statistics office "
         "said", "is the lowest rate"),
    ],
)
def test_statements_stand_alone(pipeline: Pipeline, text: str, published: date, wanted: str,
                                never: str) -> None:
    statements = [c.statement for c in queued(pipeline, text, published)]
    assert any(wanted in s for s in statements), statements
    every = [c.statement for c in pipeline.run(text, published)]
    assert not any(never in s for s in every), every


def test_a_counted_description_is_not_named_by_one_name(pipeline: Pipeline) -> None:
    """ "The two libraries" stays as it is rather than become "Elmfield" alone."""
    doc = pipeline.nlp("The two libraries are used by fewer than 200 people a week.")
    sent = next(iter(doc.sents))
    end = len("The two libraries")
    assert _fitting(sent, (0, end, "Elmfield")) is None
    assert _fitting(sent, (0, end, "Elmfield and Norcott libraries")) == (
        0, end, "Elmfield and Norcott libraries")


# --- dates -----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "published", "wanted"),
    [
        # a change set for a yearless date, in the present simple: its next occurrence
        ("The new parking charges take effect on July 1.", date(2026, 6, 4), "July 1, 2026"),
        ("Ferry fares rise to €14 from September.", date(2026, 6, 4), "September 2026"),
        ("The board approved a rise of 9 cents, lifting the typical bill by $3 a month "
         "from February.", date(2026, 11, 18), "February 2027"),
        # past tense: the last occurrence
        ("The new parking charges took effect on July 1.", date(2026, 6, 4), "July 1, 2025"),
        # "the month" / "the quarter" named before
        ("Exports from the region fell 3 percent in May, the trade office said.\n\n"
         "Shipments of timber rose 40 percent during the month.", date(2026, 6, 15),
         "rose 40 percent during May 2026"),
        ("Orvane Ltd. said profit rose in the second quarter.\n\n"
         "Revenue in the quarter rose 8 percent to $90 million.", date(2026, 8, 3),
         "the second quarter of 2026"),
        # the end of the year: the article's year
        ("The Tollworth mill will cut 90 jobs by the end of the year.", date(2026, 3, 2),
         "by the end of 2026"),
    ],
)
def test_dates_read_as_the_article_means_them(pipeline: Pipeline, text: str, published: date,
                                              wanted: str) -> None:
    statements = [c.statement for c in pipeline.run(text, published)]
    assert any(wanted in s for s in statements), statements


# --- words with nothing checkable of their own stay out of the queue -------------------------

@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        # a quote of opinion: no figure, date or name in the quoted words
        ('"Frankly, the new timetable is a mess," said passenger Ivo Brandt.',
         "the new timetable is a mess"),
        ('"The river is wilder than most visitors think," said the ranger, Dr. Aino Salm.',
         "wilder than most visitors think"),
        ('Chief executive Dana Ruel said the firm was "ready for a hard summer."',
         "ready for a hard summer"),
        # a party label in brackets is never a claim of its own
        ('Rep. Lena Osk (D-Harbor), the council minority leader, said the levy "punishes '
         'people who can least afford it."', "(D-Harbor)"),
        # a characterisation in an appositive's clothes
        ('Sen. Pia Rask (R-ID) called the measure "a tax dressed up as a fee."',
         "a tax dressed up as a fee"),
        # advice to readers
        ("Tenants behind on rent can apply for support through the housing trust.",
         "can apply for support"),
        # a first-person remark with no figure, date or name
        ("My grandmother never wasted a crust of bread.", "never wasted a crust"),
    ],
)
def test_views_and_advice_are_not_queued(pipeline: Pipeline, text: str, phrase: str) -> None:
    start = text.index(phrase)
    end = start + len(phrase)
    covering = [c for c in queued(pipeline, text, date(2025, 5, 5))
                if c.start <= start and end <= c.end]
    assert covering == [], [c.statement for c in covering]


@pytest.mark.parametrize(
    ("text", "figure"),
    [
        # a quote with a figure, or a name in it, is still a claim
        ('"We sold 4,000 tickets in a day," said promoter Ivo Brandt.', "4,000"),
        ('"Carrow Water has cut 300 jobs," said union official Ben Oduya.', "300 jobs"),
        ("Our members voted 312-40 to strike, the union said.", "312-40"),
    ],
)
def test_claims_with_a_figure_stay_queued(pipeline: Pipeline, text: str, figure: str) -> None:
    statements = [c.statement for c in queued(pipeline, text, date(2025, 5, 5))]
    assert any(figure in s for s in statements), statements
