"""A real HTTP server that plays a newsroom tool's webhook endpoint in tests."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.support.servers import free_port


@dataclass(frozen=True)
class Received:
    """One request as the endpoint saw it."""

    at: float  # time.monotonic() when it arrived
    path: str
    headers: dict[str, str]
    body: bytes


class Receiver:
    """Answers POSTs with ``statuses`` in turn (the last one repeats) and records each one."""

    def __init__(self, statuses: Sequence[int]) -> None:
        self._statuses = list(statuses)
        self._lock = threading.Lock()
        self.requests: list[Received] = []
        self.url = ""

    def answer(self, received: Received) -> int:
        with self._lock:
            self.requests.append(received)
            return self._statuses.pop(0) if len(self._statuses) > 1 else self._statuses[0]


@contextmanager
def webhook_receiver(statuses: Sequence[int] = (204,)) -> Iterator[Receiver]:
    """A ThreadingHTTPServer on 127.0.0.1 and a free port, serving ``Receiver`` at ``/hook``."""
    receiver = Receiver(statuses)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            status = receiver.answer(Received(at=time.monotonic(), path=self.path,
                                              headers=dict(self.headers.items()), body=body))
            self.send_response(status)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:  # quiet
            return

    port = free_port()
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    receiver.url = f"http://127.0.0.1:{port}/hook"
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
