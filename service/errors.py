"""The one catalogue of errors, rendered as RFC 9457 ``application/problem+json``.

Each class has a stable ``type`` URI; clients branch on it, never on wording.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import InterfaceError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

PROBLEM_JSON = "application/problem+json"
_BASE = "https://claimdesk.dev/problems/"
log = logging.getLogger(__name__)


class ClaimdeskError(Exception):
    """Base of every error the API reports."""

    type = _BASE + "internal"
    title = "Internal error"
    status = 500

    def __init__(self, detail: str | None = None, **extra: Any) -> None:
        super().__init__(detail or self.title)
        self.detail = detail
        self.extra = extra


class NotFound(ClaimdeskError):
    type, title, status = _BASE + "not-found", "Not found", 404


class Forbidden(ClaimdeskError):
    type, title, status = _BASE + "forbidden", "Forbidden", 403


class InvalidInput(ClaimdeskError):
    type, title, status = _BASE + "invalid-input", "Invalid input", 422


class EmptyText(InvalidInput):
    type, title = _BASE + "empty-text", "Article text is empty"


class BinaryText(InvalidInput):
    type, title = _BASE + "binary-text", "Article text is not readable text"


class UnsupportedLanguage(InvalidInput):
    type, title = _BASE + "unsupported-language", "Language not supported"


class MalformedJson(InvalidInput):
    type, title = _BASE + "malformed-json", "Request body is not valid JSON"


class InvalidCursor(InvalidInput):
    type, title = _BASE + "invalid-cursor", "Pagination cursor is not valid"


class IdempotencyConflict(ClaimdeskError):
    type, title, status = _BASE + "idempotency-conflict", "Idempotency key reused", 409


class StaleWrite(ClaimdeskError):
    type, title, status = _BASE + "stale-write", "Resource changed since it was read", 412


class PayloadTooLarge(ClaimdeskError):
    type, title, status = _BASE + "payload-too-large", "Request body too large", 413


class UnsupportedMediaType(ClaimdeskError):
    type, title, status = _BASE + "unsupported-media-type", "Unsupported content type", 415


class DatabaseUnavailable(ClaimdeskError):
    type, title, status = _BASE + "database-unavailable", "Database unavailable", 503


class MethodNotAllowed(ClaimdeskError):
    type, title, status = _BASE + "method-not-allowed", "Method not allowed", 405


def problem_response(error: ClaimdeskError, instance: str | None = None) -> JSONResponse:
    """Render one error as a problem document."""
    body: dict[str, Any] = {"type": error.type, "title": error.title, "status": error.status}
    if error.detail:
        body["detail"] = error.detail
    if instance:
        body["instance"] = instance
    body.update(error.extra)
    return JSONResponse(body, status_code=error.status, media_type=PROBLEM_JSON)


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


_HTTP_STATUS: dict[int, type[ClaimdeskError]] = {
    404: NotFound, 405: MethodNotAllowed, 413: PayloadTooLarge, 415: UnsupportedMediaType,
}


def register_problem_handlers(app: FastAPI) -> None:
    """Route our errors, FastAPI's own 404/405/422 and database outages through one renderer."""

    @app.exception_handler(ClaimdeskError)
    async def _ours(request: Request, exc: ClaimdeskError) -> JSONResponse:
        return problem_response(exc, request.url.path)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        return _validation_problem(request, exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        cls = _HTTP_STATUS.get(exc.status_code, ClaimdeskError)
        error = cls(str(exc.detail) if exc.detail else None)
        if cls is ClaimdeskError:
            error.status = exc.status_code
        return problem_response(error, request.url.path)

    @app.exception_handler(OperationalError)
    @app.exception_handler(InterfaceError)
    async def _database(request: Request, exc: Exception) -> JSONResponse:
        log.warning("database error on %s: %s", request.url.path, exc)
        return problem_response(DatabaseUnavailable("the database did not answer; retry later"),
                                request.url.path)
