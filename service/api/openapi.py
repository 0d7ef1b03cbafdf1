"""What ``/openapi.json`` says beyond what FastAPI infers: every problem each route can answer.

FastAPI documents a route's success and a 422 of its own shape. Our errors are problem
documents (``schemas.problems.Problem``, ``application/problem+json``), and which ones a route
can give follows from what it depends on, so they are derived here instead of being listed
on every route:

- a key (``current_principal``): 401, and the ``bearer`` security scheme; a role
  (``require_role``): 403; the key's rate limit (``enforce_rate_limit``): 429, with
  ``Retry-After``;
- path parameters (ids): 404;
- any method but GET, HEAD and OPTIONS: 413 (``BodySizeLimit`` reads every other body) and
  422 for a JSON body that is not UTF-8 (``service.api.guards``, before any route);
  ``require_json``: 415; a body: 422 for JSON that does not parse; a body, query or header
  parameters: 422 for invalid values; a ``cursor`` parameter: 422 for one not issued here;
- an ``Idempotency-Key`` header: 409; an ``If-Match`` header: 412 and 428;
- the database (``get_session``) or the queue (``get_queue``): 503; every route: 503 when
  it is not answered within ``request_timeout`` (``service.api.timeouts``);
- ``ROUTE_PROBLEMS``: what only the route's own code raises (e.g. 409 for an article that is
  not processed yet), and ``ROUTE_SUCCESSES`` the success statuses beside the route's own.

FastAPI's own 422 (``HTTPValidationError``) is removed, and parameters that mean the same on
every route (path ids, ``cursor``, ``limit``, ``If-Match``) get a description when the route
gave none. ``tests/api/test_openapi_statuses.py`` checks that every status the API tests
observe is documented: when it fails, add the route's case here.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, routing
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from schemas.problems import Problem
from service.api.deps import current_principal, get_queue, get_session, require_json, require_role
from service.api.problems import (
    CATALOGUE,
    PROBLEM_JSON,
    DatabaseUnavailable,
    MalformedJson,
    PayloadTooLarge,
    PreconditionRequired,
    QueueUnavailable,
    RateLimited,
    RequestTimedOut,
    Unauthorized,
    UnsupportedMediaType,
)
from service.api.ratelimit import enforce_rate_limit
from service.store.errors import (
    ArticleNotProcessed,
    ArticleTooLong,
    BinaryText,
    ClaimNotVerified,
    EmptyText,
    Forbidden,
    IdempotencyConflict,
    InvalidCursor,
    InvalidInput,
    InvalidTransition,
    NotFound,
    StaleVersion,
    UnsupportedLanguage,
    WebhookTargetRefused,
)

PROBLEM_REF = "#/components/schemas/Problem"
BEARER = "bearer"
_FASTAPI_422 = ("HTTPValidationError", "ValidationError")
_BODYLESS = frozenset({"GET", "HEAD", "OPTIONS"})
_COMMON_PARAMS = {
    ("query", "cursor"): "The previous page's `next_cursor`; leave it out for the first page.",
    ("query", "limit"): "At most this many items.",
    ("header", "If-Match"): "The `ETag` of the version read; a stale one is a 412.",
}


@dataclass(frozen=True)
class Outcome:
    """One way a request can fail: the catalogued error and what leads to it."""

    error: type[Exception]
    when: str


Route = tuple[str, str]  # (method, path template)

# What only the route's own code raises; the rules in ``route_problems`` give the rest.
ROUTE_PROBLEMS: dict[Route, list[Outcome]] = {
    ("POST", "/v1/articles"): [
        Outcome(EmptyText, "the text is empty once white space is removed"),
        Outcome(BinaryText, "the text is binary data, not text"),
        Outcome(UnsupportedLanguage, "the language is not one the service is set up for"),
        Outcome(ArticleTooLong, "the text or HTML is longer than the service takes "
                "(`max_chars` names the limit)"),
    ],
    ("POST", "/v1/articles/batch"): [
        Outcome(InvalidInput, "the batch has more articles than `max_batch_articles` (each "
                "article's own problems are items of a 202 or 200 answer, not errors)"),
    ],
    ("POST", "/v1/articles/{article_id}/relink"): [
        Outcome(ArticleNotProcessed, "the article is queued, processing or failed"),
    ],
    ("POST", "/v1/sources"): [
        Outcome(InvalidInput, "the list has more than 1000 sources"),
    ],
    ("PATCH", "/v1/claims/{claim_id}"): [
        Outcome(InvalidTransition, "the review state cannot go from its state to the one sent"),
    ],
    ("POST", "/v1/claims/{claim_id}/assign"): [
        Outcome(Forbidden, "a reviewer assigns to someone else, or takes a claim in review by "
                "someone else (an admin can)"),
        Outcome(InvalidTransition, "the claim is verified or dismissed: reopen it first"),
    ],
    ("GET", "/v1/claims/{claim_id}/claimreview"): [
        Outcome(ClaimNotVerified, "the claim is not verified yet"),
    ],
    ("POST", "/v1/webhooks"): [
        Outcome(WebhookTargetRefused, "the URL is not http(s), carries credentials, or names "
                "a host the service does not send to"),
    ],
}

# Success statuses a route answers beside the one it declares: (status, when).
ROUTE_SUCCESSES: dict[Route, list[tuple[int, str]]] = {
    ("POST", "/v1/articles/batch"): [
        (200, "Every article of the batch was refused: nothing was stored, each item has its "
              "problem."),
    ],
    ("POST", "/v1/sources"): [
        (200, "A list of sources was stored, or the one source's URL was known (updated or "
              "unchanged)."),
    ],
}


def document_api(app: FastAPI) -> None:
    """Make ``app.openapi()`` document problems, the bearer key and extra success statuses.

    FastAPI regenerates its schema when routes are added; each new schema is described once,
    so routes included after this call are covered too.
    """
    generate = app.openapi
    described: list[dict[str, Any]] = []

    def openapi() -> dict[str, Any]:
        schema = generate()
        if not described or described[0] is not schema:
            describe(app, schema)
            described[:] = [schema]
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def describe(app: FastAPI, schema: dict[str, Any]) -> None:
    """Add the problem responses of every route to a schema FastAPI generated."""
    components = schema.setdefault("components", {})
    _add_problem_schemas(components.setdefault("schemas", {}))
    paths = schema.get("paths", {})
    for route in api_routes(app):
        if not route.include_in_schema:
            continue
        for method in sorted(route.methods):
            operation = paths.get(route.path_format, {}).get(method.lower())
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            _drop_fastapi_422(responses)
            for status, outcomes in _by_status(route_problems(route, method, operation)):
                _add_problem_response(responses, status, outcomes)
            _add_successes(responses, ROUTE_SUCCESSES.get((method, route.path_format), []))
            operation["responses"] = dict(sorted(responses.items()))
            _describe_common_params(operation)
            if current_principal in _dependency_calls(route.dependant):
                _require_bearer(components, operation)
    _drop_unused_fastapi_schemas(schema)


def api_routes(app: FastAPI) -> Iterator[Any]:
    """The app's API routes as served: path, methods and dependencies of included routers."""
    contexts = getattr(routing, "iter_route_contexts", None)
    if contexts is None:  # a FastAPI that copies included routes into app.routes
        yield from (route for route in app.routes if isinstance(route, APIRoute))
        return
    for context in contexts(app.routes):
        if isinstance(context.original_route, APIRoute):
            yield context


