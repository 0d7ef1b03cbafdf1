"""ASGI middleware: refuse bodies over the size limit before anything parses them.

``InputGuards`` is the one layer the app runs: the size limit of ``BodySizeLimit`` (413),
then a path no id has (404), then a JSON body that is not UTF-8 (422; both answers from
``service.api.guards``), reading the body once.
"""

from __future__ import annotations

from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from schemas.fields import unstorable
from service.api.guards import not_utf8_json, unstorable_path
from service.api.problems import PayloadTooLarge, problem_response

_BODYLESS = frozenset({"GET", "HEAD", "OPTIONS"})


class BodySizeLimit:
    """Answer 413 when Content-Length or the streamed body exceeds ``max_bytes`` (or, for a
    path in ``by_path``, that path's own limit: a batch of articles is larger than one)."""

    def __init__(self, app: ASGIApp, max_bytes: int,
                 by_path: dict[str, int] | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.by_path = by_path or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in _BODYLESS:
            await self.app(scope, receive, send)
            return
        body = await self._read(scope, receive, send)
        if body is not None:
            await self.app(scope, _replay(body, receive), send)

    async def _read(self, scope: Scope, receive: Receive, send: Send) -> bytes | None:
        """The whole body, or None once a 413 was sent."""
        limit = self.by_path.get(scope.get("path", ""), self.max_bytes)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await self._refuse(scope, receive, send, limit)
            return None
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await self._refuse(scope, receive, send, limit)
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        error = PayloadTooLarge(f"the body is larger than {limit} bytes", max_bytes=limit)
        await problem_response(error, scope.get("path"))(scope, receive, send)


class InputGuards(BodySizeLimit):
    """The size limit (413), then a path no id has (404), then a JSON body not UTF-8 (422)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        if scope["method"] in _BODYLESS:
            if unstorable(path) is not None:
                await unstorable_path(scope, receive, send)
                return
            await self.app(scope, receive, send)
            return
        body = await self._read(scope, receive, send)
        if body is None:
            return
        if unstorable(path) is not None:
            await unstorable_path(scope, receive, send)
            return
        refused = not_utf8_json(scope, body)
        if refused is not None:
            await refused(scope, receive, send)
            return
        await self.app(scope, _replay(body, receive), send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


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
