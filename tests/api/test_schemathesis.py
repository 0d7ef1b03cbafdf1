"""Schemathesis against ``/openapi.json``: whatever it sends, no 5xx, and every answer is one
the spec documents (status, content type, body schema).

Every operation gets examples built from its schema, valid ones and invalid ones (wrong
types, missing fields, values out of range), sent with an admin key. Bounded so the file
runs in well under a minute and a half on two cores: ``MAX_EXAMPLES`` per operation
(``SCHEMATHESIS_MAX_EXAMPLES=500`` hunts further, a few minutes), derandomized (the same cases
every run, so a failure is repeatable), no deadline (a slow CI is not a failure).
Rate limits are off for the run: a 429 is documented, but it would stop the run from
reaching the routes.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.python.asgi import ASGIClient
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from service.app import create_app
from service.store.settings import Settings
from tests.conftest import bearer
from tests.support.observed import OBSERVED, Seen, route_of

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "100"))
BASE_URL = "http://testserver"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]


@pytest.fixture
def fuzzed(settings: Settings, session_factory: object,
           make_key: Callable[..., str]) -> Iterator[tuple[FastAPI, str]]:
    """The app, started (its lifespan opens the database and Redis), and an admin key."""
    unlimited = settings.model_copy(update={
        f"rate_limit_{role}": "off" for role in ("submitter", "reviewer", "admin")})
    app = create_app(unlimited)
    with TestClient(app):
        yield app, make_key("admin", name="schemathesis")


def _spec() -> dict[str, Any]:
    """The spec as served (no database or Redis is needed to build it)."""
    settings = Settings(database_url="sqlite://", redis_url="redis://127.0.0.1:1/0")
    return create_app(settings, migrate=False).openapi()


# Loaded at import, not from a fixture: schemathesis' lazy loader reaches into pytest
# internals that pytest 9.2 no longer has.
schema = schemathesis.openapi.from_dict(_spec())


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_the_api_answers_what_its_spec_says(case: Any, fuzzed: tuple[FastAPI, str]) -> None:
    app, key = fuzzed
    response = case.call(base_url=BASE_URL, session=ASGIClient(app, base_url=BASE_URL),
                         headers=bearer(key))
    route = route_of(app, case.method.upper(), case.formatted_path)
    if route is not None:  # for tests/api/test_openapi_statuses.py
        types = [v for k, values in response.headers.items() if k.lower() == "content-type"
                 for v in values]
        media = types[0].split(";")[0].strip() if types else ""
        OBSERVED[Seen(case.method.upper(), route, response.status_code, media)] += 1
    case.validate_response(response, checks=CHECKS, headers=bearer(key))
