"""Check-worthiness stage: a calibrated logistic model over hashed sentence features.

Requires: parsed spaCy Spans/Docs (tagger, parser, ner; the tok2vec tensor when present).
Assigns: nothing on the Doc; returns P(check-worthy) in [0, 1] per sentence. Calibration: a Platt
slope fitted on CheckThat! 2024 dev + dev-test, with the offset set so the F1-optimal threshold
there maps to 0.5 (see data/checkworthiness.json). Sentences without words score 0.0.
Weights are rebuilt by `python -m workers.training.train_checkworthiness`.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from workers.pipeline.cw_features import (
    DENSE_DIM,
    FEATURE_VERSION,
    N_HASHED,
    SentenceFeatures,
    featurize,
)

WEIGHTS_FILE = "checkworthiness.npz"
METADATA_FILE = "checkworthiness.json"


@dataclass(frozen=True, slots=True)
class CheckworthinessConfig:
    """Where the weights come from; `weights_path` overrides the shipped package data."""

    weights_path: Path | None = None


@dataclass(frozen=True, slots=True)
class CheckworthinessModel:
    """Folded linear weights: logit = sparse[idx].sum() + dense_w @ pooled + bias."""

    sparse: np.ndarray
    dense_w: np.ndarray
    bias: float
    calib_slope: float
    calib_offset: float


def read_model(path: Path | None = None) -> CheckworthinessModel:
    """Load and fold a weights file (standardisation folded into the dense weights)."""
    if path is None:
        source = resources.files("workers.pipeline.data").joinpath(WEIGHTS_FILE)
        with source.open("rb") as handle:
            arrays = dict(np.load(handle))
    else:
        with np.load(path) as loaded:
            arrays = dict(loaded)
    if int(arrays["feature_version"]) != FEATURE_VERSION:
        raise ValueError("check-worthiness weights were built for another feature version")
    sparse = arrays["w_sparse"].astype(np.float32)
    if sparse.shape != (N_HASHED,) or arrays["w_dense"].shape != (DENSE_DIM,):
        raise ValueError("check-worthiness weights have unexpected shapes")
    scale = arrays["w_dense"].astype(np.float64) / arrays["dense_std"].astype(np.float64)
    bias = float(arrays["bias"]) - float(scale @ arrays["dense_mean"].astype(np.float64))
    return CheckworthinessModel(
        sparse=sparse,
        dense_w=scale.astype(np.float32),
        bias=bias,
        calib_slope=float(arrays["calib_slope"]),
        calib_offset=float(arrays["calib_offset"]),
    )


def read_metadata() -> dict[str, Any]:
    """The shipped weights' metadata (version, training data, dev figures, calibration)."""
    source = resources.files("workers.pipeline.data").joinpath(METADATA_FILE)
    loaded: dict[str, Any] = json.loads(source.read_text(encoding="utf-8"))
    return loaded


def _sigmoid(value: float) -> float:
    """Numerically safe logistic function."""
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    exp = math.exp(value)
    return exp / (1.0 + exp)


class CheckworthinessScorer:
    """Scores parsed sentences; the weights are loaded once per instance."""

    def __init__(self, config: CheckworthinessConfig | None = None) -> None:
        self.config = config or CheckworthinessConfig()
        self.model = read_model(self.config.weights_path)

    def _logit(self, features: SentenceFeatures) -> float:
        """Linear score of precomputed features."""
        model = self.model
        total = float(model.sparse[features.indices].sum(dtype=np.float64))
        return total + float(model.dense_w @ features.dense) + model.bias

    def score(self, span: Any) -> float:
        """Calibrated P(check-worthy) of one parsed sentence; 0.0 when it has no words."""
        features = featurize(span)
        if len(features.indices) == 0:
            return 0.0
        model = self.model
        return _sigmoid(model.calib_slope * self._logit(features) + model.calib_offset)


@lru_cache(maxsize=1)
def load_scorer() -> CheckworthinessScorer:
    """The shared scorer over the shipped weights (loaded once per process)."""
    return CheckworthinessScorer()
