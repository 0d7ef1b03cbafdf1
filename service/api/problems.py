"""The one catalogue of problem types: every error the API reports, as RFC 9457 JSON.

The store and intake raise plain exceptions (``service.store.errors``); the errors only HTTP
can meet (body size, content type, JSON syntax, database outage) are defined here. Each class
maps to a stable ``type`` URI: clients branch on it, never on wording.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request, routing
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from redis.exceptions import RedisError
from sqlalchemy.exc import DataError, InterfaceError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from service.api.validation import describe, field_errors
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
    StoreError,
    UnsupportedLanguage,
    WebhookTargetRefused,
)

PROBLEM_JSON = "application/problem+json"
_BASE = "https://claimdesk.dev/problems/"
log = logging.getLogger(__name__)


class HttpError(Exception):
    """An error only the HTTP layer meets; ``detail`` and ``extra`` as in ``StoreError``."""

    headers: dict[str, str] = {}

    def __init__(self, detail: str | None = None, **extra: Any) -> None:
        super().__init__(detail or type(self).__name__)
        self.detail = detail
        self.extra = extra


class Unauthorized(HttpError):
    """No API key, or one that is unknown or revoked."""

    headers = {"WWW-Authenticate": 'Bearer realm="claimdesk"'}


class PreconditionRequired(HttpError):
    """A write that must name the version it changes (``If-Match``) did not."""


class MalformedJson(HttpError):
    """The body does not parse as JSON (or is not UTF-8, or is nested too deeply to parse)."""


class BadRequest(HttpError):
    """A request the server could not read at all (a form body that does not parse)."""


class PayloadTooLarge(HttpError):
    """The body is over ``max_body_bytes``."""


class UnsupportedMediaType(HttpError):
    """The body is not sent as JSON."""


class MethodNotAllowed(HttpError):
    """The path exists, the method does not."""


class DatabaseUnavailable(HttpError):
    """The database did not answer."""


class QueueUnavailable(HttpError):
    """Redis did not answer, and the request is nothing but a job to queue."""


class RateLimited(HttpError):
    """The key used up the requests its role may make (``service.api.ratelimit``)."""

    def __init__(self, detail: str | None = None, *, retry_after: int, **extra: Any) -> None:
        super().__init__(detail, retry_after=retry_after, **extra)
        self.headers = {"Retry-After": str(retry_after)}


class RequestTimedOut(HttpError):
    """The request was not answered within ``request_timeout`` (``service.api.timeouts``)."""


@dataclass(frozen=True)
class ProblemType:
    slug: str
    title: str
    status: int

    @property
    def uri(self) -> str:
        return _BASE + self.slug


INTERNAL = ProblemType("internal", "Internal error", 500)
CATALOGUE: dict[type[Exception], ProblemType] = {
    NotFound: ProblemType("not-found", "Not found", 404),
    Unauthorized: ProblemType("unauthorized", "API key missing or not valid", 401),
    Forbidden: ProblemType("forbidden", "Not allowed for this key's role", 403),
    InvalidTransition: ProblemType("invalid-transition", "Review state change not allowed",
                                   409),
    StaleVersion: ProblemType("stale-version", "Someone else changed this claim", 412),
    PreconditionRequired: ProblemType("if-match-required", "If-Match header required", 428),
    InvalidInput: ProblemType("invalid-input", "Invalid input", 422),
    EmptyText: ProblemType("empty-text", "Article text is empty", 422),
    BinaryText: ProblemType("binary-text", "Article text is not readable text", 422),
    UnsupportedLanguage: ProblemType("unsupported-language", "Language not supported", 422),
    InvalidCursor: ProblemType("invalid-cursor", "Pagination cursor is not valid", 422),
    WebhookTargetRefused: ProblemType("webhook-target-refused",
                                      "Webhook URL not allowed", 422),
    MalformedJson: ProblemType("malformed-json", "Request body is not valid JSON", 422),
    BadRequest: ProblemType("bad-request", "Request not understood", 400),
    IdempotencyConflict: ProblemType("idempotency-conflict", "Idempotency key reused", 409),
    ArticleNotProcessed: ProblemType("article-not-processed", "Article not processed yet", 409),
    ClaimNotVerified: ProblemType("claim-not-verified", "Claim not verified yet", 409),
    PayloadTooLarge: ProblemType("payload-too-large", "Request body too large", 413),
    UnsupportedMediaType: ProblemType("unsupported-media-type", "Unsupported content type",
                                      415),
    MethodNotAllowed: ProblemType("method-not-allowed", "Method not allowed", 405),
    DatabaseUnavailable: ProblemType("database-unavailable", "Database unavailable", 503),
    QueueUnavailable: ProblemType("queue-unavailable", "Job queue unavailable", 503),
    RateLimited: ProblemType("rate-limited", "Too many requests", 429),
    RequestTimedOut: ProblemType("request-timeout", "Request took too long", 503),
    ArticleTooLong: ProblemType("article-too-long", "Article too long", 422),
}


def problem_type(error: Exception) -> ProblemType:
    """The catalogue entry of ``error``'s class or of its nearest catalogued base."""
    for cls in type(error).__mro__:
        if cls in CATALOGUE:
            return CATALOGUE[cls]
    return INTERNAL


