"""The linker over a tiny in-memory index: a test double for search (the index itself is tested
against real databases in tests/test_search.py)."""

from datetime import date, datetime

import pytest

from service.store.search import PassageHit
from workers.evaluation.matching import claim_from_doc
from workers.evidence import Linker, LinkerConfig, build_query
from workers.evidence.passages import parse_spans
from workers.evidence.rerank import semantic_available

ANCHOR = date(2023, 5, 2)
CLAIM = "Clearview AI built a database of more than 3 billion images."
DATED = "Clearview AI built a database of more than 3 billion images in 2020."


def hit(passage_id: int, text: str, *, score: float, kind: str = "document",
        rating: str | None = None, title: str | None = None, spans=None) -> PassageHit:
    return PassageHit(
        passage_id=passage_id, source_id=f"src_{passage_id}", kind=kind, text=text, start=0,
        end=len(text), lexical_score=score, title=title, url=f"https://example.org/{passage_id}",
        publisher="FTC" if kind == "document" else "Snopes",
        published_at=datetime(2021, 3, 2), rating_text=rating, rating_value=None,
        best_rating=None, worst_rating=None, claimant=None, spans=spans,
    )


class Index:
    """Returns fixed hits for any query and remembers the queries asked."""

    def __init__(self, hits):
        self.hits = hits
        self.queries = []

    def __call__(self, query):
        self.queries.append(query)
        return list(self.hits)


@pytest.fixture(scope="module")
def linker(nlp):
    return Linker(nlp, LinkerConfig(top_k=2))


def claim(nlp, text=CLAIM):
    return claim_from_doc(nlp(text), ANCHOR)


def test_query_puts_names_and_figures_first(nlp):
    query = build_query(CLAIM, claim(nlp).spans)
    assert query.split()[:3] == ["Clearview", "AI", "3"]
    assert "database" in query and "the" not in query.split()


def test_report_with_a_smaller_figure_contradicts_the_claim(nlp, linker):
    index = Index([
        hit(1, "Weather in Paris was mild on Tuesday.", score=9.0),
        hit(2, "The FTC found that Clearview AI built a database of 2 billion images in 2020.",
            score=5.0, title="FTC report"),
        hit(3, "Clearview AI is a facial recognition company.", score=4.0),
    ])
    evidence, verification = linker.link(claim(nlp, DATED), search=index, anchor=ANCHOR)
    assert index.queries and "Clearview" in index.queries[0]
    assert [e.source_id for e in evidence] == ["src_2", "src_3"]  # top k = 2, re-ranked
    assert evidence[0].stance == "contradicts"
    assert all(0.0 <= e.score <= 1.0 for e in evidence)
    assert "2 billion images" in evidence[0].snippet
    assert evidence[0].published_at == "2021-03-02"
    assert verification.auto == "contradicted"
    assert "2 billion images" in verification.reason
    assert "more than 3 billion" in verification.reason
    assert "FTC" in verification.reason


def test_false_rating_of_the_same_claim_contradicts(nlp, linker):
    index = Index([hit(7, "Clearview AI built a database of more than 3 billion images.",
                       score=3.0, kind="fact_check", rating="False")])
    evidence, verification = linker.link(claim(nlp), search=index, anchor=ANCHOR)
    assert evidence[0].kind == "fact_check" and evidence[0].stance == "contradicts"
    assert verification.auto == "contradicted"
    assert "False" in verification.reason


def test_false_rating_of_another_claim_is_only_related(nlp, linker):
    index = Index([hit(8, "Clearview AI was fined in Italy.", score=3.0, kind="fact_check",
                       rating="False")])
    evidence, verification = linker.link(claim(nlp), search=index, anchor=ANCHOR)
    assert evidence[0].stance == "related"
    assert verification.auto == "related"


def test_a_false_rating_of_a_nearby_figure_does_not_transfer_and_never_supports(nlp, linker):
    review = hit(9, "Clearview AI built a database of 10 billion images.", score=3.0,
                 kind="fact_check", rating="False")
    evidence, verification = linker.link(claim(nlp), search=Index([review]), anchor=ANCHOR)
    assert evidence[0].stance == "related"
    assert "'False'" in evidence[0].reason and "other figures" in evidence[0].reason
    assert verification.auto == "related"


