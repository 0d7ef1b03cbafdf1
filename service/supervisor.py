"""Worker processes ``claimdesk serve`` supervises, and the API server it runs.

Everything ``claimdesk serve`` starts ends with it, and it stops them in order: on SIGTERM or
SIGINT the workers are told to finish their jobs at once (``run_api``'s ``on_stop``), the API
stops taking requests, the workers get until the grace's end (``shutdown_grace``), and the
embedded Redis (``service.embedded``) stops last.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from service.processes import die_with_parent, load_prctl
from service.store.settings import Settings

log = logging.getLogger(__name__)
SUPERVISOR_MARGIN = 1.5  # seconds of the grace serve keeps after its workers' own


def worker_environment(settings: Settings) -> dict[str, str]:
    """The environment a worker process needs to reach the same Redis and database; its
    shutdown grace leaves serve ``SUPERVISOR_MARGIN`` seconds of its own."""
    env = dict(os.environ)
    env["REDIS_URL"] = settings.redis_url or ""
    env["DATABASE_URL"] = settings.resolved_database_url()
    env["CLAIMDESK_DATA_DIR"] = str(settings.data_dir.resolve())
    env["CLAIMDESK_SHUTDOWN_GRACE"] = str(max(0.0, settings.shutdown_grace - SUPERVISOR_MARGIN))
    if settings.spacy_model:
        env["CLAIMDESK_SPACY_MODEL"] = settings.spacy_model
    return env


class WorkerSupervisor:
    """Keeps ``count`` ``claimdesk worker`` processes alive, restarting any that exit.

    Workers get a process group of their own (a terminal's Ctrl-C reaches serve only, which
    asks them once) and SIGTERM should serve die. The watching thread forks the replacements
    and so lives until every worker is gone: the kernel's parent-death signal follows the
    thread that forked.
    """

    def __init__(self, settings: Settings, count: int, *, check_every: float = 1.0) -> None:
        self._env = worker_environment(settings)
        self._count = count
        self._check_every = check_every
        self._grace = settings.shutdown_grace
        self.processes: list[subprocess.Popen[bytes]] = []
        self.restarts = 0
        self._lock = threading.RLock()
        self._stopping = threading.Event()
        self._finished = threading.Event()
        self._deadline = 0.0
        self._thread = threading.Thread(target=self._watch, name="worker-supervisor", daemon=True)

    def _spawn(self) -> subprocess.Popen[bytes]:
        return subprocess.Popen([sys.executable, "-m", "service.cli", "worker"], env=self._env,
                                process_group=0,
                                preexec_fn=partial(die_with_parent, signal.SIGTERM,
                                                   parent=os.getpid()))

    def start(self) -> None:
        load_prctl()
        with self._lock:
            self.processes = [self._spawn() for _ in range(self._count)]
        self._thread.start()

    def _watch(self) -> None:
        while not self._finished.wait(self._check_every):
            with self._lock:
                if self._stopping.is_set():
                    continue
                for index, process in enumerate(self.processes):
                    if process.poll() is not None:
                        log.warning("worker %d exited with %s; restarting", process.pid,
                                    process.returncode)
                        self.processes[index] = self._spawn()
                        self.restarts += 1

    def begin_stop(self) -> None:
        """Ask every worker to finish its job and exit (SIGTERM: RQ's warm shutdown); returns
        at once, so a signal handler may call it."""
        with self._lock:
            if self._stopping.is_set():
                return
            self._stopping.set()
            self._deadline = time.monotonic() + self._grace - SUPERVISOR_MARGIN / 3
            for process in self.processes:
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)

    def stop(self, timeout: float | None = None) -> list[int]:
        """Stop the workers (``begin_stop`` unless done), wait for them until the grace is
        nearly over (or ``timeout`` seconds), kill those still running; their pids."""
        self.begin_stop()
        deadline = self._deadline if timeout is None else time.monotonic() + timeout
        killed = []
        for process in self.processes:
            try:
                process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log.warning("worker %d did not stop within the grace; killing it", process.pid)
                process.kill()
                process.wait()
                killed.append(process.pid)
        self._finished.set()
        if self._thread.is_alive():
            self._thread.join(timeout=2)
        return killed


def run_api(app: Any, *, on_stop: Callable[[], None], **options: Any) -> None:
    """``uvicorn.run(app, **options)``, calling ``on_stop`` the moment SIGTERM or SIGINT
    arrives (from the signal handler: it must return at once), before uvicorn's own shutdown.
    Exits with status 3 when the server could not start, as ``uvicorn.run`` does."""
    import uvicorn

    class Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: Any) -> None:
            if not self.should_exit:
                on_stop()
            super().handle_exit(sig, frame)

    config = uvicorn.Config(app, **options)
    server = Server(config)
    server.run()
    if not server.started:
        sys.exit(3)
