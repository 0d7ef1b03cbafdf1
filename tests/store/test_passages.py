"""The regex sentence and passage splitter: literal text in, plain lists out."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.store.passages import split_passages, split_sentences


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        # plain full stops, a question and an exclamation
        ("Prices rose. Did wages? They fell!", ["Prices rose.", "Did wages?", "They fell!"]),
        # titles and country abbreviations do not end a sentence
        ("Mr. Smith visited the U.S. Embassy. It was closed.",
         ["Mr. Smith visited the U.S. Embassy.", "It was closed."]),
        # "U.S." ends a sentence when a usual opener follows
        ("The plant moved to the U.S. The firm said so.",
         ["The plant moved to the U.S.", "The firm said so."]),
        # "Inc." ends one too, but not before a lower-case word
        ("He joined Acme Inc. and left. Sales at Acme Inc. In 2020 they fell.",
         ["He joined Acme Inc. and left.", "Sales at Acme Inc.", "In 2020 they fell."]),
        # initials and month abbreviations neither
        ("J. K. Rowling spoke on Jan. 5 in London. She left.",
         ["J. K. Rowling spoke on Jan. 5 in London.", "She left."]),
        # decimals and thousands separators stay inside a sentence
        ("Growth was 2.5% and 7,800 jobs went. Next.", ["Growth was 2.5% and 7,800 jobs went.",
                                                       "Next."]),
        # a closing quote belongs to the sentence it ends
        ('"It is false." The agency disagreed.', ['"It is false."', "The agency disagreed."]),
        # a lower-case word after a full stop continues the sentence
        ("Sales rose e.g. in shops. Done.", ["Sales rose e.g. in shops.", "Done."]),
        # a blank line ends a sentence even without punctuation
        ("Key figures\n\nUnemployment was 3.5%.", ["Key figures", "Unemployment was 3.5%."]),
    ],
)
def test_split_sentences(text: str, sentences: list[str]) -> None:
    assert [s.text for s in split_sentences(text)] == sentences


def test_empty_text_has_no_passages() -> None:
    assert split_passages("") == [] and split_passages("  \n\n ") == []


def test_passages_hold_at_most_three_sentences() -> None:
    text = " ".join(f"Sentence number {i} is here." for i in range(7))
    passages = split_passages(text)
    assert [p.text.count(".") for p in passages] == [3, 3, 1]


def test_passages_do_not_cross_paragraphs() -> None:
    text = "First point. Second point.\n\nThird point."
    assert [p.text for p in split_passages(text)] == ["First point. Second point.",
                                                       "Third point."]


def test_passages_stay_under_the_character_limit() -> None:
    text = ("word " * 300).strip() + ". " + "Short one."
    passages = split_passages(text, max_chars=600)
    assert all(len(p.text) <= 600 for p in passages)
    assert passages[-1].text.endswith("Short one.")


def test_offsets_point_into_the_text() -> None:
    text = "  Leading space. Then more text!\n\n\tIndented paragraph here.  "
    for passage in split_passages(text):
        assert text[passage.start : passage.end] == passage.text


@given(st.text(alphabet=st.sampled_from("ab .!?\n\"'U.S"), max_size=400))
def test_offsets_hold_for_any_text(text: str) -> None:
    passages = split_passages(text, max_chars=50)
    for passage in passages:
        assert text[passage.start : passage.end] == passage.text
        assert passage.text and passage.text == passage.text.strip()
    assert [p.start for p in passages] == sorted(p.start for p in passages)
