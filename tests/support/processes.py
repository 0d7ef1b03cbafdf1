"""Real ``claimdesk`` processes for fault tests: workers and servers as subprocesses, and
waiting on them with a deadline."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import httpx
from rq import Queue, Worker

from service.processes import command_line, process_alive
from service.store.settings import Settings
from tests.support.servers import free_port

T = TypeVar("T")
# Faster to start and to retry in tests; the rest comes from the test's settings.
FAST = {"CLAIMDESK_SEMANTIC_RERANK": "false", "CLAIMDESK_LOG_FORMAT": "text"}


def wait_for(check: Callable[[], T], *, timeout: float, what: str, every: float = 0.1) -> T:
    """``check()``'s first truthy answer within ``timeout`` seconds; fails saying ``what``."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        assert time.monotonic() < deadline, f"{what} (waited {timeout:.0f} s)"
        time.sleep(every)


def service_env(settings: Settings, **extra: str) -> dict[str, str]:
    """The environment that points a ``claimdesk`` process at the test's Redis and database."""
    env = os.environ | FAST
    env |= {"REDIS_URL": settings.redis_url or "",
            "DATABASE_URL": settings.resolved_database_url(),
            "CLAIMDESK_DATA_DIR": str(settings.data_dir)}
    return env | extra


@contextmanager
def worker_process(settings: Settings, log: Path, **env: str) -> Iterator[subprocess.Popen[str]]:
    """``claimdesk worker`` in a subprocess, yielded once it listens on the queue; killed (its
    process group too) when the block ends."""
    with open(log, "a", encoding="utf-8") as out:
        process = subprocess.Popen([sys.executable, "-m", "service.cli", "worker"],
                                   env=service_env(settings, **env), stdout=out,
                                   stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        wait_until_listening(settings, process, log)
        yield process
    finally:
        kill_group(process)


def wait_until_listening(settings: Settings, process: subprocess.Popen[str], log: Path,
                         timeout: float = 60) -> None:
    from service.store.queue import connect_redis

    queue = Queue(settings.queue_name, connection=connect_redis(settings.redis_url or ""))

    def listening() -> bool:
        assert process.poll() is None, f"the worker exited: {log.read_text()[-3000:]}"
        return any(w.pid == process.pid for w in Worker.all(queue=queue))

    wait_for(listening, timeout=timeout, what="the worker did not start", every=0.2)


def kill_group(process: subprocess.Popen[str]) -> None:
    """The process and whatever it left in its process group, killed and reaped."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=10)


def gone(pid: int) -> bool:
    return not process_alive(pid)


def children(pid: int) -> dict[int, str]:
    """Direct children of ``pid``: pid -> full command line, read from /proc.

    Not ``ps``: piped, it cuts ``args`` at the terminal's width (80 columns where COLUMNS
    says so), and a long install path then hides the ``redis-server`` at its end.
    """
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # "pid (comm) state ppid ...": comm may hold spaces and parentheses.
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[1]) == pid:
            found[int(entry.name)] = command_line(int(entry.name))
    return found


class ServeProcess:
    """``claimdesk serve`` in a subprocess: its output collected, the admin key it prints."""

    def __init__(self, env: dict[str, str], *, workers: int | None = None) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        command = [sys.executable, "-m", "service.cli", "serve", "--port", str(self.port)]
        if workers is not None:
            command += ["--workers", str(workers)]
        self.process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True,
                                        start_new_session=True)
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.process.stdout or []:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_until_up(self, timeout: float = 60) -> None:
        def up() -> bool:
            assert self.process.poll() is None, f"claimdesk serve exited: {self.output[-3000:]}"
            try:
                return httpx.get(self.base + "/healthz", timeout=1).status_code == 200
            except httpx.HTTPError:
                return False

        wait_for(up, timeout=timeout, what="claimdesk serve did not come up", every=0.2)

    def admin_key(self) -> str:
        return next(line.strip() for line in self.lines if line.startswith("cdk_"))

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.base, timeout=10,
                            headers={"Authorization": f"Bearer {self.admin_key()}"})

    def close(self) -> None:
        kill_group(self.process)
