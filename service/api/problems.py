"""The one catalogue of problem types: every error the API reports, as RFC 9457 JSON.

The store and intake raise plain exceptions (``service.store.errors``); the errors only HTTP
can meet (body size, content type, JSON syntax, database outage) are defined here. Each class
maps to a stable ``type`` URI: clients branch on it, never on wording.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from redis.exceptions import RedisError
from sqlalchemy.exc import InterfaceError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from service.store.errors import (
    ArticleNotProcessed,
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
    """The body does not parse as JSON."""


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
    IdempotencyConflict: ProblemType("idempotency-conflict", "Idempotency key reused", 409),
    ArticleNotProcessed: ProblemType("article-not-processed", "Article not processed yet", 409),
    ClaimNotVerified: ProblemType("claim-not-verified", "Claim not verified yet", 409),
    PayloadTooLarge: ProblemType("payload-too-large", "Request body too large", 413),
    UnsupportedMediaType: ProblemType("unsupported-media-type", "Unsupported content type",
                                      415),
    MethodNotAllowed: ProblemType("method-not-allowed", "Method not allowed", 405),
    DatabaseUnavailable: ProblemType("database-unavailable", "Database unavailable", 503),
    QueueUnavailable: ProblemType("queue-unavailable", "Job queue unavailable", 503),
}


def problem_type(error: Exception) -> ProblemType:
    """The catalogue entry of ``error``'s class or of its nearest catalogued base."""
    for cls in type(error).__mro__:
        if cls in CATALOGUE:
            return CATALOGUE[cls]
    return INTERNAL


def problem_response(error: StoreError | HttpError, instance: str | None = None,
                     kind: ProblemType | None = None) -> JSONResponse:
    """Render one error as a problem document."""
    kind = kind or problem_type(error)
    body: dict[str, Any] = {"type": kind.uri, "title": kind.title, "status": kind.status}
    if error.detail:
        body["detail"] = error.detail
    if instance:
        body["instance"] = instance
    body.update(error.extra)
    headers = getattr(error, "headers", None) or None
    return JSONResponse(body, status_code=kind.status, media_type=PROBLEM_JSON, headers=headers)


def _validation_problem(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = exc.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        reason = errors[0].get("ctx", {}).get("error", "JSON decode error")
        return problem_response(MalformedJson(f"the body is not valid JSON: {reason}"),
                                request.url.path)
    fields = [
        {"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))} for e in errors
    ]
    return problem_response(InvalidInput(_first_message(errors), errors=fields), request.url.path)


def _first_message(errors: Any) -> str:
    if not errors:
        return "invalid request"
    first = errors[0]
    where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
    message = str(first.get("msg", "invalid value")).removeprefix("Value error, ")
    return f"{where}: {message}" if where else message


_HTTP_STATUS: dict[int, type[HttpError | StoreError]] = {
    404: NotFound, 405: MethodNotAllowed, 413: PayloadTooLarge, 415: UnsupportedMediaType,
}


def _http_problem(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    """Starlette's own errors (unknown path, wrong method): catalogued, or their status."""
    cls = _HTTP_STATUS.get(exc.status_code)
    if cls is not None:
        return problem_response(cls(str(exc.detail) if exc.detail else None), request.url.path)
    kind = ProblemType(INTERNAL.slug, INTERNAL.title, exc.status_code)
    return problem_response(HttpError(str(exc.detail) if exc.detail else None),
                            request.url.path, kind)


def register_problem_handlers(app: FastAPI) -> None:
    """Route our errors, FastAPI's own 404/405/422 and outages through one renderer."""

    @app.exception_handler(StoreError)
    @app.exception_handler(HttpError)
    async def _ours(request: Request, exc: StoreError | HttpError) -> JSONResponse:
        return problem_response(exc, request.url.path)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        return _validation_problem(request, exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
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
