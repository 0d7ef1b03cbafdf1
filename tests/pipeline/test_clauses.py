"""Tests for the clause splitter: sentences in, claim units (kind, text, subject, speaker) out."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.language import Language

from workers.pipeline.clauses import ClaimUnit, split_units

KINDS = {"sentence", "main", "relative", "appositive", "coordinated", "reported", "attribution"}
EDGE_JUNK = " \t\r\n,;:"


def units_of(nlp: Language, text: str) -> list[tuple[str, str]]:
    """(kind, text) of every unit of every sentence of text."""
    doc = nlp(text)
    return [(u.kind, doc.text[u.start:u.end]) for s in doc.sents for u in split_units(s)]


def only_unit(nlp: Language, text: str, kind: str) -> ClaimUnit:
    """The single unit of the given kind in a one-sentence text."""
    found = [u for u in split_units(next(nlp(text).sents)) if u.kind == kind]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # relative clause about the subject; the main clause is interrupted, so the sentence stays
        (
            "Arvind Krishna, who took over the chief executive role in April, added that the "
            "company would hire more engineers.",
            [
                ("attribution", "Arvind Krishna, who took over the chief executive role in April, "
                 "added that the company would hire more engineers"),
                ("relative", "Arvind Krishna, who took over the chief executive role in April"),
                ("reported", "the company would hire more engineers"),
            ],
        ),
        # relative clause at the end: the main clause is its own contiguous unit
        (
            "The ministry hired Maria Lopez, who previously led the statistics office.",
            [
                ("main", "The ministry hired Maria Lopez"),
                ("relative", "Maria Lopez, who previously led the statistics office"),
            ],
        ),
        # relative clause in mid-sentence with no speech: the sentence unit plus the relative
        (
            "The factory, which opened in 1998, employs 1,200 people.",
            [
                ("sentence", "The factory, which opened in 1998, employs 1,200 people"),
                ("relative", "The factory, which opened in 1998"),
            ],
        ),
        # "whose" relative clause
        (
            "The company, whose shares fell 8 percent on Monday, said it would cut 300 jobs.",
            [
                ("attribution", "The company, whose shares fell 8 percent on Monday, said it "
                 "would cut 300 jobs"),
                ("relative", "The company, whose shares fell 8 percent on Monday"),
                ("reported", "it would cut 300 jobs"),
            ],
        ),
        # relative clause about a sum of money
        (
            "The regulator fined the bank $2 million, which was the largest penalty that year.",
            [
                ("main", "The regulator fined the bank $2 million"),
                ("relative", "$2 million, which was the largest penalty that year"),
            ],
        ),
        # object relative clause: not split out (no subject to put back)
        (
            "The report which the ministry published in May showed a sharp rise in exports.",
            [("sentence", "The report which the ministry published in May showed a sharp rise in "
              "exports")],
        ),
        # appositive after a name, with reported speech without "that"
        (
            "Arvind Krishna, IBM's chief executive since 2020, said the company would grow.",
            [
                ("attribution", "Arvind Krishna, IBM's chief executive since 2020, said the "
                 "company would grow"),
                ("appositive", "Arvind Krishna, IBM's chief executive since 2020"),
                ("reported", "the company would grow"),
            ],
        ),
        # appositive in parentheses keeps its closing bracket
        (
            "Lopez (the ministry's chief economist) said growth would slow.",
            [
                ("attribution", "Lopez (the ministry's chief economist) said growth would slow"),
                ("appositive", "Lopez (the ministry's chief economist)"),
                ("reported", "growth would slow"),
            ],
        ),
        # two coordinated independent clauses
        (
            "Sales rose 12 percent and profits fell to $3 billion.",
            [("coordinated", "Sales rose 12 percent"),
             ("coordinated", "profits fell to $3 billion")],
        ),
        # coordination with a comma and "but"
        (
            "The airline carried 40 million passengers in 2019, but traffic halved in 2020.",
            [
                ("coordinated", "The airline carried 40 million passengers in 2019"),
                ("coordinated", "traffic halved in 2020"),
            ],
        ),
        # a shared subject is not an independent clause: no split
        (
            "The company opened a plant and hired 200 workers.",
            [("sentence", "The company opened a plant and hired 200 workers")],
        ),
        # "said that"
        (
            "The ministry said that unemployment fell to 4 percent in March.",
            [
                ("attribution", "The ministry said that unemployment fell to 4 percent in March"),
                ("reported", "unemployment fell to 4 percent in March"),
            ],
        ),
        # "said" without "that"
        (
            "The ministry said exports rose 5 percent.",
            [
                ("attribution", "The ministry said exports rose 5 percent"),
                ("reported", "exports rose 5 percent"),
            ],
        ),
        # speaker after the reported clause
        (
            "Inflation slowed to 2 percent in June, the central bank said.",
            [
                ("attribution", "Inflation slowed to 2 percent in June, the central bank said"),
                ("reported", "Inflation slowed to 2 percent in June"),
            ],
        ),
        # quoted speech first: the quotes stay out of the reported unit
        (
            '"We will hire 500 engineers next year," the company said.',
            [
                ("attribution", '"We will hire 500 engineers next year," the company said'),
                ("reported", "We will hire 500 engineers next year"),
            ],
        ),
        # "told ... that"
        (
            "Krishna told reporters that revenue would double by 2025.",
            [
                ("attribution", "Krishna told reporters that revenue would double by 2025"),
                ("reported", "revenue would double by 2025"),
            ],
        ),
        # reported coordination: one reported unit per clause
        (
            "The ministry said that exports rose 5 percent and imports fell 2 percent.",
            [
                ("attribution", "The ministry said that exports rose 5 percent and imports fell "
                 "2 percent"),
                ("reported", "exports rose 5 percent"),
                ("reported", "imports fell 2 percent"),
            ],
        ),
        # "according to X" first
        (
            "According to the ministry, unemployment fell to 4 percent in March.",
            [
                ("attribution", "According to the ministry, unemployment fell to 4 percent in "
                 "March"),
                ("reported", "unemployment fell to 4 percent in March"),
            ],
        ),
        # "according to X" last
        (
            "The city added 8,000 jobs last year, according to official figures.",
            [
                ("attribution", "The city added 8,000 jobs last year, according to official "
                 "figures"),
                ("reported", "The city added 8,000 jobs last year"),
            ],
        ),
        # clauses joined by a comma alone, then by ", and"
        (
            "Unemployment fell to 4 percent, inflation rose to 3 percent, and wages grew 2 "
            "percent.",
            [
                ("coordinated", "Unemployment fell to 4 percent"),
                ("coordinated", "inflation rose to 3 percent"),
                ("coordinated", "wages grew 2 percent"),
            ],
        ),
        # a comma splice of two clauses
        (
            "Sales rose 5 percent, profits fell 2 percent.",
            [("coordinated", "Sales rose 5 percent"), ("coordinated", "profits fell 2 percent")],
        ),
        # a clause before "I think" is not spliced off
        ("Prices will rise 5 percent, I think.",
         [("sentence", "Prices will rise 5 percent, I think")]),
        # nothing to split
        ("The bridge was built in 1932.", [("sentence", "The bridge was built in 1932")]),
        # a final abbreviation keeps its period
        ("The firm moved its headquarters to the U.S.",
         [("sentence", "The firm moved its headquarters to the U.S.")]),
        # a question keeps its question mark
        ("Did the plant close in 2019?", [("sentence", "Did the plant close in 2019?")]),
    ],
)
def test_split_units_finds_expected_kinds_and_texts(
    nlp: Language, text: str, expected: list[tuple[str, str]]
) -> None:
    assert units_of(nlp, text) == expected


@pytest.mark.parametrize(
    ("text", "kind", "subject", "speaker"),
    [
        # antecedent of a relative clause, with its first name
        ("Arvind Krishna, who took over the chief executive role in April, added that the "
         "company would hire more engineers.", "relative", "Arvind Krishna", None),
        # speaker is the bare noun phrase, not its relative clause
        ("Arvind Krishna, who took over the chief executive role in April, added that the "
         "company would hire more engineers.", "attribution", None, "Arvind Krishna"),
        # the reported unit carries the speaker too
        ("Arvind Krishna, who took over the chief executive role in April, added that the "
         "company would hire more engineers.", "reported", None, "Arvind Krishna"),
        # antecedent of an appositive
        ("Maria Lopez, the finance minister, announced that the budget deficit shrank to "
         "3 percent.", "appositive", "Maria Lopez", None),
        # "according to" speaker
        ("According to the ministry, unemployment fell to 4 percent in March.", "attribution",
         None, "the ministry"),
        # speaker after the quote, with its determiner
        ("Inflation slowed to 2 percent in June, the central bank said.", "reported", None,
         "the central bank"),
        # a plain sentence has neither
        ("The bridge was built in 1932.", "sentence", None, None),
    ],
)
def test_units_carry_subject_and_speaker(
    nlp: Language, text: str, kind: str, subject: str | None, speaker: str | None
) -> None:
    unit = only_unit(nlp, text, kind)
    assert (unit.subject, unit.speaker) == (subject, speaker)


def test_unit_root_is_the_clause_head(nlp: Language) -> None:
    doc = nlp("Arvind Krishna, who took over the chief executive role in April, added that the "
              "company would hire more engineers.")
    roots = {u.kind: doc[u.root].text for u in split_units(next(doc.sents))}
    assert roots == {"attribution": "added", "relative": "took", "reported": "hire"}


@pytest.mark.parametrize(
    "text",
    [
        # empty text has no sentence at all
        "",
        # only whitespace
        "   \r\n ",
        # only punctuation
        "...",
        # a lone quote
        '"',
    ],
)
def test_split_units_on_empty_input_returns_no_units(nlp: Language, text: str) -> None:
    doc = nlp(text)
    assert split_units(doc[0:len(doc)]) == []
    assert [u for s in doc.sents for u in split_units(s)] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # CRLF after an emoji: a line break ends the sentence, the dangling "and" is trimmed
        (
            "Sales rose 12 percent 📈 and\r\nprofits fell to $3 billion.",
            [("sentence", "Sales rose 12 percent 📈"),
             ("sentence", "profits fell to $3 billion")],
        ),
        # CRLF between the speech verb and "that" ends the sentence too; emoji before the stop
        (
            "The ministry said\r\nthat unemployment fell to 4 percent in March 🙂.",
            [
                ("sentence", "The ministry said"),
                ("sentence", "that unemployment fell to 4 percent in March 🙂"),
            ],
        ),
        # a combining accent, after a sentence ending in emoji
        (
            "Big news 🚀🚀. The cafe\u0301 chain, which opened 40 stores in 2019, said sales fell.",
            [
                ("sentence", "Big news 🚀🚀"),
                ("attribution", "The cafe\u0301 chain, which opened 40 stores in 2019, said sales "
                 "fell"),
                ("relative", "The cafe\u0301 chain, which opened 40 stores in 2019"),
                ("reported", "sales fell"),
            ],
        ),
    ],
)
def test_offsets_hold_on_tricky_unicode(
    nlp: Language, text: str, expected: list[tuple[str, str]]
) -> None:
    assert units_of(nlp, text) == expected


def test_units_through_nlp_pipe_are_in_text_order(nlp: Language) -> None:
    texts = [
        "The ministry hired Maria Lopez, who previously led the statistics office.",
        "Maria Lopez, the finance minister, announced that the budget deficit shrank to 3 percent.",
    ]
    for doc in nlp.pipe(texts):
        units = [u for s in doc.sents for u in split_units(s)]
        assert len(units) >= 2
        assert units == sorted(units, key=lambda u: (u.start, -u.end))


WORDS = ["The", "ministry", "said", "that", "sales", "rose", "12", "percent", "and", "who",
         "which", "Krishna", ",", ".", "according", "to", "IBM", "'s", "chief", "\r\n", "📈",
         "e\u0301", '"', "(", ")", "—", "  ", "fell", "in", "April", "whose", "profits",
         ";", "I", "think"]


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(WORDS), max_size=30))
def test_units_are_always_trimmed_contiguous_spans_inside_their_sentence(
    nlp: Language, words: list[str]
) -> None:
    doc = nlp(" ".join(words))
    for sent in doc.sents:
        for unit in split_units(sent):
            text = doc.text[unit.start:unit.end]
            assert unit.kind in KINDS
            assert sent.start_char <= unit.start < unit.end <= sent.end_char
            assert text and text[0] not in EDGE_JUNK and text[-1] not in EDGE_JUNK
            assert sent.start <= unit.root < sent.end


@pytest.mark.parametrize(
    ("text", "kind", "present"),
    [
        # a restrictive relative clause narrows its noun and asserts nothing of its own
        ("We reject any use which does not respect patient privacy.", "relative", False),
        # ... and so does one about people in general
        ("People who smoke pay higher premiums.", "relative", False),
        # after a comma the clause is a claim about its antecedent
        ("The factory, which opened in 1998, employs 400 people.", "relative", True),
        # without a comma but about a name, it is one too
        ("A charity named Brightwater that runs 30 shelters said demand rose.", "relative", True),
        # a party and state label in brackets is no claim
        ("Sen. Ana Ruiz (D-NM) said the bill would cost $4 billion.", "appositive", False),
        # nor is a ticker
        ("Shares of IBM (NYSE: IBM) fell 3 percent on Monday.", "appositive", False),
        # "Pellworth, Indiana" locates a place
        ("Hollis will cut 650 jobs at its plant in Pellworth, Indiana, next year.", "appositive",
         False),
        # a description in brackets still is
        ("Lopez (the ministry's chief economist) said exports fell 3 percent.", "appositive",
         True),
    ],
)
def test_only_clauses_that_assert_something_are_units(nlp: Language, text: str, kind: str,
                                                      present: bool) -> None:
    kinds = [k for k, _ in units_of(nlp, text)]
    assert (kind in kinds) is present


def test_a_relative_clause_about_a_given_name_takes_the_name_as_subject(nlp: Language) -> None:
    unit = only_unit(nlp, "A charity named Brightwater that runs 30 shelters said demand rose.",
                     "relative")
    assert unit.subject == "Brightwater"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # one subject, two verbs, each with a figure: two units
        ("Ardwell Hospital hired 420 nurses in 2023 and plans to reach 600 by 2026.",
         [("coordinated", "Ardwell Hospital hired 420 nurses in 2023"),
          ("coordinated", "plans to reach 600 by 2026")]),
        # a second verb without a figure stays in the one unit
        ("Ardwell Hospital hired 420 nurses in 2023 and thanked its staff.",
         [("sentence", "Ardwell Hospital hired 420 nurses in 2023 and thanked its staff")]),
        # a phrase after the second verb belongs to both: no split
        ("Ardwell Hospital hired 420 nurses and trained 80 doctors, its director said.",
         [("attribution",
           "Ardwell Hospital hired 420 nurses and trained 80 doctors, its director said"),
          ("reported", "Ardwell Hospital hired 420 nurses"),
          ("reported", "trained 80 doctors")]),
    ],
)
def test_verbs_sharing_a_subject_split_when_each_holds_a_figure(
        nlp: Language, text: str, expected: list[tuple[str, str]]) -> None:
    assert units_of(nlp, text) == expected


def test_the_second_of_two_verbs_carries_the_shared_subject(nlp: Language) -> None:
    text = "Ardwell Hospital hired 420 nurses in 2023 and plans to reach 600 by 2026."
    doc = nlp(text)
    second = split_units(next(doc.sents))[-1]
    assert second.subject == "Ardwell Hospital"
    assert second.shared_subject == (0, len("Ardwell Hospital"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mayor Tom Brandt called the growth \"remarkable\" and said the city added 12,000 "
         "jobs.", [("reported", "the city added 12,000 jobs")]),
        ("Lena Holm described the plan as \"bold\" and said that it would cost $3 billion.",
         [("reported", "it would cost $3 billion")]),
    ],
)
def test_an_opinion_wrapper_leaves_only_what_was_said(
        nlp: Language, text: str, expected: list[tuple[str, str]]) -> None:
    assert units_of(nlp, text) == expected
