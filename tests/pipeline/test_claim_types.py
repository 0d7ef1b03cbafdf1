"""claim_types: Full Fact-style types from a unit's words and spans."""

from __future__ import annotations

from datetime import date

import pytest
from spacy.language import Language

from workers.pipeline.assemble import sentence_spans
from workers.pipeline.claim_types import classify, is_announcement, is_opinion
from workers.pipeline.pipeline import build_pipeline


@pytest.mark.parametrize(
    ("text", "attributed", "expected"),
    [
        # a figure
        ("Exports rose 4 percent.", False, ["quantity"]),
        # a figure and a date
        ("Exports rose 4 percent in 2023.", False, ["quantity", "temporal"]),
        # a comparative without figures
        ("Crime is higher than it was a decade ago.", False, ["comparison"]),
        # "more than" inside a quantity is not a comparison
        ("The fund holds more than 3 billion dollars.", False, ["quantity"]),
        # cause and effect
        ("The drought caused the price rise.", False, ["causal"]),
        # a forecast
        ("The bank will raise rates.", False, ["prediction"]),
        # a rule
        ("The law bans smoking in parks.", False, ["law_rule"]),
        # a bill in parliament is about law
        ("The Senate passed the bill.", False, ["law_rule"]),
        # a household bill is not
        ("Heating bills rose sharply.", False, ["other"]),
        # "act" as a verb is not
        ("The council must act quickly.", False, ["other"]),
        # reported speech
        ("The mayor resigned.", True, ["attribution"]),
        # nothing specific
        ("The mayor resigned.", False, ["other"]),
    ],
)
def test_classify(nlp: Language, text: str, attributed: bool, expected: list[str]) -> None:
    doc = nlp(text)
    sent = next(doc.sents)
    spans, _ = sentence_spans(sent, doc.text, date(2024, 1, 1))
    assert classify(sent, spans, attributed=attributed) == expected


@pytest.mark.parametrize(
    ("text", "announced"),
    [
        # a named company's decision, "no longer"
        ("Telenord will no longer sell its home alarm service.", True),
        # "plans to" with an organisation noun
        ("The council plans to raise parking fees.", True),
        # "has decided to"
        ("The company has decided to close its Bergen plant.", True),
        # "we" speaking for the organisation, with an action verb
        ("We will stop selling cigarettes in all our stores.", True),
        # a forecast about the world
        ("Prices will rise next year.", False),
        # "will" with a common noun and no decision verb stays a forecast
        ("The bank will raise rates.", False),
        # a person's expected result is no decision
        ("Smith will win the race.", False),
        # past facts are not announcements
        ("Telenord sold its alarm service in 2021.", False),
        # reported of itself: "it" is the organisation speaking
        ("The chain said it will no longer sell tobacco.", True),
        # "would" in reported speech, with an organisation noun
        ("Mayor Colin Tate said the city would ask lawmakers to change the law.", True),
        # a forecast reported by others stays a forecast
        ("Experts say the economy will recover.", False),
        # an unknown capitalised name is still a name
        ("Corvane will no longer sell printers.", True),
        # "it plans to": a decision verb with an organisation's pronoun
        ("It plans to close its Birchmouth plant next spring.", True),
        # an organisation noun's commitment with a figure or a date
        ("The county will pay for half of the new bridge.", True),
        ("The council will fund the project from April.", True),
        # an organisation's own timetable
        ("The firm expects the vaccine to reach clinics in March.", True),
        # its expectation about the world stays a forecast
        ("The firm expects inflation to fall in March.", False),
        # a timetable with a date
        ("Work on the bridge is due to start in May.", True),
        ("The new terminal is scheduled to open in 2027.", True),
        # a timetable of the world's prices is a forecast
        ("Prices are set to rise in June.", False),
        # a policy put into effect: "make ... free"
        ("Lakemont will make school meals free from September.", True),
        # an organisation's own price with a figure
        ("Its cheese pasty will go up 20p to £2.10.", True),
        # its results are a forecast even with a figure
        ("Its shares will rise 5 percent next year.", False),
        # an organisation noun's "will" without a date or figure stays a forecast
        ("The city will grow.", False),
    ],
)
def test_is_announcement(nlp: Language, text: str, announced: bool) -> None:
    assert is_announcement(list(nlp(text))) is announced


def test_an_announced_decision_is_queued_and_a_bare_forecast_is_not() -> None:
    pipeline = build_pipeline()
    article = ("Telenord will no longer sell its home alarm service, its chief executive said. "
               "The council plans to raise parking fees. Prices will rise next year.")
    queued = [c.text for c in pipeline.run(article, date(2024, 3, 5))
              if c.checkworthiness >= 0.5]
    assert any(text.startswith("Telenord will no longer sell") for text in queued)
    assert "The council plans to raise parking fees" in queued
    assert not any("Prices will rise" in text for text in queued)
    types = {c.text: c.types for c in pipeline.run(article, date(2024, 3, 5))}
    assert all("prediction" not in t for text, t in types.items() if "Telenord" in text)


@pytest.mark.parametrize(
    ("text", "opinion"),
    [
        # a characterisation in quotes
        ('Sen. Rob Kittredge called the plan "a giveaway dressed up as infrastructure."', True),
        # a truth about anyone
        ("Anyone who has waited for the number 12 in the rain knows the problem.", True),
        # the writer's own view
        ("We reject any use which does not respect patient privacy.", True),
        # "called an election" is an act, not a judgement
        ("The minister called an election for May 5.", False),
        # a report
        ("The agency recalled 250,000 cans on Monday.", False),
    ],
)
def test_is_opinion(nlp: Language, text: str, opinion: bool) -> None:
    assert is_opinion(list(nlp(text))) is opinion


def test_opinions_without_figures_are_not_queued() -> None:
    article = ('Sen. Rob Kittredge called the plan "a giveaway dressed up as infrastructure." '
               "Anyone who has waited for the number 12 in the rain knows the problem.")
    assert all(c.checkworthiness < 0.5 for c in build_pipeline().run(article, date(2024, 3, 5)))
