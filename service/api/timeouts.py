"""ASGI middleware: a request not answered within ``request_timeout`` seconds gets a 503.

The clock runs from the first byte of the request to the first byte of the answer, reading
the body included, so a client that trickles its body is cut off too. An answer that has
started in time (a streamed export) is left to finish. When time is up the request's task is
cancelled and a ``request-timeout`` problem is sent; whatever the route sends later is
dropped. A route that runs in the thread pool (every ``def`` route) cannot be interrupted:
its thread runs on to the end, so its work (an article stored, say) may still happen; a
client retrying a POST sends its ``Idempotency-Key``. Database statements have their own
limit (``database_statement_timeout``, PostgreSQL; SQLite waits at most 30 s for a lock).
Runs on asyncio, as uvicorn does.
"""

from __future__ import annotations

import asyncio
import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.api.problems import RequestTimedOut, problem_response

log = logging.getLogger(__name__)


class RequestTimeout:
    """Answer 503 ``request-timeout`` when the app has not started its answer in ``seconds``."""

    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app = app
        self.seconds = seconds
        self._abandoned: set[asyncio.Task[None]] = set()  # still running after their 503

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.seconds <= 0:
            await self.app(scope, receive, send)
            return
        started = timed_out = False

        async def guarded(message: Message) -> None:
            nonlocal started
            if timed_out:
                return  # the client has had its 503
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        task = asyncio.ensure_future(self.app(scope, receive, guarded))
        done, _ = await asyncio.wait({task}, timeout=self.seconds)
        if done or started:
            await task
            return
        timed_out = True
        self._abandon(task, scope.get("path", ""))
        error = RequestTimedOut(f"the request was not answered within {self.seconds:g} s; "
                                "retry later", timeout_seconds=self.seconds)
        await problem_response(error, scope.get("path"))(scope, receive, send)

    def _abandon(self, task: asyncio.Task[None], path: str) -> None:
        """Cancel the late request (a thread-pool route finishes anyway) and log its end."""
        log.warning("request to %s not answered within %g s: 503 sent", path, self.seconds)
        self._abandoned.add(task)
        task.add_done_callback(self._finished)
        task.cancel()

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._abandoned.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.warning("a request answered 503 after its timeout then failed: %r",
                        task.exception())
