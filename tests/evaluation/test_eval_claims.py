"""Claim quality: the scorer's definitions on hand-built claims, the dataset, and the CLI."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from spacy.language import Language

from schemas.claims import ClaimRecord, ClaimType, Span, SpanKind, TextRange
from service.cli import main
from workers.evaluation.claims import (
    Article,
    DatasetError,
    ExpectedClaim,
    broken_reason,
    duplicate_spans,
    entity_ranges,
    format_claims_report,
    read_articles,
    score_article,
    signs_off,
    summarize,
)

DATASET = Path(__file__).parents[1] / "data" / "claim_quality"

TEXT = (
    "Quayside port has record year\n\n"
    "Quayside Port moved 2.1 million containers in 2023, the port authority said.\n\n"
    "Sen. Ana Ruiz (D-NM) called the figure \"a triumph.\""
)
# Entity ranges as a parser would give them: the port's name and the senator's.
ENTITIES = [(TEXT.index("Quayside Port"), TEXT.index("Quayside Port") + len("Quayside Port")),
            (TEXT.index("Ana Ruiz"), TEXT.index("Ana Ruiz") + len("Ana Ruiz"))]
ANCHOR = "2.1 million containers in 2023"
EXPECTED = ExpectedClaim(ANCHOR, ("Quayside Port", "2.1 million", "2023"))
SENTENCE = "Quayside Port moved 2.1 million containers in 2023, the port authority said"
CONTENT = "Quayside Port moved 2.1 million containers in 2023"


def span(kind: SpanKind, fragment: str) -> Span:
    start = TEXT.index(fragment)
    return Span(kind=kind, text=fragment, start=start, end=start + len(fragment))


CONTAINERS = span("quantity", "2.1 million containers")
YEAR = span("date", "2023")
PORT = span("entity", "Quayside Port")


def claim(fragment: str, statement: str | None = None, *, score: float = 0.9,
          types: tuple[ClaimType, ...] = (), spans: tuple[Span, ...] = ()) -> ClaimRecord:
    """A claim over the one occurrence of ``fragment`` in TEXT."""
    assert TEXT.count(fragment) == 1, fragment
    start = TEXT.index(fragment)
    return ClaimRecord(text=fragment, start=start, end=start + len(fragment),
                       statement=statement if statement is not None else fragment + ".",
                       sentence=TextRange(start=start, end=start + len(fragment)),
                       checkworthiness=score, types=list(types), spans=list(spans))


def anchor_range(anchor: str = ANCHOR) -> tuple[int, int]:
    return TEXT.index(anchor), TEXT.index(anchor) + len(anchor)


ARTICLE = Article(id="quayside", shape="headline_paragraphs", published_at=date(2024, 2, 8),
                  text=TEXT, claims=(EXPECTED,), not_claims=("(D-NM)", "a triumph."))


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        # the claim of the sentence: covers the anchor, one paragraph, subject and figures named
        (claim(CONTENT), True),
        # the statement's words are matched case-insensitively
        (claim(CONTENT, "QUAYSIDE PORT moved 2.1 MILLION containers in 2023."), True),
        # below the queue threshold: a fact-checker never sees it
        (claim(CONTENT, score=0.49), False),
        # exactly at the threshold is queued
        (claim(CONTENT, score=0.5), True),
        # ends before the anchor does: "in 2023" is left out
        (claim("Quayside Port moved 2.1 million containers"), False),
        # headline glued to the sentence: crosses a line break
        (claim("record year\n\nQuayside Port moved 2.1 million containers in 2023"), False),
        # subject not named in the statement
        (claim(CONTENT, "It moved 2.1 million containers in 2023."), False),
        # relative date left relative: "2023" missing
        (claim(CONTENT, "Quayside Port moved 2.1 million containers last year."), False),
    ],
)
def test_signs_off_needs_queue_cover_one_paragraph_and_the_words(record, expected):
    assert signs_off(record, EXPECTED, *anchor_range()) is expected


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        # a claim inside one paragraph, edges on the entity's edges: whole
        (claim(CONTENT), None),
        # headline and first sentence glued: crosses a line break
        (claim("record year\n\nQuayside Port moved"), "crosses a line break"),
        # ends inside "Ana Ruiz"
        (claim("Sen. Ana"), "cuts the name 'Ana Ruiz'"),
        # starts inside "Quayside Port"
        (claim("Port moved 2.1 million containers in 2023"), "cuts the name 'Quayside Port'"),
        # ends right after the name: not a cut
        (claim("Sen. Ana Ruiz"), None),
    ],
)
def test_broken_reason(record, expected):
    assert broken_reason(record, ENTITIES, TEXT) == expected


@pytest.mark.parametrize(
    ("records", "expected"),
    [
        # a sentence and a part of it hold the same quantity and date: both queued twice
        ([claim(SENTENCE, spans=(CONTAINERS, YEAR)), claim(CONTENT, spans=(CONTAINERS, YEAR))],
         [("quantity", "2.1 million containers"), ("date", "2023")]),
        # the attribution "X said that Y" beside the claim of Y: one fact, not a duplicate
        ([claim(SENTENCE, types=("attribution",), spans=(CONTAINERS,)),
          claim(CONTENT, spans=(CONTAINERS,))], []),
        # the attribution beside its content and a part of the content: still twice
        ([claim(SENTENCE, types=("attribution",), spans=(CONTAINERS,)),
          claim(CONTENT, spans=(CONTAINERS,)),
          claim("2.1 million containers in 2023", spans=(CONTAINERS,))],
         [("quantity", "2.1 million containers")]),
        # the same range queued twice, even typed attribution
        ([claim(CONTENT, types=("attribution",), spans=(CONTAINERS,)),
          claim(CONTENT, types=("attribution",), spans=(CONTAINERS,))],
         [("quantity", "2.1 million containers")]),
        # an entity shared by two claims is not a checkable span
        ([claim(CONTENT, spans=(PORT,)), claim("Quayside Port moved", spans=(PORT,))], []),
        # different spans: nothing twice
        ([claim(CONTENT, spans=(CONTAINERS,)), claim("in 2023", spans=(YEAR,))], []),
    ],
)
def test_duplicate_spans(records, expected):
    assert sorted(duplicate_spans(records)) == sorted(expected)


def test_score_article_counts_only_queued_claims():
    claims = [
        claim(CONTENT, spans=(CONTAINERS,)),
        # below 0.5: shares the quantity and covers a not-claim, yet counts for neither
        claim(SENTENCE, score=0.3, spans=(CONTAINERS,)),
        claim("Sen. Ana Ruiz (D-NM)", score=0.2),
        # queued and covering a not-claim; ends right after "(D-NM)", cutting no name
        claim("Sen. Ana Ruiz (D-NM) called the figure \"a triumph.\""),
    ]
    score = score_article(ARTICLE, claims, ENTITIES)
    assert (score.expected, score.signed_off, score.produced, score.queued) == (1, 1, 4, 2)
    assert score.duplicates == []
    assert score.broken == []
    assert score.violated == ["(D-NM)", "a triumph."]


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        # nothing near the anchor
        ([claim("Sen. Ana Ruiz")], "no claim covers the anchor"),
        # covered only below the threshold
        ([claim(CONTENT, score=0.31)], "covered, but not queued (0.31)"),
        # covered only across the headline's line break
        ([claim("record year\n\nQuayside Port moved 2.1 million containers in 2023")],
         "every covering claim crosses a line break"),
        # covered, but the statement says "It"
        ([claim(CONTENT, "It moved 2.1 million containers in 2023.")],
         "statement lacks 'Quayside Port'"),
    ],
)
def test_misses_say_why(claims, reason):
    (miss,) = score_article(ARTICLE, claims, ENTITIES).misses
    assert (miss.anchor, miss.reason) == (ANCHOR, reason)


def test_report_names_the_signed_off_ratio_and_lists_misses_when_verbose():
    hit = score_article(ARTICLE, [claim(CONTENT)], ENTITIES)
    miss = score_article(ARTICLE, [claim(CONTENT, "It moved 2.1 million containers in 2023.")],
                         ENTITIES)
    result = summarize([hit, miss], resamples=200)
    assert (result.signed_off, result.expected, result.share) == (1, 2, 0.5)
    low, high = result.interval
    assert low <= 0.5 <= high
    assert "signed off: 1/2 expected claims (50.0%" in format_claims_report(result)
    verbose = format_claims_report(result, verbose=True)
    assert f"miss {ANCHOR!r}: statement lacks 'Quayside Port'" in verbose
    assert "closest (0.90): It moved 2.1 million containers in 2023." in verbose


def test_entity_ranges_are_the_docs_entities(nlp: Language):
    doc = nlp("Ana Ruiz visited Quayside Port in Norway.")
    assert entity_ranges(doc) == [(e.start_char, e.end_char) for e in doc.ents]
    assert all(doc.text[s:e] for s, e in entity_ranges(doc))


def test_the_dataset_is_well_formed():
    rows = [json.loads(line) for line in
            (DATASET / "articles.jsonl").read_text(encoding="utf-8").splitlines()]
    ids = [row["id"] for row in rows]
    assert len(rows) >= 25 and len(set(ids)) == len(ids)
    for row in rows:
        fields = {"id", "shape", "published_at", "text", "claims", "not_claims"}
        assert set(row) == fields, row["id"]
        date.fromisoformat(row["published_at"])
        assert len(row["claims"]) <= 5, row["id"]
        for needle in [c["anchor"] for c in row["claims"]] + row["not_claims"]:
            assert row["text"].count(needle) == 1, (row["id"], needle)
        for expected in row["claims"]:
            assert expected["must_contain"] and all(expected["must_contain"]), row["id"]
    assert any(not row["claims"] for row in rows), "a piece with no checkable claims"
    assert sum(len(row["claims"]) for row in rows) >= 90
    assert len(read_articles(DATASET)) == len(rows)


def test_read_articles_refuses_an_anchor_not_in_the_text(tmp_path: Path):
    row = {"id": "a", "shape": "s", "published_at": "2024-01-01", "text": "Sales rose 4%.",
           "claims": [{"anchor": "fell", "must_contain": ["4%"]}], "not_claims": []}
    (tmp_path / "articles.jsonl").write_text(json.dumps(row) + "\n", encoding="utf-8")
    with pytest.raises(DatasetError, match="'fell' occurs 0 times"):
        read_articles(tmp_path)


def test_eval_claims_command_prints_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    lines = (DATASET / "articles.jsonl").read_text(encoding="utf-8").splitlines()[:2]
    (tmp_path / "articles.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    n_expected = sum(len(json.loads(line)["claims"]) for line in lines)
    assert main(["eval", "claims", "--dataset", str(tmp_path), "--verbose"]) == 0
    out = capsys.readouterr().out
    assert "Claim quality on 2 articles" in out
    assert re.search(rf"signed off: \d+/{n_expected} expected claims \(\d+\.\d%", out)
    assert "broken queued claims:" in out and "queued claims per article:" in out


def test_eval_claims_command_without_a_dataset_exits_2(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]):
    assert main(["eval", "claims", "--dataset", str(tmp_path)]) == 2
    assert "articles.jsonl" in capsys.readouterr().err


def test_an_article_the_pipeline_failed_on_is_reported_and_its_claims_missed():
    failed = score_article(ARTICLE, [], ENTITIES, error="ValueError: overlapping replacements")
    result = summarize([failed], resamples=10)
    assert (result.signed_off, result.expected, result.failed) == (0, 1, 1)
    report = format_claims_report(result, verbose=True)
    assert "pipeline failed on 1 article(s), scored as no claims: quayside" in report
    assert "pipeline failed: ValueError: overlapping replacements" in report
