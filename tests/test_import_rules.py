"""The dependency direction holds at run time too: what a process loads, not only what it names.

`make lint` checks the same rules statically (import-linter contracts in pyproject.toml).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def loaded_after_import(module: str) -> set[str]:
    """Top-level packages in ``sys.modules`` after a fresh interpreter imports ``module``."""
    code = (f"import json, sys, {module}; "
            "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True, timeout=120).stdout
    return set(json.loads(out))


def test_a_worker_process_never_loads_the_web_stack() -> None:
    loaded = loaded_after_import("workers.jobs")
    assert {"sqlalchemy", "rq", "spacy"} <= loaded  # it did load what a job needs
    assert not loaded & {"fastapi", "starlette", "uvicorn"}


@pytest.mark.parametrize("module", [
    # the pure pipeline: text in, claim records out
    "workers.pipeline.pipeline",
    # evidence linking and assessment, with search injected
    "workers.evidence",
    # evaluation scoring, fed by service/eval
    "workers.evaluation.matching",
])
def test_pure_code_loads_no_service_database_or_queue(module: str) -> None:
    assert not loaded_after_import(module) & {"service", "sqlalchemy", "redis", "rq", "fastapi"}


def test_the_store_loads_no_web_framework_and_no_pipeline() -> None:
    loaded = loaded_after_import("service.store.lifecycle, service.store.search, "
                                 "service.store.verdicts, service.store.migrate")
    assert not loaded & {"fastapi", "starlette", "workers", "spacy"}
