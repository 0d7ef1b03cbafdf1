"""bootstrap_interval: percentile intervals with a fixed seed."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from workers.evaluation.bootstrap import bootstrap_interval
from workers.evaluation.checkworthiness import format_report


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


# 40 units, a quarter of them 1: the mean is 0.25
UNITS = [1.0 if i % 4 == 0 else 0.0 for i in range(40)]


def test_interval_contains_the_point_estimate():
    low, high = bootstrap_interval(UNITS, mean)
    assert low < mean(UNITS) < high
    assert 0.0 <= low and high <= 1.0


def test_interval_is_deterministic_for_a_seed():
    assert bootstrap_interval(UNITS, mean, seed=7) == bootstrap_interval(UNITS, mean, seed=7)
    assert bootstrap_interval(UNITS, mean) == bootstrap_interval(UNITS, mean)
    spread = [i / 39 for i in range(40)]  # many distinct means: another seed moves the ends
    assert bootstrap_interval(spread, mean, seed=7) != bootstrap_interval(spread, mean, seed=8)


def test_interval_narrows_with_more_units():
    low, high = bootstrap_interval(UNITS, mean)
    wide_low, wide_high = bootstrap_interval(UNITS * 25, mean)
    assert wide_high - wide_low < high - low


@pytest.mark.parametrize(
    ("units", "expected"),
    [
        # nothing to resample: the figure of the empty list, twice
        ([], (0.0, 0.0)),
        # every unit alike: no spread
        ([0.5, 0.5, 0.5], (0.5, 0.5)),
    ],
)
def test_degenerate_intervals(units, expected):
    assert bootstrap_interval(units, mean) == pytest.approx(expected)


def test_checkworthiness_report_prints_the_intervals():
    ct24 = {"split": "test", "f1": 0.6, "precision": 0.5, "recall": 0.75, "threshold": 0.5,
            "n": 341, "n_positive": 88, "published_best": 0.802, "f1_interval": (0.52, 0.67)}
    assert "F1 bootstrap 95% interval: 0.5200-0.6700 (1000 resamples of the sentences" in (
        format_report(ct24))
    clef = {"dataset": "clef2019", "map": 0.15, "per_debate": {"d1": 0.1, "d2": 0.2}, "n": 9,
            "published_best": 0.166, "map_interval": (0.1, 0.2)}
    assert "MAP bootstrap 95% interval: 0.1000-0.2000" in format_report(clef)
