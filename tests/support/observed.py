"""What the API tests saw: each (method, route, status, media type) a ``TestClient`` received.

``watch(client)`` records the responses of one client (the ``client`` fixture watches its
own); ``tests/api/test_openapi_statuses.py``, run last, compares them with ``/openapi.json``.
"""

from __future__ import annotations

from collections import Counter
from typing import NamedTuple

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient

from service.api.openapi import api_routes


class Seen(NamedTuple):
    method: str
    route: str  # the path template, e.g. /v1/claims/{claim_id}
    status: int
    media_type: str  # "" when the response has no body type (204)


OBSERVED: Counter[Seen] = Counter()


def watch(client: TestClient) -> None:
    """Record every response ``client`` receives from a route of its app."""
    app = client.app
    if not isinstance(app, FastAPI):
        return

    def record(response: httpx.Response) -> None:
        request = response.request
        route = route_of(app, request.method, request.url.path)
        if route is not None:
            media_type = response.headers.get("content-type", "").split(";")[0].strip()
            OBSERVED[Seen(request.method, route, response.status_code, media_type)] += 1

    hooks = client.event_hooks
    hooks["response"] = [*hooks.get("response", []), record]
    client.event_hooks = hooks


def route_of(app: FastAPI, method: str, path: str) -> str | None:
    """The path template of the API route that serves ``method`` on ``path``, if any."""
    for route in api_routes(app):
        if method in route.methods and route.path_regex.match(path):
            return str(route.path_format)
    return None
