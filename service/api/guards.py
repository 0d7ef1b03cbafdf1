"""ASGI middleware that turns away input no route could use, before a route runs.

- ``UnstorablePaths``: a path with NUL (``%00``) names nothing: 404. Ids in paths go
  straight to lookups, and PostgreSQL cannot even compare text holding NUL. (A lone
  surrogate cannot reach a path: servers decode ``%ED%A0%80`` to U+FFFD.)
- ``Utf8JsonBodies``: a JSON body must be UTF-8 (RFC 8259 8.1): anything else is the 422
  ``malformed-json``. Python's JSON reader would guess UTF-16 or UTF-32 from the first
  bytes, and read encoded surrogates (``\\xed\\xa0\\x80``) as text; the service reads one
  encoding only. It sits inside ``BodySizeLimit``, so it only ever holds a body under the
  limit.
"""

from __future__ import annotations

from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from schemas.fields import unstorable
from service.api.problems import MalformedJson, problem_response
from service.store.errors import NotFound

_BODYLESS = frozenset({"GET", "HEAD", "OPTIONS"})


class UnstorablePaths:
    """Answer 404 (``not-found``) for a path with NUL or a lone surrogate in it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if unstorable(path) is None:
            await self.app(scope, receive, send)
            return
        error = NotFound("nothing here: the path holds a character no id has")
        await problem_response(error, None)(scope, receive, send)


class Utf8JsonBodies:
    """Answer 422 (``malformed-json``) for a JSON body that is not UTF-8."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] != "http" or scope["method"] in _BODYLESS
                or not _is_json(_header(scope, b"content-type"))):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        try:
            body.decode("utf-8")
        except UnicodeDecodeError as bad:
            error = MalformedJson(f"the body is not valid JSON: it is not UTF-8 text (byte "
                                  f"0x{body[bad.start]:02x} at position {bad.start})")
            await problem_response(error, scope.get("path"))(scope, receive, send)
            return
        await self.app(scope, _replay(body, receive), send)


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return ""


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            message: dict[str, Any] = {"type": "http.request", "body": body, "more_body": False}
            return message
        return await receive()

    return replay
