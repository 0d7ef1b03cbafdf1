"""Runs of non-space characters longer than any word: one token, tokenized in linear time."""

from __future__ import annotations

import time

import pytest

from workers.pipeline.long_runs import LongRunTokenizer


@pytest.mark.parametrize("text", [
    # a run of one punctuation mark: spaCy alone takes the square of its length
    "(" * 20_000 + "x" + ")" * 20_000,
    "<" * 200_000,
    # runs between ordinary text, whitespace of every kind kept
    "Exports fell.\n\n" + '"' * 5_000 + "  \tThen they rose 4 percent.",
    ("(" * 300 + " ") * 100,
    # an ordinary text is tokenized by spaCy alone
    "The council said exports fell 4 percent in March.",
    "",
])
def test_the_doc_holds_the_text_character_for_character(nlp, text: str) -> None:
    assert nlp.tokenizer(text).text == text


def test_a_long_run_is_one_token_in_linear_time(nlp) -> None:
    began = time.monotonic()
    doc = nlp.tokenizer("<" * 200_000)
    assert time.monotonic() - began < 2
    assert [len(token) for token in doc] == [200_000]


def test_text_without_long_runs_gets_spacys_own_tokens(nlp) -> None:
    assert isinstance(nlp.tokenizer, LongRunTokenizer)
    text = "Sen. Warren didn't say (in 2023) that exports fell 4%."
    assert [t.text for t in nlp.tokenizer(text)] == [t.text for t in
                                                       nlp.tokenizer.tokenizer(text)]


def test_a_long_run_ends_its_sentence_as_a_short_one_does(nlp) -> None:
    def shape(run: str) -> list[list[str]]:
        doc = nlp(f"Their code was {run}. Exports fell 4 percent in March.")
        return [[t.text if t.text != run else "RUN" for t in s] for s in doc.sents]

    assert shape("x" * 5_000) == shape("x" * 5)
    assert shape("x" * 5_000)[-1] == ["Exports", "fell", "4", "percent", "in", "March", "."]
