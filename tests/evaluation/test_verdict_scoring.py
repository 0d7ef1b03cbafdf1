"""The verdict set: its reader, the figures from hand-made verdicts, the report, the set itself."""

from __future__ import annotations

import copy
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from workers.evaluation.assessment import assessment_metrics, format_assessment_report
from workers.evaluation.verdicts import (
    ABSTAIN,
    SHAPES,
    TRUTHS,
    VERDICTS,
    Check,
    CheckResult,
    ClaimVerdict,
    VerdictDatasetError,
    covering,
    format_verdicts_report,
    is_verdicts_dir,
    parse_case,
    read_cases,
    verdict_metrics,
)

DATASET = Path(__file__).parents[1] / "data" / "verdicts"

CASE: dict[str, Any] = {
    "id": "port-boxes",
    "shape": "yearly_series",
    "domain": "ports",
    "published_at": "2024-02-08",
    "text": "Quayside Port handled 2.1 million containers in 2023, the port said.",
    "sources": [{"kind": "document", "text": "Quayside Port handled 2.1 million containers "
                 "in 2023.", "url": "https://port.example/2023"}],
    "checks": [{"anchor": "handled 2.1 million containers in 2023", "verdict": "supported",
                "truth": "true", "why": "The port's figure for 2023."}],
}


def with_change(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    """CASE with one field replaced (``...`` as value deletes it)."""
    case = copy.deepcopy(CASE)
    target = case
    for key in path[:-1]:
        target = target[key]
    if value is ...:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return case


def result(verdict: str, truth: str, *autos: str, shape: str = "plain_true",
           case_id: str = "c") -> CheckResult:
    check = Check(anchor="a", verdict=verdict, truth=truth, why="w")
    claims = tuple(ClaimVerdict(f"statement {n}", auto, f"reason {n}")
                   for n, auto in enumerate(autos))
    return CheckResult(case_id, shape, check, claims)


def test_parse_case_reads_a_good_case() -> None:
    case = parse_case(CASE)
    assert case.id == "port-boxes" and case.published_at.isoformat() == "2024-02-08"
    assert case.sources[0].kind == "document"
    assert case.find("2.1 million containers") == (22, 44)


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        # the anchor must be in the article, once
        (("checks", 0, "anchor"), "handled 3 million containers", "is not in the text"),
        (("text",), "Quayside Port said 2023. Quayside Port said 2023.", "is not in the text"),
        (("text",), "Quayside Port handled 2.1 million containers in 2023; Kell Port "
         "handled 2.1 million containers in 2023.", "occurs more than once in the text"),
        # verdicts, truths and shapes come from fixed lists
        (("checks", 0, "verdict"), "true", "verdict 'true' is not one of"),
        (("checks", 0, "truth"), "yes", "truth 'yes' is not one of"),
        (("shape",), "series", "unknown shape 'series'"),
        # fields: none missing, none unknown, dates as YYYY-MM-DD
        (("checks", 0, "why"), ..., "missing why"),
        (("domain",), ..., "missing domain"),
        (("checks", 0, "expected"), "supported", "unknown field expected"),
        (("published_at",), "8 Feb 2024", "'published_at' must be YYYY-MM-DD"),
        (("checks",), [], "'checks' must be a non-empty list"),
        # sources are what SourceCreate accepts
        (("sources", 0, "text"), ..., "source 1"),
        (("sources", 0, "kind"), "report", "source 1: kind"),
    ],
)
def test_parse_case_rejects_a_malformed_case(path: tuple[Any, ...], value: Any,
                                             message: str) -> None:
    case = with_change(path, value)
    with pytest.raises(VerdictDatasetError, match="port-boxes") as error:
        parse_case(case, "cases-x.json: case 'port-boxes'")
    assert message in str(error.value)


def test_read_cases_names_the_file_and_refuses_duplicate_ids(tmp_path: Path) -> None:
    (tmp_path / "cases-a.json").write_text(json.dumps([CASE, CASE]), encoding="utf-8")
    with pytest.raises(VerdictDatasetError, match=r"cases-a.json: case 'port-boxes': .*twice"):
        read_cases(tmp_path)
    (tmp_path / "cases-a.json").write_text(json.dumps(CASE), encoding="utf-8")
    with pytest.raises(VerdictDatasetError, match="cases-a.json: expected a JSON array"):
        read_cases(tmp_path)


def test_a_folder_is_the_verdict_set_by_its_case_files(tmp_path: Path) -> None:
    assert not is_verdicts_dir(tmp_path)
    (tmp_path / "cases-a.json").write_text("[]", encoding="utf-8")
    assert is_verdicts_dir(tmp_path)


def test_covering_keeps_claims_whose_range_holds_the_anchor() -> None:
    class Claim:
        def __init__(self, start: int, end: int) -> None:
            self.start, self.end = start, end

    claims = [Claim(0, 50), Claim(10, 30), Claim(12, 40), Claim(20, 60)]
    assert [(c.start, c.end) for c in covering(claims, 10, 30)] == [(0, 50), (10, 30)]