def route_problems(route: Any, method: str, operation: dict[str, Any]) -> list[Outcome]:
    """Every problem ``method`` on ``route`` can answer, by the rules of the module doc."""
    calls = set(_dependency_calls(route.dependant))
    params = {(p["in"], p["name"].lower()) for p in operation.get("parameters", [])}
    body = "requestBody" in operation
    found: list[Outcome] = []
    if current_principal in calls:
        found.append(Outcome(Unauthorized, "no API key was sent, or it is unknown or revoked"))
    if any(_is_role_check(call) for call in calls):
        found.append(Outcome(Forbidden, "the key's role is below the one this needs"))
    if enforce_rate_limit in calls:
        found.append(Outcome(RateLimited, "the key made more requests than its role's rate "
                             "limit allows; retry after `Retry-After` seconds"))
    ids = sorted(name for where, name in params if where == "path")
    if ids:
        things = " or ".join(name.removesuffix("_id") for name in ids)
        found.append(Outcome(NotFound, f"no such {things} in the key's organisation"))
    if method not in _BODYLESS:
        found.append(Outcome(PayloadTooLarge, "the body is larger than the configured limit"))
    if require_json in calls:
        found.append(Outcome(UnsupportedMediaType, "the body is not sent as application/json"))
    if body:
        found.append(Outcome(MalformedJson, "the body does not parse as JSON"))
    elif method not in _BODYLESS:
        found.append(Outcome(MalformedJson, "a body sent as JSON is not UTF-8 (none is needed)"))
    if body or any(where in ("query", "header") for where, _ in params):
        found.append(Outcome(InvalidInput, "a parameter or a field of the body is not valid "
                             "(`errors` lists each one)"))
    if ("query", "cursor") in params:
        found.append(Outcome(InvalidCursor, "the cursor was not issued by this service"))
    if ("header", "idempotency-key") in params:
        found.append(Outcome(IdempotencyConflict, "the Idempotency-Key was used before with "
                             "another body"))
    if ("header", "if-match") in params:
        found.append(Outcome(StaleVersion, "If-Match is not the current version: someone else "
                             "changed it since it was read"))
        found.append(Outcome(PreconditionRequired, "the If-Match header is missing"))
    found += ROUTE_PROBLEMS.get((method, route.path_format), [])
    if get_session in calls:
        found.append(Outcome(DatabaseUnavailable, "the database did not answer; retry later"))
    if get_queue in calls:
        found.append(Outcome(QueueUnavailable, "the job queue did not answer; retry later"))
    found.append(Outcome(RequestTimedOut, "the request was not answered within the "
                         "service's request timeout"))
    return found


