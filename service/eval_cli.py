"""``claimdesk eval TASK --dataset DIR``: accuracy on a dataset from ../shared/datasets."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any


def run_eval(task: str, dataset: str) -> int:
    """Pick the evaluation by task and by the dataset folder's files; print the report."""
    path = Path(dataset)
    if not path.is_dir():
        sys.stderr.write(f"claimdesk eval: {dataset} is not a dataset folder\n")
        return 2
    if task == "checkworthiness":
        return _checkworthiness(path)
    sys.stderr.write(f"claimdesk eval: no evaluation for {task!r} yet\n")
    return 2


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
    from service.config import Settings

    result = evaluate(path, nlp=load_nlp(Settings().spacy_model), scorer=load_scorer())
    sys.stdout.write(format_report(result) + "\n")
    return 0