def test_a_true_rating_of_the_same_claim_supports(nlp, linker):
    review = hit(10, "Clearview AI built a database of more than 3 billion images.", score=3.0,
                 kind="fact_check", rating="True")
    evidence, verification = linker.link(claim(nlp), search=Index([review]), anchor=ANCHOR)
    assert evidence[0].stance == "supports" and verification.auto == "supported"


def test_an_attribution_takes_the_verdict_of_what_it_reports(nlp, linker):
    text = "The mayor of Dunmore said the program saved families $300 a year."
    content = claim_from_doc(nlp("The program saved families $300 a year."), ANCHOR)
    content = content.model_copy(update={"start": 25, "end": len(text)})
    attribution = claim_from_doc(nlp(text), ANCHOR).model_copy(
        update={"start": 0, "end": len(text), "types": ["attribution"],
                "speaker": "The mayor of Dunmore"})
    source = hit(11, "The program saves the average family $300 a year.", score=3.0)
    results = linker.link_many([attribution, content], search=Index([source]), anchor=ANCHOR)
    assert results[1][1].auto == "supported"
    assert results[0][1].auto == results[1][1].auto
    assert results[0][1].reason == results[1][1].reason


def test_no_hits_means_no_evidence(nlp, linker):
    evidence, verification = linker.link(claim(nlp), search=Index([]), anchor=ANCHOR)
    assert evidence == []
    assert verification.auto == "no_evidence" and verification.confidence == 0.0


def test_link_many_parses_each_passage_once_and_reuses_cached_spans(nlp):
    linker = Linker(nlp, LinkerConfig())
    text = "3.2 billion images sit in the Clearview AI database it built."
    cached = parse_spans(nlp(text), ANCHOR)
    cached[0]["marked"] = "read from the cache"
    hits = [hit(20, text, score=2.0, spans=cached),
            hit(21, "Clearview AI built its database from 3.1 billion images.", score=1.0)]
    results = linker.link_many([claim(nlp), claim(nlp)], search=Index(hits), anchor=ANCHOR)
    assert len(results) == 2
    spans = linker.passage_spans(hits)
    assert spans[20][0]["marked"] == "read from the cache"
    assert any(s["kind"] == "quantity" and s["text"] == "3.1 billion images" for s in spans[21])
    assert results[0][1].auto == "supported"


def test_spans_cached_before_figures_were_annotated_are_parsed_again(nlp):
    linker = Linker(nlp, LinkerConfig())
    text = "Clearview AI built its database from 3.1 billion images."
    stale = [{"kind": "quantity", "text": "3.1 billion images", "start": 37, "end": 55,
              "normalized": {"value": 3.1e9, "upper": None, "unit": "images", "comparator": "="}}]
    spans = linker.passage_spans([hit(22, text, score=1.0, spans=stale)])
    figure = next(s for s in spans[22] if s["kind"] == "quantity")
    assert figure["unit_key"] == "image"


@pytest.mark.skipif(not semantic_available(), reason="sentence-transformers is not installed")
def test_semantic_reranking_prefers_the_paraphrase(nlp):
    linker = Linker(nlp, LinkerConfig(semantic=True))
    hits = [hit(30, "Images database database images Clearview.", score=5.0),
            hit(31, "Clearview AI collected over three billion photos into its database.",
                score=4.0)]
    ranked = linker.rank(claim(nlp), hits)
    assert ranked[0].hit.passage_id == 31
    assert ranked[0].features.semantic is not None


def test_a_reused_passage_id_is_parsed_afresh(nlp):
    # SQLite hands the id of a deleted passage to the next one stored
    linker = Linker(nlp, LinkerConfig(top_k=1))
    old = "The report found Clearview AI had a database of 3.2 billion images in 2020."
    new = "The report found Clearview AI had a database of 2 billion images in 2020."
    first = linker.link(claim(nlp, DATED), search=Index([hit(7, old, score=9.0)]), anchor=ANCHOR)
    second = linker.link(claim(nlp, DATED), search=Index([hit(7, new, score=9.0)]), anchor=ANCHOR)
    assert first[1].auto == "supported"
    assert second[1].auto == "contradicted"
