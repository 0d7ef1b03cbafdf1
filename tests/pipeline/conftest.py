"""The pipeline the stage tests run articles through: built once per test module."""

from __future__ import annotations

import pytest

from workers.pipeline.pipeline import Pipeline, build_pipeline


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return build_pipeline()
