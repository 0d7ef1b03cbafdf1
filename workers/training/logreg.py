"""L2-regularised logistic regression over hashed binary features, trained by numpy L-BFGS.

Requires: per-sentence hashed indices (see workers.pipeline.cw_features) and dense columns.
Assigns: nothing; returns weight vectors laid out as [sparse | dense | bias].
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from workers.pipeline.cw_features import N_HASHED, N_LEXICAL


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
    design: Design, labels: np.ndarray, sample_weight: np.ndarray, l2: np.ndarray
) -> Callable[[np.ndarray], tuple[float, np.ndarray]]:
    """Weighted mean log-loss plus a per-weight L2 penalty `l2`, with its gradient."""
    norm = float(sample_weight.sum())

    def objective(weights: np.ndarray) -> tuple[float, np.ndarray]:
        z = logits(design, weights)
        loss = np.logaddexp(0.0, z) - labels * z
        residual = sample_weight * (1.0 / (1.0 + np.exp(-z)) - labels) / norm
        grad = np.empty_like(weights)
        grad[:N_HASHED] = np.bincount(
            design.cols, weights=residual[design.rows], minlength=N_HASHED
        )
        grad[N_HASHED:-1] = design.dense.T @ residual
        grad[-1] = residual.sum()
        penalty = l2 * weights
        value = float(sample_weight @ loss) / norm + 0.5 * float(penalty @ weights)
        return value, grad + penalty

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
    tol: float = 1e-9,
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


def fit(
    design: Design,
    labels: np.ndarray,
    sample_weight: np.ndarray,
    *,
    l2: float,
    lexical_l2_factor: float = 1.0,
    max_iter: int = 400,
) -> np.ndarray:
    """Train the logistic model; returns [sparse weights, dense weights, bias].

    Word-identity slots get `l2 * lexical_l2_factor`; the bias is not penalised.
    """
    start = np.zeros(N_HASHED + design.dense.shape[1] + 1)
    penalty = np.full_like(start, l2)
    penalty[:N_LEXICAL] *= lexical_l2_factor
    penalty[-1] = 0.0
    objective = make_objective(design, labels.astype(np.float64), sample_weight, penalty)
    return minimize_lbfgs(objective, start, max_iter=max_iter)
