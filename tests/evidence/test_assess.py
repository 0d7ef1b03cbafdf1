from datetime import date

from schemas.claims import Evidence
from workers.evaluation.matching import claim_from_doc
from workers.evidence.assess import (
    claim_facts,
    compare_figures,
    names_only,
    rating_verdict,
    snippet,
    source_label,
    verdict,
)
from workers.evidence.passages import parse_spans

ANCHOR = date(2023, 5, 2)


def stance_of(nlp, claim_text: str, passage: str, label: str = "FTC report, 2021-03-02"):
    facts = claim_facts(nlp(claim_from_doc(nlp(claim_text), ANCHOR).statement), ANCHOR)
    spans = parse_spans(nlp(passage), ANCHOR)
    return compare_figures(facts, passage, spans, label=label)


def test_a_smaller_figure_for_the_same_thing_contradicts_and_says_both(nlp):
    result = stance_of(
        nlp,
        "Clearview AI built a database of more than 3 billion images in 2020.",
        "According to the regulator, Clearview AI built a database of 2 billion images in 2020.",
    )
    assert result.stance == "contradicts"
    assert "2 billion images" in result.reason
    assert "more than 3 billion images" in result.reason
    assert "FTC report, 2021-03-02" in result.reason


def test_a_consistent_figure_supports(nlp):
    result = stance_of(
        nlp,
        "IBM said about 7,800 jobs could be replaced by AI.",
        "IBM said 7,750 jobs could be replaced by AI systems over five years.",
    )
    assert result.stance == "supports"
    assert "7,750 jobs" in result.reason and "about 7,800 jobs" in result.reason


def test_a_figure_about_something_else_is_only_related(nlp):
    result = stance_of(
        nlp,
        "Unemployment in Spain fell to 12 percent.",
        "Spain's football team won 15 percent more matches. Weather was fine.",
    )
    assert result.stance == "related"


def test_a_passage_not_naming_the_claims_entity_is_only_related(nlp):
    result = stance_of(
        nlp,
        "Clearview AI built a database of more than 3 billion images.",
        "Another company built a database of 2 billion images.",
    )
    assert result.stance == "related"


def test_a_date_mismatch_contradicts(nlp):
    result = stance_of(
        nlp,
        "Krishna took over the chief executive role at IBM in April 2020.",
        "Krishna took over the chief executive role at IBM in January 2019.",
    )
    assert result.stance == "contradicts"
    assert "January 2019" in result.reason and "April 2020" in result.reason


def test_same_claim_false_rating_contradicts_and_names_the_source():
    result = rating_verdict("False", None, best=None, worst=None, sameness=0.9, same_figures=True,
                            label="Snopes, 2020-01-01")
    assert result is not None
    assert result.stance == "contradicts" and result.from_rating
    assert "False" in result.reason and "Snopes" in result.reason


def test_a_rating_of_a_merely_similar_claim_is_only_related():
    result = rating_verdict("False", None, best=None, worst=None, sameness=0.3, same_figures=True,
                            label="Snopes")
    assert result is not None
    assert result.stance == "related" and not result.from_rating


def evidence(stance: str, score: float, reason: str = "r") -> Evidence:
    return Evidence(source_id="src_1", kind="document", stance=stance, score=score, reason=reason)


def test_no_evidence_gives_no_evidence():
    assert verdict([]).auto == "no_evidence"


def test_one_contradicting_source_contradicts_with_its_reason():
    result = verdict([(evidence("contradicts", 0.7, "source says 2 billion"), "quantity"),
                      (evidence("related", 0.5), "")])
    assert result.auto == "contradicted"
    assert result.reason == "source says 2 billion"
    assert 0.0 < result.confidence <= 1.0


def test_disagreeing_sources_give_related():
    result = verdict([(evidence("contradicts", 0.7), "quantity"),
                      (evidence("supports", 0.6), "quantity")])
    assert result.auto == "related"
    assert "disagree" in result.reason


def test_a_weak_match_does_not_decide():
    result = verdict([(evidence("supports", 0.1), "quantity")])
    assert result.auto == "related"


def test_a_same_claim_rating_outweighs_figures():
    result = verdict([(evidence("supports", 0.6), "quantity"),
                      (evidence("contradicts", 0.8), "rating")])
    assert result.auto == "contradicted"


def test_an_agreeing_date_alone_does_not_support_but_a_differing_one_contradicts():
    assert verdict([(evidence("supports", 0.8), "date")]).auto == "related"
    assert verdict([(evidence("contradicts", 0.8), "date")]).auto == "contradicted"


def test_source_label_and_snippet_are_readable():
    assert source_label("Report", "FTC", "2021-03-02T00:00:00") == "FTC: Report, 2021-03-02"
    long_text = "First sentence here. " * 10 + "The figure is 2 billion images. " + "Tail. " * 60
    start = long_text.index("2 billion")
    assert snippet(long_text, focus=(start, start + 9), terms=frozenset()) == (
        "The figure is 2 billion images."
    )


def test_a_claim_without_figures_is_read_from_its_extracted_names(nlp):
    claim = claim_from_doc(nlp("Clearview AI was fined by regulators in Italy."), ANCHOR)
    assert not any(s.kind in ("quantity", "date") for s in claim.spans)
    facts = names_only(claim.statement, claim.spans)
    assert frozenset({"clearview", "ai"}) in facts.entities
    assert "fine" in facts.terms or "fined" in facts.terms
    assert facts.quantities == () and facts.dates == ()
