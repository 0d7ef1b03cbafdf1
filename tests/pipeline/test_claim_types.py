"""claim_types: Full Fact-style types from a unit's words and spans."""

from __future__ import annotations

from datetime import date

import pytest
from spacy.language import Language

from workers.pipeline.assemble import sentence_spans
from workers.pipeline.claim_types import classify


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
