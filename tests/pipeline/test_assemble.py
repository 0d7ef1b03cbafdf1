"""assemble: one checkable span, one claim; a clause's facts are not repeated around it."""

from __future__ import annotations

from datetime import date

import pytest

from workers.pipeline.assemble import _says_itself_twice
from workers.pipeline.pipeline import Pipeline


@pytest.mark.parametrize(
    ("text", "statements"),
    [
        # an interrupting relative clause: its date goes to its own claim only
        ("The company, which opened its first store in 1962, now runs 140 shops.",
         {"The company now runs 140 shops.", "The company opened its first store in 1962."}),
        # an interrupting appositive with a figure
        ("Brightwater, a charity with 30 shelters, said demand rose 20 percent.",
         {"Demand rose 20 percent."}),
        # a named antecedent's relative clause inside reported speech
        ("A charity named Brightwater that runs 30 shelters said demand rose 20 percent.",
         {"Brightwater runs 30 shelters.", "A charity named Brightwater said demand rose 20 "
          "percent."}),
    ],
)
def test_each_figure_is_queued_once(pipeline: Pipeline, text: str,
                                    statements: set[str]) -> None:
    claims = pipeline.run(text, date(2024, 3, 5))
    assert statements <= {c.statement for c in claims}
    spans = [(s.kind, s.start, s.end) for c in claims if "attribution" not in c.types
             for s in c.spans if s.kind in ("quantity", "date")]
    assert len(spans) == len(set(spans))


@pytest.mark.parametrize(
    ("text", "statement"),
    [
        # the sentence's own preposition stays
        ("Exports reached 40 billion, up from last year.",
         "Exports reached 40 billion, up from 2023."),
        # "today" meaning nowadays is not rewritten
        ("Staff shortages are common in hospitals today, with 30 percent of posts empty.",
         "Staff shortages are common in hospitals today, with 30 percent of posts empty."),
    ],
)
def test_date_rewrites_keep_the_grammar(pipeline: Pipeline, text: str, statement: str) -> None:
    assert statement in {c.statement for c in pipeline.run(text, date(2024, 3, 5))}


def test_a_wire_dateline_is_not_part_of_the_statement(pipeline: Pipeline) -> None:
    text = ("OSLO, March 3 (Wire) - Ferry operator Fjordlinje said on Sunday it would raise "
            "ticket prices by 12 percent.")
    statements = [c.statement for c in pipeline.run(text, date(2024, 3, 3))]
    assert statements and all(not s.startswith("OSLO") for s in statements)
    assert any(s.startswith("Ferry operator Fjordlinje said on Sunday, March 3, 2024")
               for s in statements)


def test_a_headlines_wording_is_left_as_it_is(pipeline: Pipeline) -> None:
    text = "Halvorsen reports weak second quarter\n\nHalvorsen Foods said sales fell 3 percent."
    statements = {c.statement for c in pipeline.run(text, date(2024, 8, 1))}
    assert "Halvorsen reports weak second quarter." in statements


@pytest.mark.parametrize(
    ("text", "statement"),
    [
        # an appositive that is a name stands in for its description
        ("The bill's sponsor, Sen. Ana Velasquez, said it would pay for repairs to 1,100 "
         "water systems.", "Sen. Ana Velasquez said it would pay for repairs to 1,100 water "
         "systems."),
        # "That is the lowest" names the measure the sentence before reported
        ("The average price of gasoline fell 40 cents to $2.98, the club said on Monday. That "
         "is the lowest since February 2021.",
         "The average price of gasoline is the lowest since February 2021."),
        # a defining clause after a common noun stays in its sentence
        ("Staff counted 14 clinics in the flooded Sava valley that have closed since August.",
         "Staff counted 14 clinics in the flooded Sava valley that have closed since August "
         "2024."),
    ],
)
def test_statements_keep_who_and_what(pipeline: Pipeline, text: str, statement: str) -> None:
    assert statement in {c.statement for c in pipeline.run(text, date(2024, 9, 10))}


@pytest.mark.parametrize(
    ("statement", "twice"),
    [
        # a rewrite gone wrong on a bad parse repeats itself
        ("One in five of the 3,100 people who work at the site is roughly one in five of the "
         "3,100 people who work at the site.", True),
        # a statement that names a figure twice is fine
        ("Exports rose 4 percent to $3 billion, up from $2.9 billion.", False),
    ],
)
def test_a_statement_that_says_itself_twice_is_dropped(statement: str, twice: bool) -> None:
    assert _says_itself_twice(statement) is twice
