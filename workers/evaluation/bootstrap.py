"""Percentile bootstrap intervals for the evaluation figures.

Requires: the units a figure is computed over (sentences, debates, articles) and the function
that computes the figure from a list of them. Assigns: nothing. The seed is fixed, so a report
prints the same interval on every run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

import numpy as np

RESAMPLES = 1000
SEED = 20240901
LEVEL = 0.95

T = TypeVar("T")


def bootstrap_interval(
    units: Sequence[T],
    statistic: Callable[[Sequence[T]], float],
    *,
    resamples: int = RESAMPLES,
    seed: int = SEED,
    level: float = LEVEL,
) -> tuple[float, float]:
    """The ``level`` percentile interval of ``statistic`` over resamples of ``units``.

    Each resample draws ``len(units)`` units with replacement; the interval's ends are the
    ``(1 - level) / 2`` and ``(1 + level) / 2`` quantiles of the resampled figures. With no
    units there is nothing to resample: the interval is the figure of the empty list, twice.
    """
    if not units:
        empty = statistic([])
        return empty, empty
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, len(units), size=(resamples, len(units)))
    figures = np.array([statistic([units[i] for i in row]) for row in draws.tolist()])
    low, high = np.quantile(figures, [(1 - level) / 2, (1 + level) / 2])
    return float(low), float(high)
