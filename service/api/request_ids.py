"""ASGI middleware: a request id for every request, and one access log line carrying it.

The id is the client's ``X-Request-ID`` when it is short and plain (``service.logs``), else a
new ``req_...``; it is answered in ``X-Request-ID`` and set as the log context while the
request runs, so the lines the request logs, and those of the jobs it queues, carry it.
"""

from __future__ import annotations

import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.logs import log_context, new_request_id, sane_request_id

HEADER = "X-Request-ID"
# Probes and scrapes: logged at DEBUG, so a probe every few seconds does not fill the log.
QUIET_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
access_log = logging.getLogger("claimdesk.access")


class RequestIds:
    """Set the request id, answer it in ``X-Request-ID``, log the request when it ends."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = sane_request_id(_header(scope, b"x-request-id")) or new_request_id()
        status = 500
        began = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []),
                                      (b"x-request-id", request_id.encode())]
            await send(message)

        with log_context(request_id=request_id):
            try:
                await self.app(scope, receive, send_with_id)
            finally:
                _log_access(scope, status, time.perf_counter() - began)


def _log_access(scope: Scope, status: int, seconds: float) -> None:
    path = scope.get("path", "")
    level = logging.DEBUG if path in QUIET_PATHS and status < 400 else logging.INFO
    access_log.log(level, "%s %s %d %.1f ms", scope.get("method", ""), path, status,
                   seconds * 1000, extra={"method": scope.get("method"), "path": path,
                                          "status": status,
                                          "duration_ms": round(seconds * 1000, 1)})


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return bytes(value).decode("latin-1")
    return None
