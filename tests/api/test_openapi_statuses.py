"""Documented against observed: every status the API tests saw is in ``/openapi.json``.

Runs last (``@pytest.mark.last``): the ``client`` fixture records what each test received
(``tests/support/observed.py``). The statuses documented but never seen are listed, not
failed: an outage or an oversized body is documented and rarely worth a test per route.
"""

from __future__ import annotations

import sys
from collections import defaultdict

import pytest

from service.app import create_app
from service.store.settings import Settings
from tests.support.observed import OBSERVED, Seen

MIN_OBSERVED = 20  # fewer: this test runs alone, and there is nothing to compare


@pytest.mark.last
def test_every_observed_status_is_documented(settings: Settings,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    if sum(OBSERVED.values()) < MIN_OBSERVED:
        pytest.skip(f"only {sum(OBSERVED.values())} responses observed: run it with the API "
                    "tests (pytest tests/api), which it checks")
    spec = create_app(settings, migrate=False).openapi()
    undocumented = [problem for seen in sorted(OBSERVED) if (problem := _check(spec, seen))]
    with capsys.disabled():
        sys.stdout.write(_never_observed(spec))
    assert not undocumented, (
        "the tests saw responses /openapi.json does not document; add them to the rules or "
        "tables of service/api/openapi.py (or the route's responses=):\n"
        + "\n".join(undocumented)
    )


def _check(spec: dict, seen: Seen) -> str | None:
    """What is wrong with the documentation of one observed response, if anything."""
    operation = spec["paths"].get(seen.route, {}).get(seen.method.lower())
    if operation is None:
        return None  # not in the schema: the docs, the review pages
    response = operation["responses"].get(str(seen.status))
    if response is None:
        return f"{seen.method} {seen.route}: {seen.status} is not documented"
    content = response.get("content", {})
    if seen.media_type and content and seen.media_type not in content:
        return (f"{seen.method} {seen.route}: {seen.status} came as {seen.media_type}, "
                f"documented as {', '.join(content)}")
    return None


def _never_observed(spec: dict) -> str:
    seen = {(s.method, s.route, str(s.status)) for s in OBSERVED}
    missing: dict[str, list[str]] = defaultdict(list)
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            for status in operation["responses"]:
                if (method.upper(), path, status) not in seen:
                    missing[f"{method.upper()} {path}"].append(status)
    lines = [f"  {route}: {' '.join(statuses)}" for route, statuses in sorted(missing.items())]
    return "\n\ndocumented statuses no test observed:\n" + "\n".join(lines) + "\n"
