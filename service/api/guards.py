"""What the input guard layer (``service.api.middleware.InputGuards``) answers for input no
route could use, before a route runs.

- A path with NUL (``%00``) names nothing: 404. Ids in paths go straight to lookups, and
  PostgreSQL cannot even compare text holding NUL. (A lone surrogate cannot reach a path:
  servers decode ``%ED%A0%80`` to U+FFFD.)
- A JSON body must be UTF-8 (RFC 8259 8.1): anything else is the 422 ``malformed-json``.
  Python's JSON reader would guess UTF-16 or UTF-32 from the first bytes, and read encoded
  surrogates (``\\xed\\xa0\\x80``) as text; the service reads one encoding only.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from service.api.problems import MalformedJson, problem_response
from service.store.errors import NotFound


async def unstorable_path(scope: Scope, receive: Receive, send: Send) -> None:
    """The 404 of a path with a character no id has."""
    error = NotFound("nothing here: the path holds a character no id has")
    await problem_response(error, None)(scope, receive, send)


def not_utf8_json(scope: Scope, body: bytes) -> ASGIApp | None:
    """The 422 answer for a JSON body (by its Content-Type) that is not UTF-8; None when the
    body is not JSON or is UTF-8."""
    if not is_json(_header(scope, b"content-type")):
        return None
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as bad:
        error = MalformedJson(f"the body is not valid JSON: it is not UTF-8 text (byte "
                              f"0x{body[bad.start]:02x} at position {bad.start})")
        return problem_response(error, scope.get("path"))
    return None


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return ""


def media_type(content_type: str | None) -> str:
    """``application/json`` of ``Application/JSON; charset=utf-8``."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def is_json(content_type: str | None) -> bool:
    """A JSON body by its Content-Type (``application/json`` or any ``+json``)."""
    media = media_type(content_type)
    return media == "application/json" or media.endswith("+json")
