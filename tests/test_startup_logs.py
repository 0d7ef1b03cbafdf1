"""What an operator sees at start: one line from ``claimdesk serve``, no Alembic chatter."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from tests.support.servers import free_port


def embedded_env(data_dir: Path, log_format: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    env.update({"CLAIMDESK_DATA_DIR": str(data_dir), "CLAIMDESK_LOG_FORMAT": log_format})
    return env


def claimdesk(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "service.cli", *args], capture_output=True,
                          text=True, timeout=120, check=False, env=env)


def test_serve_says_where_everything_is_in_one_json_line(tmp_path: Path) -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "service.cli", "serve", "--port", str(port)],
        env=embedded_env(tmp_path / "data", "json"), start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stderr or []), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, "claimdesk serve exited:\n" + "".join(lines)
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "claimdesk serve did not come up"
            time.sleep(0.2)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        finally:
            os.killpg(process.pid, signal.SIGKILL) if process.poll() is None else None
        reader.join(timeout=5)
    records = [json.loads(line) for line in lines if line.strip()]  # every line is JSON
    assert not [r for r in records if r["logger"].startswith("alembic")]
    serving = [r["message"] for r in records if r["message"].startswith("claimdesk serving")]
    assert len(serving) == 1, records
    (line,) = serving
    data = (tmp_path / "data").resolve()
    assert line.startswith(f"claimdesk serving http://127.0.0.1:{port} | data {data} | ")
    assert f"database sqlite:///{data / 'claimdesk.sqlite3'}" in line
    assert "| redis embedded unix://" in line and line.endswith("| 1 supervised worker")
    assert not [r for r in records if "Uvicorn running" in r["message"]]
    assert not [r for r in records if r["message"].startswith("GET /healthz")]  # probes: DEBUG


def test_migrate_says_what_it_did_in_one_line_and_keys_say_nothing(tmp_path: Path) -> None:
    env = embedded_env(tmp_path, "text")
    first = claimdesk("migrate", env=env)
    assert first.returncode == 0, first.stderr
    (line,) = first.stderr.splitlines()
    assert "database migrated from an empty database to " in line
    again = claimdesk("migrate", env=env)
    assert again.returncode == 0 and again.stderr == ""
    keys = claimdesk("keys", "list", env=env)
    assert keys.returncode == 0 and "alembic" not in keys.stderr.lower()
