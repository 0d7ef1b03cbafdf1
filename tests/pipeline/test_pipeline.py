"""The whole pipeline: articles written for these tests, offsets on any input, determinism."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workers.pipeline.pipeline import Pipeline, check_offsets

COUNCIL = (
    "The city council approved a $45 million budget on Monday, an increase of 8 percent over "
    "last year. Councillor Maria Lopez, who chairs the finance committee, said the plan would "
    "hire 120 new teachers. Critics said the budget is reckless. Is this the best use of public "
    "money? Subscribe to our newsletter for daily updates. We have reached out to the mayor's "
    "office and will update this story.\n\nUnemployment in the region fell to 4.2% in March, "
    "the lowest rate since 2008. Residents should call their representatives today. "
    "I feel so proud of our community."
)
HARBOUR = (
    "Port officials said on Thursday that cargo volumes rose 12 percent to 3.4 million "
    "containers in 2023.\r\nThe harbour, which opened in 1887, employs about 2,300 people. "
    "Shipping minister Tom Reyes, a former dock worker, told reporters that the expansion "
    "would cost £1.2bn. What a remarkable year it has been!"
)

COLD_SNAP = (
    "Temperatures in the valley fell to -12 degrees on Saturday, the coldest night since 1987. "
    "The cold snap lasted nine days, and heating bills rose by a fifth. Gas use climbed 14 "
    "percent in January, up from 9 percent a month earlier, the utility said. Its chief "
    "executive, Dana Whitfield, spoke to reporters on Monday. She said only 2 or 3 percent of "
    "customers had fallen behind on payments."
)


def claims_by_text(pipeline: Pipeline, text: str, published: date) -> dict[str, dict]:
    return {c.text: c.model_dump() for c in pipeline.run(text, published)}


def test_council_article_yields_the_checkable_claims(pipeline: Pipeline) -> None:
    claims = claims_by_text(pipeline, COUNCIL, date(2024, 4, 10))
    budget = next(c for t, c in claims.items() if t.startswith("The city council approved"))
    normalized = [s["normalized"] for s in budget["spans"] if s["kind"] != "entity"]
    assert {"value": 45e6, "upper": None, "unit": "USD", "comparator": "="} in normalized
    assert {"value": "2024-04-08", "granularity": "day"} in normalized
    assert {"value": "2023", "granularity": "year"} in normalized
    assert budget["checkworthiness"] >= 0.5 and "quantity" in budget["types"]
    unemployment = next(c for t, c in claims.items() if t.startswith("Unemployment"))
    assert "in March 2024" in unemployment["statement"]


def test_council_article_drops_opinion_question_advice_and_boilerplate(
    pipeline: Pipeline,
) -> None:
    claims = claims_by_text(pipeline, COUNCIL, date(2024, 4, 10))
    worthy = [t for t, c in claims.items() if c["checkworthiness"] >= 0.5]
    for not_a_claim in ("best use of public money", "newsletter", "reached out",
                        "call their representatives", "proud", "reckless"):
        assert not any(not_a_claim in t for t in worthy), not_a_claim


def test_relative_clause_becomes_a_statement_about_its_subject(pipeline: Pipeline) -> None:
    claims = claims_by_text(pipeline, HARBOUR, date(2024, 2, 1))
    harbour = claims["The harbour, which opened in 1887"]
    assert harbour["statement"] == "The harbour opened in 1887."
    assert harbour["text"] == "The harbour, which opened in 1887"


def test_reported_speech_is_an_attribution_with_its_speaker(pipeline: Pipeline) -> None:
    claims = claims_by_text(pipeline, HARBOUR, date(2024, 2, 3))
    cargo = next(c for t, c in claims.items() if t.startswith("cargo volumes rose"))
    assert cargo["speaker"] == "Port officials" and "attribution" in cargo["types"]
    values = sorted((s["normalized"]["value"], s["normalized"]["unit"])
                    for s in cargo["spans"] if s["kind"] == "quantity")
    assert values == [(12.0, "%"), (3.4e6, "containers")]
    said = next(c for t, c in claims.items() if t.startswith("Port officials said"))
    assert "on Thursday, February 1, 2024" in said["statement"]


def test_pronoun_speaker_is_the_person_named_before(pipeline: Pipeline) -> None:
    text = ('"We have cut emissions by 40 percent since 2010," said Energy Minister Jane Doe. '
            "She added that coal use fell 8 percent last year.")
    claims = claims_by_text(pipeline, text, date(2024, 6, 1))
    coal = claims["coal use fell 8 percent last year"]
    assert coal["speaker"] == "Jane Doe"


def test_quote_span_holds_the_words_without_the_closing_comma(pipeline: Pipeline) -> None:
    text = '"We have cut emissions by 40 percent since 2010," said Energy Minister Jane Doe.'
    claims = claims_by_text(pipeline, text, date(2024, 6, 1))
    quoted = claims["We have cut emissions by 40 percent since 2010"]
    quotes = [s["text"] for s in quoted["spans"] if s["kind"] == "quote"]
    assert quotes == ["We have cut emissions by 40 percent since 2010"]


def quantities_of(claim: dict) -> list[tuple[float, float | None, str | None]]:
    return [(s["normalized"]["value"], s["normalized"]["upper"], s["normalized"]["unit"])
            for s in claim["spans"] if s["kind"] == "quantity"]


def test_cold_snap_article_reads_signs_durations_fractions_and_ranges(
    pipeline: Pipeline,
) -> None:
    claims = claims_by_text(pipeline, COLD_SNAP, date(2025, 2, 12))
    cold = next(c for t, c in claims.items() if t.startswith("Temperatures"))
    assert quantities_of(cold) == [(-12.0, None, "degrees")]
    assert quantities_of(claims["The cold snap lasted nine days"]) == [(9.0, None, "days")]
    bills = claims["heating bills rose by a fifth"]
    assert quantities_of(bills) == [(20.0, None, "%")] and "law_rule" not in bills["types"]
    behind = claims["only 2 or 3 percent of customers had fallen behind on payments"]
    assert quantities_of(behind) == [(2.0, 3.0, "%")]
    assert behind["speaker"] == "Dana Whitfield"


def test_cold_snap_article_counts_a_month_earlier_from_january(pipeline: Pipeline) -> None:
    claims = claims_by_text(pipeline, COLD_SNAP, date(2025, 2, 12))
    gas = claims["Gas use climbed 14 percent in January, up from 9 percent a month earlier"]
    dates = [s["normalized"]["value"] for s in gas["spans"] if s["kind"] == "date"]
    assert dates == ["2025-01", "2024-12"]
    assert gas["statement"] == ("Gas use climbed 14 percent in January 2025, up from 9 percent "
                                "in December 2024.")


def test_money_in_pounds_with_bn_scale(pipeline: Pipeline) -> None:
    claims = pipeline.run(HARBOUR, date(2024, 2, 1))
    spans = [s for c in claims for s in c.spans if s.kind == "quantity" and "£" in s.text]
    assert spans and spans[0].normalized == {"value": 1.2e9, "upper": None, "unit": "GBP",
                                             "comparator": "="}


def test_tallies_shares_vague_counts_and_cents_reach_the_claim_spans(
    pipeline: Pipeline,
) -> None:
    text = ("The Supreme Court voted 5–4 on Monday to strike down the 40 cents a gallon levy. "
            "One in four drivers had paid it, and dozens of firms sued. United won 3-1 on Sunday.")
    claims = claims_by_text(pipeline, text, date(2024, 6, 3))
    court = next(c for t, c in claims.items() if t.startswith("The Supreme Court voted"))
    assert quantities_of(court) == [(5.0, None, "votes"), (4.0, None, "votes"), (0.4, None, "USD")]
    assert [s["text"] for s in court["spans"] if s["kind"] == "quantity"] == ["5", "4", "40 cents"]
    assert quantities_of(claims["One in four drivers had paid it"]) == [(25.0, None, "%")]
    assert quantities_of(claims["dozens of firms sued"]) == [(24.0, None, "firms")]
    assert quantities_of(claims["United won 3-1 on Sunday"]) == []


@pytest.mark.parametrize(
    "text",
    [
        "",  # empty article
        "   \n\t  ",  # whitespace only
        "???",  # punctuation only
        "Subscribe to our newsletter.",  # boilerplate only
    ],
)
def test_articles_without_claims_yield_none(pipeline: Pipeline, text: str) -> None:
    assert pipeline.run(text, date(2024, 1, 1)) == []


def test_same_input_gives_same_output(pipeline: Pipeline) -> None:
    first = [c.model_dump() for c in pipeline.run(COUNCIL, date(2024, 4, 10))]
    second = [c.model_dump() for c in pipeline.run(COUNCIL, date(2024, 4, 10))]
    assert first == second


def test_run_many_matches_one_at_a_time(pipeline: Pipeline) -> None:
    items = [(COUNCIL, date(2024, 4, 10)), (HARBOUR, date(2024, 2, 1))]
    assert pipeline.run_many(items) == [pipeline.run(t, d) for t, d in items]


def test_huge_sentence_is_skipped_not_parsed_for_claims(pipeline: Pipeline) -> None:
    endless = "Sales rose 5 percent " * 400 + "in 2023."
    text = endless + " Exports fell 3 percent in 2022."
    claims = pipeline.run(text, date(2024, 1, 1))
    assert [c.text for c in claims] == ["Exports fell 3 percent in 2022"]


_ANY_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=400
)
_WORDY = st.lists(
    st.sampled_from(["Sales", "rose", "12", "percent", "to", "$3.4", "billion", "in", "April",
                     "2020", ".", ",", "\r\n", "\t", "😀", "e\u0301", "Krishna", "said",
                     "who", "more than", "x" * 300, "“quoted words here”", "last year",
                     "one in four", "a dozen", "dozens of", "voted 5-4", "a 52–48 vote",
                     "40 cents", "50p"]),
    max_size=60,
).map(" ".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(_ANY_TEXT, _WORDY))
def test_offsets_point_at_their_text_on_any_input(pipeline: Pipeline, text: str) -> None:
    claims = pipeline.run(text, date(2021, 6, 1))
    check_offsets(text, claims)
    for claim in claims:
        assert text[claim.start : claim.end] == claim.text
        assert 0.0 <= claim.checkworthiness <= 1.0


# News copy: headlines, datelines, blank lines and single line breaks, brackets, party labels,
# abbreviations that do or do not end a sentence, and names that read like a clause.
_NEWS_WORDS = [
    "Tidewater port posts record year", "OSLO, March 3 (Wire) -", "Sen.", "Rep.", "Dr.", "Gov.",
    "Ana Ruiz", "(D-NM)", "(", ")", "U.S.", "U.S.-based", "Inc.", "Acme", "Corp.", "No.", "5",
    "The", "It", "firm", "moved", "to", "the", "said", "rose", "12 percent", "$4 million",
    "in 2023", "on Monday", "Doctors Without Borders", "Save the Children", "say", "found",
    "that", "a.m.", "J.", "etc.", ".", ",", "?", '"It was a record,"', "she said.", "—", "St.",
    "Louis", "which", "employs", "3,400 people",
]
_LINE_SEPARATORS = [" ", " ", " ", "", "\n", "\n\n", "\r\n", " \n\n "]
_NEWS = st.lists(
    st.tuples(st.sampled_from(_NEWS_WORDS), st.sampled_from(_LINE_SEPARATORS)), max_size=50,
).map(lambda parts: "".join(word + sep for word, sep in parts))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(_NEWS, _ANY_TEXT))
def test_claims_keep_to_one_line_and_whole_names_on_news_copy(pipeline: Pipeline,
                                                               text: str) -> None:
    doc = pipeline.nlp(text)
    claims = pipeline.extract(doc, date(2024, 3, 5))  # checks the offsets too
    # each entity from its first to its last word (the NER may put a comma at its edge)
    names = [(words[0].idx, words[-1].idx + len(words[-1]))
             for words in ([t for t in ent if not (t.is_punct or t.is_space)] for ent in doc.ents)
             if words]
    for claim in claims:
        assert text[claim.start : claim.end] == claim.text
        assert len(claim.text.splitlines()) == 1
        for start, end in names:
            if claim.sentence.start <= start and end <= claim.sentence.end:
                assert not start < claim.start < end, text[start:end]
                assert not start < claim.end < end, text[start:end]
