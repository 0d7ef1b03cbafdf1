"""The verdict set's runner end to end on three of its cases, through a real store.

What is asserted follows from the data and the runner, not from the verdict logic: each
anchor is either checked or counted not extracted, the counts add up, a case with no sources
sees none of the others' evidence, and the store is left as it was found.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from service.cli import main
from service.eval.verdicts import ORG_PREFIX, evaluate_verdicts
from service.store.models import Article, Claim, Organisation, Source
from workers.evaluation.verdicts import format_verdicts_report
from workers.evidence import Linker, LinkerConfig
from workers.pipeline.pipeline import PipelineConfig, build_pipeline

DATASET = Path(__file__).parents[1] / "data" / "verdicts"
# An attribution with its content, a yearly series, and a case with no evidence loaded.
PICKED = ("mayor-rebate-saved-300", "port-containers-two-years", "ferry-passengers-no-sources")


def write_subset(folder: Path) -> Path:
    cases: dict[str, Any] = {}
    for path in DATASET.glob("cases-*.json"):
        cases.update({c["id"]: c for c in json.loads(path.read_text(encoding="utf-8"))})
    folder.mkdir()
    (folder / "cases-picked.json").write_text(json.dumps([cases[i] for i in PICKED]),
                                              encoding="utf-8")
    return folder


def test_runner_checks_every_anchor_and_leaves_the_store_clean(tmp_path: Path,
                                                               session_factory, nlp) -> None:
    dataset = write_subset(tmp_path / "verdicts")
    pipeline = build_pipeline(PipelineConfig())
    result = evaluate_verdicts(dataset, session_factory=session_factory, pipeline=pipeline,
                               linker=Linker(nlp, LinkerConfig()), progress=False)
    m, results = result["metrics"], result["results"]
    assert result["cases"] == 3 and m["checks"] == len(results) == 3
    assert [r.case_id for r in results] == list(PICKED)
    assert m["extracted"] + m["not_extracted"] == 3
    assert m["n"] == sum(len(r.claims) for r in results)
    assert sum(sum(row.values()) for row in m["matrix"].values()) == m["n"]
    assert m["n_supported"] + m["n_contradicted"] == pytest.approx(m["coverage"] * m["n"])
    # nothing was loaded for the ferry, and no other case's sources leak into its search
    ferry = results[2]
    assert all(claim.auto == "no_evidence" for claim in ferry.claims)
    with session_factory() as session:
        for model in (Claim, Article, Source):
            assert session.scalar(select(func.count()).select_from(model)) == 0
        orgs = session.scalars(select(Organisation.id)).all()
        assert not [org for org in orgs if org.startswith(ORG_PREFIX)]
    report = format_verdicts_report(result, verbose=True)
    assert "3 cases, 3 anchors" in report
    assert "true claims marked contradicted" in report and "siblings disagree" in report


def test_eval_assessment_refuses_a_malformed_case(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    case = json.loads((DATASET / "cases-plain.json").read_text(encoding="utf-8"))[0]
    case["checks"][0]["anchor"] = "not in the article"
    (folder / "cases-bad.json").write_text(json.dumps([case]), encoding="utf-8")
    assert main(["eval", "assessment", "--dataset", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "cases-bad.json" in err and case["id"] in err and "is not in the text" in err


def test_eval_assessment_refuses_a_folder_of_neither_set(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "assessment", "--dataset", str(tmp_path)]) == 2
    assert "neither AVeriTeC dev" in capsys.readouterr().err
