"""General reference rules: a description whose noun ends a name given earlier, a team
named by its last word, owners anywhere in the claim ("its", "the chain's"), the lead actor
past a dateline's country and past a name told in passing, a "-based" description, a
person described by age however parsed, a pronoun inside what another person said, and a
generic figure in a story about one place or institution. Each case asserts the statement a
fact-checker reads; the "leave" cases assert the words stay when two candidates compete."""

from __future__ import annotations

from datetime import date

import pytest

from workers.pipeline.pipeline import Pipeline


def _statements(pipeline: Pipeline, text: str) -> set[str]:
    return {c.statement for c in pipeline.run(text, date(2026, 3, 12))}


@pytest.mark.parametrize(
    ("text", "statement"),
    [
        # "the trust" (a noun no list knows as a body) is the one name ending in it
        ("Otters back on the Brindle\n\n"
         "Otters are breeding on the River Brindle again, the Brindle Waterways Trust said "
         "on Monday.\n\n"
         "The dam at Hollin was removed in 2023.\n\n"
         "The trust plans to plant 4,000 trees along the banks by 2028.",
         "The Brindle Waterways Trust plans to plant 4,000 trees along the banks by 2028."),
        # a team's last word, capitalised, is the team
        ("Marlow Herons take the cup\n\n"
         "The Marlow Herons beat the Dunley Owls 71-64 on Sunday to win the Coastal Cup.\n\n"
         "Forward Ada Quist scored 22 points.\n\n"
         "The Herons won 19 of their 24 games this season.",
         "The Marlow Herons won 19 of their 24 games this season."),
        # "the hospital" is the name ending in it, not the nearer body that runs it
        ("Beds closed at Wenlow\n\n"
         "Ward 7 at St. Brida's Hospital in Wenlow closed on Monday after a leak, the Wenlow "
         "Care Board said.\n\n"
         "Repairs were ordered by the Wenlow Care Board on Tuesday.\n\n"
         "The hospital treated 61,000 patients in 2025.",
         "St. Brida's Hospital treated 61,000 patients in 2025."),
        # "the chain's" anywhere in the claim: the name the article introduced it with
        ("Fenbury Stores to close cafes\n\n"
         "Fenbury Stores, the discount chain with 140 shops in Wales, will close its cafes "
         "by June.\n\n"
         "The cafes made about £3 million last year, under 2 percent of the chain's sales.",
         "The cafes made about £3 million in 2025, under 2 percent of Fenbury Stores's sales."),
        # "its" that no earlier word of the claim can own
        ("Pellham Freight cuts jobs\n\n"
         "Pellham Freight Inc. will cut 300 jobs at its depots by May, the company said.\n\n"
         "Drivers make up about one in nine of its staff.",
         "Drivers make up about one in nine of Pellham Freight Inc.'s staff."),
        # "the company" after a sentence whose only organisation is told in passing
        ("Quarry Foods beats forecasts\n\n"
         "Quarry Foods Inc. on Monday reported a profit of $12 million.\n\n"
         "Sales rose 6% to $400 million, beating the $390 million analysts polled by Ferrin "
         "Data had expected.\n\n"
         "The company raised its full-year forecast to $1.7 billion.",
         "Quarry Foods Inc. raised its full-year forecast to $1.7 billion."),
        # "the Ohio-based <noun>" describes the organisation the story is led by
        ("Quarry Foods beats forecasts\n\n"
         "Quarry Foods Inc. on Monday reported a profit of $12 million.\n\n"
         "The Ohio-based snackmaker sold 80 million bags in the quarter.",
         "Quarry Foods Inc. sold 80 million bags in the quarter."),
        # the dateline's country is no actor: "the group" is the company the lead names
        ("ACCRA, Ghana (Coastline Wire) - Volta Ridge Cocoa, which farms 9,000 hectares, said "
         "on Monday it would double its processing capacity by 2029.\n\n"
         "The group exported 52,000 tonnes of beans last year, it said.",
         "Volta Ridge Cocoa exported 52,000 tonnes of beans in 2025."),
        # a generic figure in a story led by one place's public body is that place's
        ("Tolcombe raises parking fees\n\n"
         "The Tolcombe Town Council voted 8-3 on Tuesday to raise parking fees in the town "
         "centre.\n\n"
         "Drivers will pay $2.40 an hour from May.",
         "Drivers in Tolcombe will pay $2.40 an hour from May 2026."),
        # a statistics lead about one institution: later figures are "at" it
        ("Waits grow at Ellery General\n\n"
         "Emergency patients at Ellery General Hospital in Stowe waited a median of 5 hours "
         "in February.\n\n"
         "About one in six patients waited more than 10 hours.",
         "About one in six patients at Ellery General Hospital in Stowe waited more than 10 "
         "hours."),
        # "the county <noun>" in a story of one county takes the county's name
        ("Free flu shots in Larne County\n\n"
         "About 40 percent of adults in Larne County had a flu shot this winter.\n\n"
         "The clinics, run by the county health department at 12 libraries, gave 9,300 "
         "shots.",
         "The clinics, run by the Larne County health department at 12 libraries, gave 9,300 "
         "shots."),
        # "its" in what a body's officer said is that body ("the board's chief engineer")
        ("Leak closes Harlow ward\n\n"
         "A ward at Harlow General Hospital closed on Monday after a pipe burst, the Harlow "
         "Care Board said.\n\n"
         "Dr. Ines Varga, the board's chief engineer, said that 30 of its 400 beds were "
         "out of use.",
         "30 of the Harlow Care Board's 400 beds were out of use."),
        # a name right after its common noun, set off by nothing, is no appositive clause
        ("Regulator fines airline\n\n"
         "The transport regulator has fined budget carrier Skylark Air $1.2 million for late "
         "refunds.",
         "The transport regulator has fined budget carrier Skylark Air $1.2 million for late "
         "refunds."),
        # "she" with no person in sight: the person the lead is about
        ("Marta Ellison, who founded the Corwen Lifeboat Fund, died on Sunday at 88.\n\n"
         "Born on a farm, she left school at 14.\n\n"
         "The fund has raised £9 million since 1970.\n\n"
         "In 1991 she was awarded the Harbour Medal.",
         "In 1991 Marta Ellison was awarded the Harbour Medal."),
        # a bare action noun in a story about one thing (no body) is that thing's
        # (a name the tagger calls an organisation, "The Tarrow Bridge", is left alone: the
        # repairs may be a body's)
        ("Old crossing to reopen\n\n"
         "The Mardon Viaduct, closed to traffic since a crack was found in 2024, will reopen "
         "next spring, the state highway department said.\n\n"
         "Repairs are expected to cost $40 million.",
         "The Mardon Viaduct's repairs are expected to cost $40 million."),
    ],
)
def test_subject_is_named(pipeline: Pipeline, text: str, statement: str) -> None:
    assert statement in _statements(pipeline, text)