def problem_document(error: StoreError | HttpError, instance: str | None = None,
                     kind: ProblemType | None = None) -> dict[str, Any]:
    """One error as a problem document's members (a batch lists one per refused item)."""
    kind = kind or problem_type(error)
    body: dict[str, Any] = {"type": kind.uri, "title": kind.title, "status": kind.status}
    if error.detail:
        body["detail"] = error.detail
    if instance:
        body["instance"] = instance
    body.update(error.extra)
    return body


def problem_response(error: StoreError | HttpError, instance: str | None = None,
                     kind: ProblemType | None = None) -> JSONResponse:
    """Render one error as a problem document."""
    kind = kind or problem_type(error)
    body = problem_document(error, instance, kind)
    headers = getattr(error, "headers", None) or None
    return JSONResponse(body, status_code=kind.status, media_type=PROBLEM_JSON, headers=headers)


def _validation_problem(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = exc.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        reason = errors[0].get("ctx", {}).get("error", "JSON decode error")
        return problem_response(MalformedJson(f"the body is not valid JSON: {reason}"),
                                request.url.path)
    fields = field_errors(errors, exc.body)
    detail = describe(fields[0]) if fields else "invalid request"
    return problem_response(InvalidInput(detail, errors=fields), request.url.path)


_HTTP_STATUS: dict[int, type[HttpError | StoreError]] = {
    400: BadRequest, 404: NotFound, 405: MethodNotAllowed, 413: PayloadTooLarge,
    415: UnsupportedMediaType,
}


def _http_problem(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    """Starlette's own errors (unknown path, wrong method): catalogued, or their status.

    Their headers are kept; a 405 lists in ``Allow`` every method the path has.
    """
    detail = str(exc.detail) if exc.detail else None
    cls = _HTTP_STATUS.get(exc.status_code)
    error: HttpError | StoreError
    kind = None
    if exc.status_code == 400 and (unreadable := _unreadable_json(request, exc.__cause__)):
        error = MalformedJson(f"the body is not valid JSON: {unreadable}")
    elif cls is not None:
        error = cls(detail)
    else:
        error, kind = HttpError(detail), ProblemType(INTERNAL.slug, INTERNAL.title,
                                                     exc.status_code)
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = ", ".join(sorted(allowed_methods(request))) or headers.get("Allow", "")
    response = problem_response(error, request.url.path, kind)
    response.headers.update(headers)
    return response


def _unreadable_json(request: Request, cause: BaseException | None) -> str | None:
    """Why FastAPI could not parse a JSON body (its 400), or None for another cause."""
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media != "application/json" and not media.endswith("+json"):
        return None
    if isinstance(cause, UnicodeDecodeError):
        return (f"it is not UTF-8 text (byte 0x{cause.object[cause.start]:02x} at position "
                f"{cause.start})")
    if isinstance(cause, RecursionError):
        return "it is nested too deeply"
    if isinstance(cause, ValueError):  # an integer with more digits than Python converts
        reason = str(cause).split(":", 1)[0]
        return reason[:1].lower() + reason[1:]
    return None


def allowed_methods(request: Request) -> set[str]:
    """Every method some route serves on the request's path."""
    contexts = getattr(routing, "iter_route_contexts", None)
    routes = contexts(request.app.routes) if contexts else request.app.routes
    path = request.scope.get("path", "")
    methods: set[str] = set()
    for route in routes:
        regex = getattr(route, "path_regex", None)
        if regex is not None and regex.match(path):
            methods |= set(getattr(route, "methods", None) or ())
    return methods


def register_problem_handlers(
        app: FastAPI, *, not_found_page: Callable[[str], Response | None] | None = None) -> None:
    """Route our errors, FastAPI's own 404/405/422 and outages through one renderer.

    ``not_found_page(path)``, when given, may answer an unknown path with a page of its own
    (the review pages' HTML 404) instead of a problem document."""

    @app.exception_handler(StoreError)
    @app.exception_handler(HttpError)
    async def _ours(request: Request, exc: StoreError | HttpError) -> JSONResponse:
        return problem_response(exc, request.url.path)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        return _validation_problem(request, exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404 and not_found_page is not None:
            page = not_found_page(request.url.path)
            if page is not None:
                return page
        return _http_problem(request, exc)

    @app.exception_handler(OperationalError)
    @app.exception_handler(InterfaceError)
    async def _database(request: Request, exc: Exception) -> JSONResponse:
        log.warning("database error on %s: %s", request.url.path, exc)
        return problem_response(DatabaseUnavailable("the database did not answer; retry later"),
                                request.url.path)

    @app.exception_handler(RedisError)
    async def _queue(request: Request, exc: Exception) -> JSONResponse:
        log.warning("redis error on %s: %s", request.url.path, exc)
        return problem_response(QueueUnavailable("the job queue did not answer; retry later"),
                                request.url.path)

    @app.exception_handler(DataError)
    async def _unstorable(request: Request, exc: Exception) -> JSONResponse:
        """The last net under the schemas' checks: a value the database refuses to store
        (text with NUL in PostgreSQL, a number out of a column's range) is the request's."""
        reason = str(getattr(exc, "orig", exc)).split("\n", 1)[0]
        log.warning("database refused a value on %s: %s", request.url.path, reason)
        return problem_response(InvalidInput(f"a value cannot be stored: {reason}"),
                                request.url.path)

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception) -> JSONResponse:
        """Anything else is our bug: a problem document all the same (the error is logged
        and raised on by Starlette's ServerErrorMiddleware)."""
        return problem_response(HttpError("the service failed; the error is logged"),
                                request.url.path, INTERNAL)
