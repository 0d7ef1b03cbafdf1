"""segment: which sentences are looked at for claims."""

from __future__ import annotations

import pytest
from spacy.language import Language

from workers.pipeline.segment import SegmentConfig, candidate_sentences, is_boilerplate


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the outlet asking readers to subscribe
        ("Subscribe to our newsletter for daily updates.", True),
        # the outlet's note that it contacted someone
        ("We have reached out to the ministry and will update this story.", True),
        # a correction notice
        ("This story has been updated to include new figures.", True),
        # a byline on its own line
        ("By Mara Lindqvist", True),
        # a wire credit
        ("(Reporting by Ingrid Solheim; Editing by Tom Varga)", True),
        # "by" opening a real sentence is reporting
        ("By 2023 the port had handled 2.1 million containers.", False),
        # reporting, not boilerplate
        ("The ministry said exports rose 4 percent.", False),
        # "cookies" in a real claim is not the cookie banner
        ("Sales of cookies fell 3 percent.", False),
    ],
)
def test_is_boilerplate(text: str, expected: bool) -> None:
    assert is_boilerplate(text) is expected


def test_candidate_sentences_skip_questions_boilerplate_and_short_ones(nlp: Language) -> None:
    doc = nlp("Exports rose 4 percent in May. Why did they rise? Subscribe to our newsletter. "
              "Yes. Imports fell.")
    assert [s.text for s in candidate_sentences(doc)] == ["Exports rose 4 percent in May.",
                                                          "Imports fell."]


def test_candidate_sentences_are_trimmed_of_whitespace(nlp: Language) -> None:
    doc = nlp("  \n Exports rose 4 percent in May.\n\n  Imports fell by half. \n")
    for sent in candidate_sentences(doc):
        assert sent.text == sent.text.strip()
        assert doc.text[sent.start_char : sent.end_char] == sent.text


def test_candidate_sentences_skip_sentences_over_the_limit(nlp: Language) -> None:
    doc = nlp("Exports rose 4 percent in May. " + "Imports fell " * 50 + "today.")
    found = [s.text for s in candidate_sentences(doc, SegmentConfig(max_sentence_chars=100))]
    assert found == ["Exports rose 4 percent in May."]


def test_candidate_sentences_of_empty_doc_is_empty(nlp: Language) -> None:
    assert list(candidate_sentences(nlp(""))) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a headline and a paragraph after a blank line are two segments
        ("Tidewater port posts record year\n\nTidewater Port handled 2.1 million containers.",
         ["Tidewater port posts record year", "Tidewater Port handled 2.1 million containers."]),
        # a line break with no full stop ends a segment too
        ("Port handles record cargo\nExports rose 4 percent in May.",
         ["Port handles record cargo", "Exports rose 4 percent in May."]),
        # a headline of two words is too short to hold a claim
        ("Record year\n\nExports rose 4 percent in May.", ["Exports rose 4 percent in May."]),
        # abbreviations do not cut a segment, a dateline stays with its sentence
        ("OSLO, March 3 (Wire) - Sen. Ana Ruiz said Acme Inc. sold its No. 5 berth.",
         ["OSLO, March 3 (Wire) - Sen. Ana Ruiz said Acme Inc. sold its No. 5 berth."]),
    ],
)
def test_candidate_sentences_end_at_line_breaks(nlp: Language, text: str,
                                                expected: list[str]) -> None:
    found = list(candidate_sentences(nlp(text)))
    assert [s.text for s in found] == expected
    assert all("\n" not in s.text for s in found)
