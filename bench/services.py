"""Processes the service benches start and stop: redis-server, a scratch PostgreSQL database,
``claimdesk serve``, ``claimdesk worker``; and what they cost (CPU time, peak RSS from /proc).

Everything listens on 127.0.0.1 and is stopped by the context managers that started it.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (all its threads) so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def cpu_seconds_with_children(pid: int) -> float:
    """User + system CPU time of a process and of its children that have ended (work horses)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(f) for f in fields[11:15]) / CLOCK_TICKS


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident set (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def children(pid: int) -> list[int]:
    """Direct children of a process (a worker's work horse, its scheduler)."""
    found = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            try:
                found.extend(int(c) for c in (task / "children").read_text().split())
            except OSError:  # the thread ended meanwhile
                pass
    except OSError:
        pass
    return found


def wait_for_port(port: int, timeout: float = 60.0, process: subprocess.Popen | None = None,
                  path: str = "/healthz") -> None:
    """Until ``GET path`` answers 200 on 127.0.0.1:port."""
    deadline = time.monotonic() + timeout
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise SystemExit(f"process {process.args} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                sock.sendall(request)
                if sock.recv(64).startswith(b"HTTP/1.1 200"):
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"nothing answered on port {port}")


@contextmanager
def redis_server() -> Iterator[tuple[str, int]]:
    """A redis-server of our own on a free port, no persistence: (url, pid)."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("the benches need the redis-server binary")
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("redis-server did not come up")
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0", process.pid
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def scratch_postgres(server_url: str) -> Iterator[str]:
    """A fresh database on the PostgreSQL server of ``server_url``, dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = make_url(server_url.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"claimdesk_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                {"n": name})
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


@contextmanager
def service_env(redis_url: str, database_url: str | None = None,
                **extra: str) -> Iterator[dict[str, str]]:
    """The environment of a service under test: a temporary data dir (its SQLite file unless
    ``database_url``), this Redis, no sweeper noise; ``extra`` as CLAIMDESK_ settings."""
    data_dir = tempfile.mkdtemp(prefix="claimdesk-bench-")
    env = {key: value for key, value in os.environ.items()
           if key not in ("DATABASE_URL", "REDIS_URL") and not key.startswith("CLAIMDESK_")}
    env.update({"REDIS_URL": redis_url, "CLAIMDESK_DATA_DIR": data_dir,
                "PYTHONPATH": str(ROOT)})
    if database_url:
        env["DATABASE_URL"] = database_url
    env.update({f"CLAIMDESK_{key.upper()}": value for key, value in extra.items()})
    try:
        yield env
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def create_key(env: dict[str, str], role: str = "submitter") -> str:
    """``claimdesk keys create`` (which migrates the database first): the key."""
    done = subprocess.run([PYTHON, "-m", "service.cli", "keys", "create", "--role", role],
                          env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    return done.stdout.strip()


@contextmanager
def serve(env: dict[str, str], *, workers: int = 0) -> Iterator[tuple[int, subprocess.Popen]]:
    """``claimdesk serve --workers N`` (REDIS_URL set: no embedded Redis): (port, process)."""
    port = free_port()
    command = [PYTHON, "-m", "service.cli", "serve", "--port", str(port), "--workers",
               str(workers)]
    with _server(command, port, env, "serve.log") as process:
        yield port, process


@contextmanager
def bare_app(env: dict[str, str], *, store: str | None = None,
             redis_url: str | None = None) -> Iterator[tuple[int, subprocess.Popen]]:
    """``bench/bare_app.py``: (port, process); ``store`` and ``redis_url`` give its floor."""
    port = free_port()
    command = [PYTHON, str(ROOT / "bench" / "bare_app.py"), "--port", str(port)]
    if store is not None:
        command += ["--store", store, "--redis", redis_url or ""]
    with _server(command, port, env, "bare.log") as process:
        yield port, process


@contextmanager
def _server(command: list[str], port: int, env: dict[str, str],
            log_name: str) -> Iterator[subprocess.Popen]:
    """A server process on ``port``, its output in the data dir's ``log_name``; stopped after."""
    log = open(Path(env["CLAIMDESK_DATA_DIR"]) / log_name, "wb")  # noqa: SIM115
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_for_port(port, process=process)
        yield process
    finally:
        stop(process)
        log.close()


@contextmanager
def workers(env: dict[str, str], count: int) -> Iterator[list[subprocess.Popen]]:
    """``count`` ``claimdesk worker`` processes (their log in the data dir)."""
    logs = [open(Path(env["CLAIMDESK_DATA_DIR"]) / f"worker{i}.log", "wb")  # noqa: SIM115
            for i in range(count)]
    processes = [subprocess.Popen([PYTHON, "-m", "service.cli", "worker"], env=env, cwd=ROOT,
                                  stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
                 for log in logs]
    try:
        yield processes
    finally:
        for process in processes:
            stop(process)
        for log in logs:
            log.close()


def stop(process: subprocess.Popen, timeout: float = 20.0) -> None:
    """SIGTERM, then SIGKILL to its process group if it lingers."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