def test_verdict_metrics_from_hand_made_results() -> None:
    results = [
        # a true claim and its attribution, both supported: right
        result("supported", "true", "supported", "supported"),
        # a false claim contradicted, and its attribution left related: siblings disagree
        result("contradicted", "false", "contradicted", "related"),
        # a true claim beside a confusing figure, contradicted: the worst error
        result("related", "true", "contradicted"),
        # a false claim supported
        result("contradicted", "false", "supported"),
        # abstentions answer each other
        result("no_evidence", "unknown", "related"),
        # no claim covers the anchor
        result("supported", "true"),
    ]
    m = verdict_metrics(results)
    assert (m["n"], m["checks"], m["extracted"], m["not_extracted"]) == (7, 6, 5, 1)
    assert m["n_supported"] == 3 and m["n_contradicted"] == 2
    assert m["precision_supported"] == pytest.approx(2 / 3)
    assert m["precision_contradicted"] == pytest.approx(1 / 2)
    assert m["coverage"] == pytest.approx(5 / 7)
    assert (m["true_contradicted"], m["false_supported"]) == (1, 1)
    assert m["siblings_disagree"] == 1
    assert (m["checks_right"], m["claims_right"]) == (2, 4)
    assert m["matrix"]["contradicted"] == {"supported": 1, "contradicted": 1, "related": 1,
                                           "no_evidence": 0}
    assert sum(sum(row.values()) for row in m["matrix"].values()) == m["n"]


def test_verdict_metrics_of_nothing_has_no_precision() -> None:
    m = verdict_metrics([result("supported", "true")])
    assert m["precision_supported"] is None and m["precision_contradicted"] is None
    assert m["coverage"] == 0.0 and m["not_extracted"] == 1


def test_report_prints_the_figures_and_with_verbose_each_miss() -> None:
    results = [result("supported", "true", "supported", shape="plain_true", case_id="ok-case"),
               result("related", "true", "contradicted", shape="since_year",
                      case_id="bad-case"),
               result("supported", "true", shape="attribution", case_id="lost-case")]
    report = {"dataset": "tests/data/verdicts", "cases": 3, "semantic": False,
              "metrics": verdict_metrics(results), "results": results}
    text = format_verdicts_report(report)
    assert "precision supported 1.000, contradicted 0.000" in text
    assert "true claims marked contradicted 1, false claims supported 0" in text
    assert "siblings disagree 0, not extracted 1" in text
    assert "since_year" in text and "bad-case" not in text
    verbose = format_verdicts_report(report, verbose=True)
    assert "[bad-case]" in verbose and "BAD contradicted: statement 0" in verbose
    assert "reason: reason 0" in verbose
    assert "[lost-case]" in verbose and "no claim covers the anchor" in verbose
    assert "[ok-case]" not in verbose


def test_averitec_report_counts_true_claims_contradicted_and_false_ones_supported() -> None:
    pairs = [("Supported", "contradicted"), ("Supported", "supported"),
             ("Refuted", "supported"), ("Refuted", "supported"), ("Refuted", "related")]
    m = assessment_metrics(pairs)
    assert (m["true_contradicted"], m["false_supported"]) == (1, 2)
    text = format_assessment_report({"semantic": False, "overall": m, "numerical": m})
    assert text.count("true claims marked contradicted 1, false claims supported 2") == 2


# The set itself.

def test_the_set_is_large_and_covers_every_shape() -> None:
    cases = read_cases(DATASET)  # raises on any malformed case
    assert len(cases) >= 48
    assert {case.shape for case in cases} == set(SHAPES)
    assert len({case.id for case in cases}) == len(cases)
    assert len({case.domain for case in cases}) >= 10


def test_every_check_is_well_formed() -> None:
    for case in read_cases(DATASET):
        for check in case.checks:
            assert case.text.count(check.anchor) == 1, (case.id, check.anchor)
            assert check.verdict in VERDICTS and check.truth in TRUTHS, case.id
            # a fact-checker's decision agrees with the truth it states
            if check.verdict == "supported":
                assert check.truth == "true", case.id
            if check.verdict == "contradicted":
                assert check.truth == "false", case.id
            # no evidence loaded is the only way to expect no_evidence
            assert (check.verdict == "no_evidence") == (not case.sources), case.id
        if case.shape.startswith("fact_check"):
            assert any(s.kind == "fact_check" for s in case.sources), case.id


def test_the_set_is_balanced_between_supported_contradicted_and_related() -> None:
    checks = [check for case in read_cases(DATASET) for check in case.checks]
    kinds = Counter("abstain" if c.verdict in ABSTAIN else c.verdict for c in checks)
    assert all(kinds[k] >= len(checks) / 4 for k in ("supported", "contradicted", "abstain"))
    # the trap: true claims beside confusing figures, which must not be contradicted
    assert sum(1 for c in checks if c.verdict in ABSTAIN and c.truth == "true") >= 10
