"""boundaries: sentence starts fixed by rules before the parser (``claimdesk_sentences``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from schemas.claims import ClaimRecord
from service.html_text import extract_text
from workers.pipeline.boundaries import (
    SENTENCE_COMPONENT,
    SentenceBoundaries,
    Stop,
    add_sentence_boundaries,
    classify_period,
    register_components,
)
from workers.pipeline.pipeline import Pipeline


def sentences(doc: Doc) -> list[str]:
    return [s.text.strip() for s in doc.sents if s.text.strip()]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a headline, a blank line, a paragraph: the headline is its own sentence
        ("Tidewater port posts record year\n\nTidewater Port handled 2.1 million containers.",
         ["Tidewater port posts record year", "Tidewater Port handled 2.1 million containers."]),
        # a single line break ends a sentence, with or without a full stop
        ("Exports rose 4 percent\nImports fell 2 percent.",
         ["Exports rose 4 percent", "Imports fell 2 percent."]),
        # ... and so does a Windows line break, or a line break with spaces around it
        ("Exports rose 4 percent.\r\nImports fell. \n Prices held.",
         ["Exports rose 4 percent.", "Imports fell.", "Prices held."]),
        # a title before a name goes on ("Sen." is one token)
        ("Sen. Ana Ruiz said the bill would cost $4 billion.",
         ["Sen. Ana Ruiz said the bill would cost $4 billion."]),
        # ... as do "Dr." and titles whose period the tokenizer splits off ("Lt" ".")
        ("Dr. Lee and Lt. Col. Ruiz met Rep. Diaz and Gov. Hale.",
         ["Dr. Lee and Lt. Col. Ruiz met Rep. Diaz and Gov. Hale."]),
        # a company suffix before a verb does not end a sentence
        ("Acme Inc. said sales rose 4 percent.", ["Acme Inc. said sales rose 4 percent."]),
        # "No." before a number is no sentence end, but an answer "No." is
        ("The No. 5 berth closed. No. 6 stays open. She said No. The vote failed.",
         ["The No. 5 berth closed.", "No. 6 stays open.", "She said No.", "The vote failed."]),
        # "etc." and "Tex." keep spaCy's split ("etc" "."), and still end only before an opener
        ("Apples, pears, etc. are sold in Austin, Tex. The store opened in May.",
         ["Apples, pears, etc. are sold in Austin, Tex.", "The store opened in May."]),
        # "U.S." ends a sentence before a usual opener ...
        ("The firm moved to the U.S. The move cost $4 million.",
         ["The firm moved to the U.S.", "The move cost $4 million."]),
        # ... but not before a name or a noun
        ("The U.S. Senate and U.K. officials met.", ["The U.S. Senate and U.K. officials met."]),
        # "Inc.", "Corp." and "a.m." end one before an opener as well
        ("Shares rose at Acme Inc. It was the best day since 2019. Trading opened at 9 a.m. "
         "The index fell at 4 p.m. Monday.",
         ["Shares rose at Acme Inc.", "It was the best day since 2019.",
          "Trading opened at 9 a.m.", "The index fell at 4 p.m. Monday."]),
        # a name that reads like a clause stays in its sentence
        ("Volunteers with Doctors Without Borders say the camp holds 4,000 people.",
         ["Volunteers with Doctors Without Borders say the camp holds 4,000 people."]),
        # ... and so does this one
        ("A campaign by Save the Children found that 30 schools closed.",
         ["A campaign by Save the Children found that 30 schools closed."]),
        # a wire dateline stays in its sentence
        ("OSLO, March 3 (Wire) - The fund rose 4 percent.",
         ["OSLO, March 3 (Wire) - The fund rose 4 percent."]),
        # ... with abbreviations in it, too
        ("ST. LOUIS, Mo. (AP) — The council voted 5-4. LONDON, Jan. 5 (Wire) - Shares fell.",
         ["ST. LOUIS, Mo. (AP) — The council voted 5-4.", "LONDON, Jan. 5 (Wire) - Shares fell."]),
        # a quote ending in a comma, then its speech tag: one sentence
        ('"It was a record," she said. Sales rose.', ['"It was a record," she said.',
                                                      "Sales rose."]),
        # a question in quotes followed by a named speaker and a speech verb: one sentence
        ('"Is it true?" Ruiz asked. "Yes." Then it fell.',
         ['"Is it true?" Ruiz asked.', '"Yes."', "Then it fell."]),
        # a sentence may open with a number, a bracket or a quote
        ("Sales rose. 2024 was better. (It was.) \"Good,\" he said.",
         ["Sales rose.", "2024 was better.", "(It was.)", '"Good," he said.']),
        # a lower-case word after a stop does not open a sentence
        ("He cited e.g. the port. and more", ["He cited e.g. the port. and more"]),
        # a run of stops ends one sentence, not two
        ("Really?! Yes… It rose.", ["Really?!", "Yes…", "It rose."]),
        # initials and dotted acronyms inside a word are no sentence ends
        ("J. K. Rowling visited a U.S.-based firm.", ["J. K. Rowling visited a U.S.-based firm."]),
        # a full stop with no space after it is no sentence end
        ("See example.com for the data.", ["See example.com for the data."]),
    ],
)
def test_sentences_follow_the_rules(nlp: Language, text: str, expected: list[str]) -> None:
    assert sentences(nlp(text)) == expected


@pytest.mark.parametrize(
    ("word", "stop"),
    [
        # a title
        ("Sen", Stop.NEVER),
        # a title in an all-caps dateline
        ("ST", Stop.OPENER),
        # versus
        ("vs", Stop.NEVER),
        # a number follows it
        ("No", Stop.NUMBERED),
        # a dotted acronym
        ("U.S", Stop.OPENER),
        # an initial
        ("J", Stop.OPENER),
        # a company suffix
        ("Inc", Stop.OPENER),
        # a state
        ("Calif", Stop.OPENER),
        # "ill" is a word, "Ill." the state
        ("ill", Stop.PLAIN),
        # an ordinary word
        ("percent", Stop.PLAIN),
        # a number
        ("2023", Stop.PLAIN),
        # a page number follows it
        ("p", Stop.NUMBERED),
        # a state in capitals may end a sentence
        ("CA", Stop.PLAIN),
    ],
)
def test_classify_period(word: str, stop: Stop) -> None:
    assert classify_period(word) is stop


def test_titles_and_numbering_words_are_one_token(nlp: Language) -> None:
    words = [t.text for t in nlp.make_doc("Lt. Col. Ruiz, the world No. 3, met Sgt. Lee.")]
    assert words == ["Lt.", "Col.", "Ruiz", ",", "the", "world", "No.", "3", ",", "met", "Sgt.",
                     "Lee", "."]


def test_every_token_gets_a_start_true_or_false(nlp: Language) -> None:
    doc = SentenceBoundaries()(nlp.make_doc("Headline here\n\nSen. Ruiz said so. It rose."))
    assert all(t.is_sent_start in (True, False) for t in doc)
    assert [t.text for t in doc if t.is_sent_start] == ["Headline", "Sen.", "It"]


def test_the_parser_keeps_the_boundaries_set_before_it(nlp: Language) -> None:
    text = ("Tidewater port posts record year\n\nVolunteers with Doctors Without Borders say the "
            "camp holds 4,000 people. Sen. Ana Ruiz moved to the U.S. The firm followed.")
    ruled = SentenceBoundaries()(nlp.make_doc(text))
    parsed = nlp(text)
    assert [t.is_sent_start for t in parsed] == [t.is_sent_start for t in ruled]


def test_the_component_runs_before_the_parser(nlp: Language) -> None:
    assert nlp.pipe_names.index(SENTENCE_COMPONENT) < nlp.pipe_names.index("parser")


def test_nlp_pipe_gives_the_same_sentences(nlp: Language) -> None:
    texts = ["Port posts record\n\nSen. Ruiz said so.", "Acme Inc. The firm grew.", ""]
    assert [sentences(d) for d in nlp.pipe(texts)] == [sentences(nlp(t)) for t in texts]


def test_empty_doc(nlp: Language) -> None:
    assert len(SentenceBoundaries()(nlp.make_doc(""))) == 0
    assert sentences(nlp("")) == []


def test_registration_is_idempotent() -> None:
    register_components()
    register_components()
    blank = add_sentence_boundaries(add_sentence_boundaries(spacy.blank("en")))
    assert blank.pipe_names == [SENTENCE_COMPONENT]


def test_extra_abbreviations_are_a_setting() -> None:
    register_components()
    default = spacy.blank("en")
    default.add_pipe(SENTENCE_COMPONENT)
    configured = spacy.blank("en")
    configured.add_pipe(SENTENCE_COMPONENT, config={"abbreviations": ["Amb."]})
    text = "Amb. Ruiz arrived."
    assert sentences(default(text)) == ["Amb.", "Ruiz arrived."]
    assert sentences(configured(text)) == [text]


def test_serialization_round_trip(tmp_path: Path) -> None:
    register_components()
    blank = spacy.blank("en")
    blank.add_pipe(SENTENCE_COMPONENT, config={"abbreviations": ["Amb"]})
    blank.to_disk(tmp_path / "model")
    loaded = spacy.load(tmp_path / "model")
    text = "Amb. Ruiz arrived\nSen. Lee left. It rained."
    assert loaded.pipe_names == [SENTENCE_COMPONENT]
    assert sentences(loaded(text)) == sentences(blank(text))


# The whole pipeline on articles written for these tests.

PORT = (
    "Tidewater port posts record year\n\n"
    "By Mara Lindqvist\n\n"
    "TIDEWATER, March 4 (Wire) - Tidewater Port handled 2.1 million containers in 2023, up 8 "
    "percent from the year before, the port authority said on Monday.\n\n"
    "Sen. Ana Ruiz (D-NM) said the expansion would cost $450 million. Volunteers with Doctors "
    "Without Borders say the port's clinic treated 1,200 workers last year.\n"
    "A campaign by Save the Children found that 40 children worked at the docks in 2019.\n\n"
    "Shipping firm Acme Inc. said its No. 5 berth would close in May. Most of the cargo goes to "
    "the U.S. The firm moved 600,000 containers there in 2023, according to Dr. Lee Hammond "
    "(Tidewater University).\n\n"
    '"It was a record," she said. The report is due on March 20 at 10 a.m. Eastern.'
)
PORT_HTML = (
    "<html><body><article><h1>Tidewater port posts record year</h1>"
    "<p>Tidewater Port handled 2.1 million containers in 2023, the port said.</p>"
    "<h2>Jobs</h2><p>The port employs 3,400 people.</p></article></body></html>"
)


def _cut_names(doc: Doc, claim: ClaimRecord) -> list[str]:
    """Entities of the claim's sentence that the claim starts or ends inside."""
    return [
        e.text for e in doc.ents
        if claim.sentence.start <= e.start_char and e.end_char <= claim.sentence.end
        and (e.start_char < claim.start < e.end_char or e.start_char < claim.end < e.end_char)
    ]


