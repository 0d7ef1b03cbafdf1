"""References across an article: descriptions, pronouns and the article's topic; advice and
dated starts scored; names trimmed of white space; restated figures not units."""

from __future__ import annotations

from datetime import date

import pytest
from spacy.language import Language

from workers.pipeline.claim_types import is_announcement, is_opinion
from workers.pipeline.pipeline import Pipeline
from workers.pipeline.references import ArticleMemory


@pytest.fixture(scope="module")
def nlp(pipeline: Pipeline) -> Language:
    return pipeline.nlp


def _statements(pipeline: Pipeline, text: str) -> set[str]:
    return {c.statement for c in pipeline.run(text, date(2025, 5, 14))}


@pytest.mark.parametrize(
    ("text", "lead"),
    [
        # a wire dateline and its agency are no actor: the name after the dash is
        ("Brisk freight year for river port\n\nDUNHAVEN, May 13 (Harbour Wire) - Quayline "
         "Logistics said on Tuesday it had moved 4.2 million tonnes in 2024.",
         "Quayline Logistics"),
        # a thing named by a proper compound, what the reporters say it did
        ("Rover reaches crater rim\n\nThe Pellinore rover climbed 300 metres to the rim of "
         "the crater on Monday, engineers said.", "The Pellinore rover"),
        # a name introduced with "named"
        ("A charity called Warm Homes said on Monday it had fitted 900 boilers.",
         "Warm Homes"),
        # a person opening the lead is not the article's organisation
        ("Mayor Tilda Marsh said on Monday the city would plant 5,000 trees.", None),
    ],
)
def test_the_article_remembers_who_its_lead_is_about(nlp: Language, text: str,
                                                    lead: str | None) -> None:
    memory = ArticleMemory()
    for sent in nlp(text).sents:
        memory.remember(sent)
    assert memory.lead == lead


@pytest.mark.parametrize(
    ("text", "statement"),
    [
        # a description far from its name takes the name the article introduced it with
        ("Ferry operator Sundlin Lines said on Monday it would add two boats.\n\n"
         "Passengers have complained about queues all winter.\n\n"
         "Tickets sold out twice in April.\n\n"
         "The operator carried 2.2 million passengers in 2024.",
         "Sundlin Lines carried 2.2 million passengers in 2024."),
        # "the company" with no name in sight is the article's lead organisation
        ("KIRKWALL, May 12 (Northwire) - Orkney Fabrics said on Monday it would open a "
         "second mill.\n\nWool prices have doubled since 2022.\n\nDemand for tweed is "
         "strong in Japan.\n\nThe company sold 90,000 metres of cloth in 2024.",
         "Orkney Fabrics sold 90,000 metres of cloth in 2024."),
        # "it" after a named speaker's "said" is the speaker, not a place named later
        ("Field Medics United said on Friday it had treated 1,200 people since the floods "
         "reached Varnholt.",
         "Field Medics United had treated 1,200 people"),
        # "its" opening a sentence takes what the sentence before was about
        ("Tram operator Belvia Transit said it would buy 12 trams, the operator said.\n\n"
         "The operator expects delays. Its network carried 30 million riders in 2024.",
         "Belvia Transit's network carried 30 million riders in 2024."),
        # a spacecraft described later is the craft the lead named
        ("The Corvid probe passed 400 kilometres from the asteroid on Monday, controllers "
         "said.\n\nThe spacecraft, launched in 2021, travelled 2 billion kilometres.",
         "The Corvid probe, launched in 2021, travelled 2 billion kilometres."),
    ],
)
def test_descriptions_and_pronouns_take_the_name_the_article_gave(
        pipeline: Pipeline, text: str, statement: str) -> None:
    assert any(statement in made for made in _statements(pipeline, text))


@pytest.mark.parametrize(
    ("text", "opinion"),
    [
        ("Hikers should carry water on the ridge path.", True),
        ("You must book a slot before visiting the tip.", True),
        ("Check your tyres before a long drive.", True),
        ("We were superb in the second half.", True),
        ("She called the levy \"a tax on the poor.\"", True),
        # an organisation's duty is reported, not advice
        ("The council should publish its accounts by June.", False),
        ("The firm must repay the grant.", False),
        ("Councils should publish their accounts.", False),
        ("We opened two shops in May.", False),
    ],
)
def test_advice_and_self_praise_are_opinions(nlp: Language, text: str, opinion: bool) -> None:
    assert is_opinion(list(nlp(text))) is opinion


@pytest.mark.parametrize(
    ("text", "announced"),
    [
        ("The new parking charges take effect on March 3.", True),
        ("The rules come into force in September.", True),
        ("The first ferries will enter service in 2027.", True),
        # no date: a start nobody can check yet
        ("The rules will take effect soon.", False),
    ],
)
def test_a_dated_start_is_an_announcement(nlp: Language, text: str, announced: bool) -> None:
    assert is_announcement(list(nlp(text))) is announced


def test_a_name_at_a_headlines_end_holds_no_line_break(nlp: Language) -> None:
    doc = nlp("Bus fares to rise in Larkport\n\nThe board voted on Monday.")
    assert all(not ent.text.endswith(("\n", " ")) for ent in doc.ents)
    assert all(not doc[ent.start].is_space for ent in doc.ents)


def test_a_figure_restated_in_brackets_is_no_claim_of_its_own(pipeline: Pipeline) -> None:
    claims = pipeline.run("Of the 80 farms, 60 (three in four) passed the test.",
                          date(2025, 5, 14))
    assert not any(c.statement.startswith(("60 is", "60 are")) for c in claims)
