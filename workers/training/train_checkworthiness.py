"""Rebuild the check-worthiness weights (workers/pipeline/data/checkworthiness.npz).

Requires: the CheckThat! 2024 task 1 English and CLEF-2019 task 1 folders (read in place).
Assigns: writes the weights and their metadata JSON; trains on train splits only, tunes the
calibration on CheckThat! dev, and reports dev figures (never test).
Run: .venv/bin/python -m workers.training.train_checkworthiness [--ct24 DIR] [--clef2019 DIR]
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from workers.evaluation.datasets import LabelledSentence, ct24_path, read_checkthat, read_clef2019
from workers.pipeline.cw_features import FEATURE_VERSION, HASH_BITS, N_HASHED, featurize

LOG = logging.getLogger("claimdesk.training")
WEIGHTS_VERSION = "1.0.0"
DEFAULT_CT24 = Path("../shared/datasets/checkthat2024-t1-en-checkworthiness")
DEFAULT_CLEF = Path("../shared/datasets/clef2019-t1-checkworthiness")
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "pipeline" / "data"
# CLEF-2019 train debates held out for tuning (the organisers' choice plus one debate).
CLEF_HOLDOUT = ("20190108_oval_office", "20161019_3pres")


@dataclass(frozen=True, slots=True)
class TrainConfig:
    """Hyperparameters, chosen on CheckThat! dev and the held-out CLEF-2019 debates."""

    l2: float = 1e-4
    dense_scale: float = 0.5
    clef_weight: float = 0.5
    max_iter: int = 300


@dataclass(slots=True)
class Design:
    """A binary sparse design matrix (row ids and hashed columns) plus dense columns."""

    rows: np.ndarray
    cols: np.ndarray
    dense: np.ndarray

    @property
    def n_rows(self) -> int:
        """Number of sentences."""
        return int(self.dense.shape[0])


def featurize_docs(docs: Sequence[Any]) -> tuple[list[np.ndarray], np.ndarray]:
    """Sparse indices and pooled vectors of parsed docs."""
    features = [featurize(doc) for doc in docs]
    return [f.indices for f in features], np.stack([f.dense for f in features])


def build_design(indices: Sequence[np.ndarray], dense: np.ndarray) -> Design:
    """Stack per-sentence indices into row/column arrays."""
    lengths = np.fromiter((len(ix) for ix in indices), dtype=np.int64, count=len(indices))
    rows = np.repeat(np.arange(len(indices), dtype=np.int64), lengths)
    cols = np.concatenate(list(indices)) if len(indices) else np.zeros(0, dtype=np.int64)
    return Design(rows=rows, cols=cols, dense=dense.astype(np.float64))


def logits(design: Design, weights: np.ndarray) -> np.ndarray:
    """Linear scores: sparse part, then dense part, then bias (the last weight)."""
    sparse = np.bincount(design.rows, weights=weights[design.cols], minlength=design.n_rows)
    return sparse + design.dense @ weights[N_HASHED:-1] + weights[-1]


def make_objective(
    design: Design, labels: np.ndarray, sample_weight: np.ndarray, l2: float
) -> Callable[[np.ndarray], tuple[float, np.ndarray]]:
    """Weighted mean log-loss plus L2 (bias unpenalised), with its gradient."""
    norm = float(sample_weight.sum())

    def objective(weights: np.ndarray) -> tuple[float, np.ndarray]:
        z = logits(design, weights)
        loss = np.logaddexp(0.0, z) - labels * z
        residual = sample_weight * (1.0 / (1.0 + np.exp(-z)) - labels) / norm
        grad = np.empty_like(weights)
        grad[:N_HASHED] = np.bincount(design.cols, weights=residual[design.rows], minlength=N_HASHED)
        grad[N_HASHED:-1] = design.dense.T @ residual
        grad[-1] = residual.sum()
        penalty = weights.copy()
        penalty[-1] = 0.0
        value = float(sample_weight @ loss) / norm + 0.5 * l2 * float(penalty @ penalty)
        return value, grad + l2 * penalty

    return objective


def _direction(grad: np.ndarray, history: list[tuple[np.ndarray, np.ndarray, float]]) -> np.ndarray:
    """L-BFGS two-loop recursion: an approximate Newton direction."""
    q = grad.copy()
    alphas = []
    for s, y, rho in reversed(history):
        alpha = rho * float(s @ q)
        q -= alpha * y
        alphas.append(alpha)
    if history:
        s, y, _ = history[-1]
        q *= float(s @ y) / float(y @ y)
    for (s, y, rho), alpha in zip(history, reversed(alphas), strict=True):
        q += s * (alpha - rho * float(y @ q))
    return -q


def minimize_lbfgs(
    objective: Callable[[np.ndarray], tuple[float, np.ndarray]],
    start: np.ndarray,
    *,
    max_iter: int = 300,
    memory: int = 10,
    tol: float = 1e-7,
) -> np.ndarray:
    """Full-batch L-BFGS with Armijo backtracking."""
    x = start.copy()
    value, grad = objective(x)
    history: list[tuple[np.ndarray, np.ndarray, float]] = []
    for _ in range(max_iter):
        direction = _direction(grad, history)
        slope = float(grad @ direction)
        if slope >= 0:
            direction, slope = -grad, -float(grad @ grad)
        step = 1.0 if history else 1.0 / max(1.0, float(np.linalg.norm(grad)))
        while True:
            new_x = x + step * direction
            new_value, new_grad = objective(new_x)
            if new_value <= value + 1e-4 * step * slope or step < 1e-12:
                break
            step *= 0.5
        s, y = new_x - x, new_grad - grad
        if float(s @ y) > 1e-12:
            history = [*history[-(memory - 1) :], (s, y, 1.0 / float(s @ y))]
        converged = abs(value - new_value) <= tol * max(1.0, abs(value))
        x, value, grad = new_x, new_value, new_grad
        if converged:
            break
    return x


def standardise(dense: np.ndarray, scale: float) -> tuple[np.ndarray, np.ndarray]:
    """Mean and (scale-adjusted) spread of the dense columns, from training rows only."""
    mean = dense.mean(axis=0)
    std = dense.std(axis=0) + 1e-6
    return mean, std / scale


def fit(design: Design, labels: np.ndarray, sample_weight: np.ndarray, cfg: TrainConfig) -> np.ndarray:
    """Train the logistic model; returns [sparse weights, dense weights, bias]."""
    start = np.zeros(N_HASHED + design.dense.shape[1] + 1)
    objective = make_objective(design, labels.astype(np.float64), sample_weight, cfg.l2)
    return minimize_lbfgs(objective, start, max_iter=cfg.max_iter)


def f1_at(scores: np.ndarray, labels: np.ndarray, threshold: float) -> tuple[float, float, float]:
    """Precision, recall and F1 of the positive class at a threshold."""
    predicted = scores >= threshold
    hits = float((predicted & labels).sum())
    precision = hits / max(1.0, float(predicted.sum()))
    recall = hits / max(1.0, float(labels.sum()))
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return precision, recall, f1


def best_threshold(scores: np.ndarray, labels: np.ndarray) -> float:
    """The F1-optimal threshold (midpoint between neighbouring scores)."""
    ordered = np.unique(scores)
    cuts = (ordered[:-1] + ordered[1:]) / 2 if len(ordered) > 1 else ordered
    f1s = [f1_at(scores, labels, float(cut))[2] for cut in cuts]
    return float(cuts[int(np.argmax(f1s))])


def calibrate(dev_logits: np.ndarray, labels: np.ndarray) -> tuple[float, float, float]:
    """Platt slope fitted on dev, offset moved so the dev F1-optimal logit maps to 0.5."""
    design = Design(
        rows=np.zeros(0, dtype=np.int64),
        cols=np.zeros(0, dtype=np.int64),
        dense=dev_logits.reshape(-1, 1),
    )

    def objective(params: np.ndarray) -> tuple[float, np.ndarray]:
        z = params[0] * dev_logits + params[1]
        residual = (1.0 / (1.0 + np.exp(-z)) - labels) / len(labels)
        value = float(np.mean(np.logaddexp(0.0, z) - labels * z))
        return value, np.array([float(residual @ design.dense[:, 0]), float(residual.sum())])

    slope, _ = minimize_lbfgs(objective, np.array([1.0, 0.0]), max_iter=100)
    cut = best_threshold(dev_logits, labels.astype(bool))
    return float(slope), float(-slope * cut), cut
