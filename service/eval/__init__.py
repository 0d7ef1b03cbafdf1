"""``claimdesk eval TASK --dataset DIR``: accuracy on a dataset from ../shared/datasets.

Pure scoring lives in ``workers/evaluation``; the runners here give it what it needs: the
spaCy model named by the settings (for claims, the whole pipeline), and for matching and
assessment a scratch store. ``claims`` reads the claim-quality set written for the tests
(``tests/data/claim_quality``), not one from ../shared/datasets; ``assessment`` reads either
AVeriTeC dev (a ``dev.json``) or the verdict set written for the tests (``tests/data/verdicts``,
``cases-*.json`` files), one dataset a run.
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
        return _checkworthiness(path, semantic=semantic)
    if task == "claims":
        from service.eval.claims import run_claims_eval

        return run_claims_eval(path, verbose=verbose)
    return _evidence(task, path, database_url=database_url, semantic=semantic, verbose=verbose)


def _evidence(task: str, path: Path, *, database_url: str | None, semantic: bool,
              verbose: bool = False) -> int:
    """Matching or assessment, against a scratch SQLite store unless a database URL is given."""
    import tempfile

    from service.eval.assessment import evaluate_assessment
    from service.eval.matching import evaluate_matching
    from service.store.db import make_engine, make_session_factory
    from service.store.migrate import upgrade_database
    from service.store.settings import Settings
    from workers.evaluation.assessment import format_assessment_report
    from workers.evaluation.matching import format_matching_report
    from workers.evaluation.verdicts import is_verdicts_dir
    from workers.evidence import Linker, LinkerConfig
    from workers.pipeline.pipeline import load_nlp

    problem = _assessment_problem(path) if task == "assessment" else None
    if problem:
        sys.stderr.write(f"claimdesk eval: {problem}\n")
        return 2
    verdicts = task == "assessment" and is_verdicts_dir(path)
    with tempfile.TemporaryDirectory(prefix="claimdesk-eval-") as scratch:
        settings = Settings(data_dir=Path(scratch), database_url=database_url)
        upgrade_database(settings)
        engine = make_engine(settings.resolved_database_url())
        factory = make_session_factory(engine)
        # matching and assessment measure what the service does: semantic re-ranking per the
        # settings (on by default; CLAIMDESK_SEMANTIC_RERANK=false for lexical only),
        # --semantic forces it
        semantic = semantic or settings.semantic_rerank
        linker = Linker(load_nlp(settings.spacy_model), LinkerConfig(
            top_k=settings.evidence_top_k, candidates=settings.evidence_candidates,
            semantic=semantic))
        try:
            if task == "matching":
                result = evaluate_matching(path, session_factory=factory,
                                           org_id=settings.default_org_id, linker=linker)
                report = format_matching_report(result)
            elif verdicts:
                report = _verdicts(path, session_factory=factory, settings=settings,
                                   linker=linker, verbose=verbose)
            else:
                result = evaluate_assessment(path, session_factory=factory,
                                             org_id=settings.default_org_id, linker=linker)
                report = format_assessment_report(result)
        finally:
            engine.dispose()
    sys.stdout.write(report + "\n")
    return 0


def _assessment_problem(path: Path) -> str | None:
    """Why the folder cannot be assessed (None: it can): neither set, or a malformed case."""
    from workers.evaluation.verdicts import VerdictDatasetError, is_verdicts_dir, read_cases

    if is_verdicts_dir(path):
        try:
            read_cases(path)  # reported before any store is set up
        except VerdictDatasetError as exc:
            return str(exc)
        return None
    if not (path / "dev.json").is_file():
        return f"{path} holds neither AVeriTeC dev (dev.json) nor the verdict set (cases-*.json)"
    return None


def _verdicts(path: Path, *, session_factory: Any, settings: Any, linker: Any,
              verbose: bool) -> str:
    """The verdict set through the store, the workers' pipeline and the linker."""
    from service.eval.verdicts import evaluate_verdicts
    from workers.evaluation.verdicts import format_verdicts_report
    from workers.pipeline.pipeline import PipelineConfig, build_pipeline

    pipeline = build_pipeline(PipelineConfig(model=settings.spacy_model,
                                             max_sentence_chars=settings.max_sentence_chars))
    result = evaluate_verdicts(path, session_factory=session_factory, pipeline=pipeline,
                               linker=linker)
    return format_verdicts_report(result, verbose=verbose)


def _checkworthiness(path: Path, *, semantic: bool = False) -> int:
    """F1 or MAP of the shipped scorer; ``semantic`` (``--semantic`` or the setting
    ``CLAIMDESK_CHECKWORTHINESS_SEMANTIC``) averages it with the MiniLM-embedding head."""
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

    settings = Settings()
    scorer = load_scorer(semantic=semantic or settings.checkworthiness_semantic)
    result = evaluate(path, nlp=load_nlp(settings.spacy_model), scorer=scorer)
    sys.stdout.write(format_report(result) + "\n")
    return 0
