"""``claimdesk eval TASK --dataset DIR``: accuracy on a dataset from ../shared/datasets.

Pure scoring lives in ``workers/evaluation``; the runners here give it what it needs: the
spaCy model named by the settings (for claims, the whole pipeline), and for matching and
assessment a scratch store. ``claims`` reads the claim-quality set written for the tests
(``tests/data/claim_quality``), not one from ../shared/datasets.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any


def run_eval(task: str, dataset: str, *, database_url: str | None = None,
             semantic: bool = False, verbose: bool = False) -> int:
    """Pick the evaluation by task and by the dataset folder's files; print the report."""
    path = Path(dataset)
    if not path.is_dir():
        sys.stderr.write(f"claimdesk eval: {dataset} is not a dataset folder\n")
        return 2
    if task == "checkworthiness":
        return _checkworthiness(path)
    if task == "claims":
        from service.eval.claims import run_claims_eval

        return run_claims_eval(path, verbose=verbose)
    return _evidence(task, path, database_url=database_url, semantic=semantic)


def _evidence(task: str, path: Path, *, database_url: str | None, semantic: bool) -> int:
    """Matching or assessment, against a scratch SQLite store unless a database URL is given."""
    import tempfile

    from service.eval.assessment import evaluate_assessment
    from service.eval.matching import evaluate_matching
    from service.store.db import make_engine, make_session_factory
    from service.store.migrate import upgrade_database
    from service.store.settings import Settings
    from workers.evaluation.assessment import format_assessment_report
    from workers.evaluation.matching import format_matching_report
    from workers.evidence import Linker, LinkerConfig
    from workers.pipeline.pipeline import load_nlp

    with tempfile.TemporaryDirectory(prefix="claimdesk-eval-") as scratch:
        settings = Settings(data_dir=Path(scratch), database_url=database_url)
        upgrade_database(settings)
        engine = make_engine(settings.resolved_database_url())
        factory = make_session_factory(engine)
        linker = Linker(load_nlp(settings.spacy_model), LinkerConfig(semantic=semantic))
        if task == "matching":
            result = evaluate_matching(path, session_factory=factory,
                                       org_id=settings.default_org_id, linker=linker)
            report = format_matching_report(result)
        else:
            result = evaluate_assessment(path, session_factory=factory,
                                         org_id=settings.default_org_id, linker=linker)
            report = format_assessment_report(result)
        engine.dispose()
    sys.stdout.write(report + "\n")
    return 0


def _checkworthiness(path: Path) -> int:
    from workers.evaluation.checkworthiness import (
        evaluate_checkthat,
        evaluate_clef2019,
        format_report,
    )
    from workers.evaluation.datasets import is_checkthat_dir, is_clef2019_dir
    from workers.pipeline.checkworthiness import load_scorer
    from workers.pipeline.pipeline import load_nlp

    evaluate: Callable[..., dict[str, Any]]
    if is_checkthat_dir(path):
        evaluate = evaluate_checkthat
    elif is_clef2019_dir(path):
        evaluate = evaluate_clef2019
    else:
        sys.stderr.write(f"claimdesk eval: {path} is neither CheckThat! 2024 nor CLEF 2019\n")
        return 2
    from service.store.settings import Settings

    result = evaluate(path, nlp=load_nlp(Settings().spacy_model), scorer=load_scorer())
    sys.stdout.write(format_report(result) + "\n")
    return 0