def test_article_claims_keep_to_one_line_and_whole_names(pipeline: Pipeline) -> None:
    doc = pipeline.nlp(PORT)
    claims = pipeline.extract(doc, date(2024, 3, 5))
    texts = [c.text for c in claims]
    assert "Tidewater port posts record year" in texts
    assert not any(t.startswith("By Mara") and "Tidewater" in t for t in texts)
    assert any(t.startswith("Volunteers with Doctors Without Borders say") for t in texts)
    assert any(t.startswith("A campaign by Save the Children found") for t in texts)
    assert any(t.startswith("Sen. Ana Ruiz (D-NM) said") for t in texts)
    assert "Most of the cargo goes to the U.S." in texts
    for claim in claims:
        assert PORT[claim.start : claim.end] == claim.text
        assert "\n" not in claim.text
        assert "\n" not in PORT[claim.sentence.start : claim.sentence.end].strip()
        assert _cut_names(doc, claim) == []
        assert "Tidewater port posts record year Tidewater" not in claim.statement


def test_html_headings_are_their_own_sentences(pipeline: Pipeline) -> None:
    text = extract_text(PORT_HTML)
    claims = pipeline.run(text, date(2024, 3, 5))
    assert "Tidewater port posts record year" in [c.text for c in claims]
    for claim in claims:
        assert text[claim.start : claim.end] == claim.text
        assert "\n" not in claim.text
