"""Check-worthiness stage: a calibrated logistic model over hashed sentence features.

Requires: parsed spaCy Spans/Docs (tagger, parser, ner; the tok2vec tensor when present).
Assigns: nothing on the Doc; returns P(check-worthy) in [0, 1] per sentence. Calibration: a Platt
slope fitted on CheckThat! 2024 dev + dev-test, with the offset set so the F1-optimal threshold
there maps to 0.5 (see data/checkworthiness.json). Sentences without words score 0.0.
Weights are rebuilt by `python -m workers.training.train_checkworthiness`.

Opt-in (``CheckworthinessConfig(semantic=True)``, the setting
``CLAIMDESK_CHECKWORTHINESS_SEMANTIC``; off by default): the linear probability is averaged
with a logistic regression on the sentence's all-MiniLM-L6-v2 embedding (the ``semantic``
extra's numpy encoder, as evidence re-ranking uses), ``(1 - w) * linear + w * embedding``,
then mapped piecewise-linearly so the dev-test F1-optimal threshold of the average sits at
0.5. Head (weights, ``w``, threshold) in data/checkworthiness_semantic.json, rebuilt by
`python -m workers.training.semantic_checkworthiness --write workers/pipeline/data`. It costs
~20 ms of encoding per scored span, one at a time (~10 ms batched), against ~5 ms to parse a
sentence and 0.2 ms to score it linearly.
With it off, scores are those of the linear model alone, unchanged.
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
SEMANTIC_FILE = "checkworthiness_semantic.json"


@dataclass(frozen=True, slots=True)
class CheckworthinessConfig:
    """Where the weights come from; `weights_path` overrides the shipped package data."""

    weights_path: Path | None = None
    semantic: bool = False  # average with the MiniLM-embedding regression (semantic extra)


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


@dataclass(frozen=True, slots=True)
class SemanticHead:
    """Logistic regression on a sentence embedding, its mixing weight and decision threshold."""

    weights: np.ndarray
    bias: float
    mix_weight: float
    threshold: float

    def probability(self, vector: np.ndarray) -> float:
        """P(check-worthy) from the embedding alone."""
        return _sigmoid(float(self.weights @ vector.astype(np.float64)) + self.bias)

    def mix(self, linear: float, semantic: float) -> float:
        """The average, mapped monotonically so that ``threshold`` lands on 0.5."""
        value = (1.0 - self.mix_weight) * linear + self.mix_weight * semantic
        if value < self.threshold:
            return 0.5 * value / self.threshold
        return min(1.0, 0.5 + 0.5 * (value - self.threshold) / (1.0 - self.threshold))


def read_semantic_head() -> SemanticHead:
    """The shipped embedding head (data/checkworthiness_semantic.json)."""
    source = resources.files("workers.pipeline.data").joinpath(SEMANTIC_FILE)
    loaded = json.loads(source.read_text(encoding="utf-8"))
    return SemanticHead(
        weights=np.asarray(loaded["weights"], dtype=np.float64),
        bias=float(loaded["bias"]),
        mix_weight=float(loaded["mix_weight"]),
        threshold=float(loaded["threshold"]),
    )


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
        self.head: SemanticHead | None = None
        self.encoder: Any = None
        if self.config.semantic:
            from workers.evidence.encoder import load_encoder
            from workers.evidence.rerank import default_model_path

            self.head = read_semantic_head()
            self.encoder = load_encoder(default_model_path())

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
        linear = _sigmoid(model.calib_slope * self._logit(features) + model.calib_offset)
        if self.head is None:
            return linear
        vector = self.encoder.encode([span.text])[0]
        return self.head.mix(linear, self.head.probability(vector))


@lru_cache(maxsize=2)
def load_scorer(semantic: bool = False) -> CheckworthinessScorer:
    """The shared scorer over the shipped weights (loaded once per process)."""
    return CheckworthinessScorer(CheckworthinessConfig(semantic=semantic))