def test_two_names_ending_in_the_noun_leave_the_words(pipeline: Pipeline) -> None:
    text = ("Two trusts share a grant\n\n"
            "The Brindle Waterways Trust and the Hollin Woodland Trust will share a grant of "
            "£2 million, officials said on Monday.\n\n"
            "Volunteers planted trees in 2025.\n\n"
            "The trust plans to plant 4,000 trees by 2028.")
    statements = _statements(pipeline, text)
    assert "The trust plans to plant 4,000 trees by 2028." in statements


def test_he_in_what_another_person_said_stays_when_two_people_are_in_sight(
        pipeline: Pipeline) -> None:
    text = ("Clerk jailed for fraud\n\n"
            "Martin Oakley, 51, was a clerk at the Fenwick Rowing Club from 2015 to 2024, the "
            "court heard.\n\n"
            "Prosecutor Alys Grange said that he had made 412 transfers to his own account.")
    statements = _statements(pipeline, text)
    assert not any(s.startswith("Alys Grange had made") for s in statements)


def test_a_team_whose_own_phrase_names_its_body_keeps_its_words(pipeline: Pipeline) -> None:
    text = ("Bees and pesticide\n\n"
            "Bees exposed to the pesticide lost their way home, researchers reported on Monday "
            "in the Journal of Field Entomology.\n\n"
            "The team, led by Dr. Ines Farrow of Kelling University, tagged 2,000 bees.")
    statements = _statements(pipeline, text)
    assert not any("Journal of Field Entomology" in s and "2,000" in s for s in statements)
