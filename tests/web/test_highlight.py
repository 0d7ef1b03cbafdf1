"""Cutting the article around a claim and its spans: pieces never straddle a span edge."""

from __future__ import annotations

import pytest

from service.web.highlight import Piece, describe_span, highlight

TEXT = "Intro. Acme cut 400 jobs in May 2023, the CEO said. Outro."
CLAIM_START = TEXT.index("Acme")
CLAIM_END = TEXT.index(" Outro")


def span(kind: str, words: str, **extra) -> dict:
    start = TEXT.index(words)
    return {"kind": kind, "text": words, "start": start, "end": start + len(words), **extra}


def cut(spans: list[dict]) -> list[Piece]:
    result = highlight(TEXT, start=CLAIM_START, end=CLAIM_END, spans=spans)
    assert result.before + "".join(p.text for p in result.claim) + result.after == TEXT
    return result.claim


def test_no_spans_is_one_plain_piece() -> None:
    assert cut([]) == [Piece(text=TEXT[CLAIM_START:CLAIM_END])]


def test_spans_become_their_own_pieces() -> None:
    pieces = cut([span("entity", "Acme", label="ORG"), span("quantity", "400 jobs")])
    assert [(p.text, p.kinds) for p in pieces] == [
        ("Acme", ("entity",)), (" cut ", ()), ("400 jobs", ("quantity",)),
        (" in May 2023, the CEO said.", ())]


@pytest.mark.parametrize("spans, expected", [
    # nested: a date inside a quantity-like span
    ([span("quote", "400 jobs in May 2023"), span("date", "May 2023")],
     [("400 jobs in ", ("quote",)), ("May 2023", ("quote", "date"))]),
    # overlapping: neither inside the other
    ([span("quantity", "400 jobs in"), span("date", "in May 2023")],
     [("400 jobs ", ("quantity",)), ("in", ("quantity", "date")), (" May 2023", ("date",))]),
])
def test_overlapping_spans_are_cut_at_every_edge(spans, expected) -> None:
    marked = [(p.text, p.kinds) for p in cut(spans) if p.kinds]
    assert marked == expected


def test_spans_outside_the_claim_are_clipped_and_junk_dropped() -> None:
    pieces = cut([span("entity", "Intro. Acme"), {"kind": "evil", "start": 40, "end": 45},
                  {"kind": "date", "start": "x", "end": None}])
    assert pieces[0] == Piece(text="Acme", kinds=("entity",), notes=("entity",))
    assert any(p.kinds == ("other",) for p in pieces)


def test_offsets_past_the_text_are_clipped() -> None:
    result = highlight("short", start=3, end=99, spans=[])
    assert (result.before, [p.text for p in result.claim], result.after) == ("sho", ["rt"], "")


def test_empty_text() -> None:
    result = highlight("", start=0, end=0, spans=[])
    assert (result.before, result.claim, result.after) == ("", [], "")


@pytest.mark.parametrize("item, words", [
    ({"kind": "entity", "label": "PERSON"}, "entity PERSON"),
    ({"kind": "date", "normalized": {"value": "2020-04", "granularity": "month"}},
     "date 2020-04 (month)"),
    ({"kind": "quantity", "normalized": {"value": 7800.0, "unit": "jobs", "comparator": "~"}},
     "quantity ~ 7,800 jobs"),
    ({"kind": "quantity", "normalized": {"value": 3e6, "upper": 5e6, "unit": None,
                                         "comparator": "="}}, "quantity 3,000,000 to 5,000,000"),
    ({"kind": "quote"}, "quote"),
])
def test_describe_span(item, words) -> None:
    assert describe_span(item) == words