def _dependency_calls(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    """The callables a route depends on, its own and theirs, at any depth."""
    for sub in dependant.dependencies:
        if sub.call is not None:
            yield sub.call
        yield from _dependency_calls(sub)


def _is_role_check(call: Callable[..., Any]) -> bool:
    """A dependency made by ``require_role``."""
    return getattr(call, "__qualname__", "").startswith(f"{require_role.__qualname__}.")


def _by_status(outcomes: list[Outcome]) -> list[tuple[int, list[Outcome]]]:
    grouped: dict[int, list[Outcome]] = {}
    for outcome in outcomes:
        same = grouped.setdefault(CATALOGUE[outcome.error].status, [])
        if outcome not in same:
            same.append(outcome)
    return sorted(grouped.items())


def _add_problem_response(responses: dict[str, Any], status: int,
                          outcomes: list[Outcome]) -> None:
    lines = [f"{HTTPStatus(status).phrase}: a problem document, by `type`:", ""]
    for outcome in outcomes:
        kind = CATALOGUE[outcome.error]
        lines.append(f"- `{kind.uri}` ({kind.title}): {outcome.when}.")
    response = responses.setdefault(str(status), {})
    own = response.get("description")
    response["description"] = "\n".join([own, "", *lines] if own else lines)
    response.setdefault("content", {})[PROBLEM_JSON] = {"schema": {"$ref": PROBLEM_REF}}
    if status == CATALOGUE[RateLimited].status:
        response.setdefault("headers", {})["Retry-After"] = {
            "description": "Seconds to wait before the key may call again (at least 1).",
            "schema": {"type": "integer", "minimum": 1}}


def _add_successes(responses: dict[str, Any], successes: list[tuple[int, str]]) -> None:
    """Document other success statuses with the content of the declared one."""
    declared: dict[str, Any] = next(
        (r for s, r in sorted(responses.items()) if s.startswith("2")), {}
    )
    for status, when in successes:
        responses[str(status)] = {"description": when, **(
            {"content": declared["content"]} if "content" in declared else {}
        )}


def _drop_fastapi_422(responses: dict[str, Any]) -> None:
    """FastAPI's own 422 (``HTTPValidationError``): ours is a problem, added by the rules."""
    content = responses.get("422", {}).get("content", {})
    refs = [media.get("schema", {}).get("$ref", "") for media in content.values()]
    if any(ref.endswith(f"/{_FASTAPI_422[0]}") for ref in refs):
        del responses["422"]


def _describe_common_params(operation: dict[str, Any]) -> None:
    """Describe the parameters that mean the same on every route, unless the route did:
    path ids (``claim_id`` is the claim's id) and pagination (``cursor``, ``limit``)."""
    for param in operation.get("parameters", []):
        name, where = param["name"], param["in"]
        if param.get("description"):
            continue
        if where == "path" and name.endswith("_id"):
            param["description"] = f"The {name.removesuffix('_id')}'s id."
        elif (where, name) in _COMMON_PARAMS:
            param["description"] = _COMMON_PARAMS[where, name]


def _require_bearer(components: dict[str, Any], operation: dict[str, Any]) -> None:
    schemes = components.setdefault("securitySchemes", {})
    schemes.setdefault(BEARER, {"type": "http", "scheme": "bearer",
                                "description": "An API key: `Authorization: Bearer <key>`."})
    security = operation.setdefault("security", [])
    if {BEARER: []} not in security:
        security.append({BEARER: []})


def _add_problem_schemas(schemas: dict[str, Any]) -> None:
    problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(problem.pop("$defs", {}))
    schemas["Problem"] = problem


def _drop_unused_fastapi_schemas(schema: dict[str, Any]) -> None:
    schemas = schema.get("components", {}).get("schemas", {})
    for name in _FASTAPI_422:  # HTTPValidationError first: it refers to ValidationError
        kept = schemas.pop(name, None)
        if kept is not None and f'"#/components/schemas/{name}"' in json.dumps(schema):
            schemas[name] = kept
