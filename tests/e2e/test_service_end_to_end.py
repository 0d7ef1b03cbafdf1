"""The real thing: `claimdesk serve` with worker processes, driven over HTTP."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from rq import Worker

from service.store.queue import connect_redis, make_queue
from service.store.settings import Settings
from service.supervisor import WorkerSupervisor
from tests.factories import KRISHNA
from tests.support.servers import free_port

ARTICLE = {"text": KRISHNA, "title": "IBM pauses hiring", "published_at": "2023-05-02T09:00:00Z"}


@contextmanager
def running_service(env: dict[str, str], workers: int = 1) -> Iterator[httpx.Client]:
    """`claimdesk serve` in a subprocess, on a database with no API key yet; yields a client
    of its base URL, signed in with the admin key it prints at start-up, once /healthz
    answers."""
    port = free_port()
    command = [sys.executable, "-m", "service.cli", "serve", "--port", str(port),
               "--workers", str(workers)]
    process = subprocess.Popen(command, env=env, start_new_session=True, stdout=subprocess.PIPE,
                               text=True)
    base = f"http://127.0.0.1:{port}"
    printed: list[str] = []
    reader = threading.Thread(target=lambda: printed.extend(process.stdout or []), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, "claimdesk serve exited"
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "claimdesk serve did not come up"
            time.sleep(0.2)
        key = next(line.strip() for line in printed if line.startswith("cdk_"))
        assert any(f"Authorization: Bearer {key}" in line for line in printed)
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"},
                          timeout=5) as client:
            assert httpx.get(base + "/v1/articles", timeout=5).status_code == 401
            yield client
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        finally:
            _kill_group(process.pid)


def _kill_group(pgid: int) -> None:
    """Whatever the service left behind in its process group (it should leave nothing)."""
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def wait_until_processed(api: httpx.Client, location: str, timeout: float = 90) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        article = api.get(location).json()
        if article["state"] in ("processed", "failed"):
            return article
        assert time.monotonic() < deadline, f"article still {article['state']}"
        time.sleep(0.3)


def check_article_claims(api: httpx.Client, article: dict) -> list[dict]:
    """Every claim and span points at its own text in the stored article."""
    assert article["state"] == "processed", article.get("failure_reason")
    claims = api.get(f"/v1/articles/{article['id']}/claims",
                     params={"limit": 200}).json()["items"]
    text = article["text"]
    assert claims
    for claim in claims:
        assert text[claim["start"] : claim["end"]] == claim["text"]
        for span in claim["spans"]:
            assert text[span["start"] : span["end"]] == span["text"]
    return claims


def test_post_poll_read_with_redis_and_database_urls(settings: Settings, session_factory,
                                                     redis) -> None:
    env = os.environ | {"REDIS_URL": settings.redis_url or "",
                        "DATABASE_URL": settings.resolved_database_url(),
                        "CLAIMDESK_DATA_DIR": str(settings.data_dir)}
    with running_service(env) as api:
        accepted = api.post("/v1/articles", json=ARTICLE, headers={"Idempotency-Key": "e2e-1"})
        assert accepted.status_code == 202
        article = wait_until_processed(api, accepted.headers["location"])
        claims = check_article_claims(api, article)
        assert api.get("/readyz").json()["status"] == "ready"
        one = api.get(f"/v1/claims/{claims[0]['id']}").json()
        assert one == claims[0]
    spans = [s for c in claims for s in c["spans"]]
    assert {"kind": "entity", "label": "PERSON"}.items() <= next(
        s for s in spans if s["text"].endswith("Krishna")).items()
    billions = [s for s in spans if s["kind"] == "quantity" and "3 billion" in s["text"]]
    assert billions and billions[0]["normalized"]["value"] == 3e9
    april = [s for s in spans if s["kind"] == "date" and "April" in s["text"]]
    assert april and april[0]["normalized"]["value"] == "2023-04"


def test_make_run_defaults_embed_redis_and_sqlite(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    env["CLAIMDESK_DATA_DIR"] = str(tmp_path / "data")
    with running_service(env) as api:
        accepted = api.post("/v1/articles", json=ARTICLE)
        assert accepted.status_code == 202
        article = wait_until_processed(api, accepted.headers["location"])
        check_article_claims(api, article)
    assert (tmp_path / "data" / "claimdesk.sqlite3").exists()


def test_supervisor_restarts_a_worker_that_dies(settings: Settings, redis) -> None:
    supervisor = WorkerSupervisor(settings, 1, check_every=0.2)
    supervisor.start()
    try:
        queue = make_queue(settings, connect_redis(settings.redis_url or ""))
        first = _wait_for_worker_pid(queue, exclude=set())
        supervisor.processes[0].kill()
        second = _wait_for_worker_pid(queue, exclude={first})
        assert second != first and supervisor.restarts == 1
    finally:
        supervisor.stop()


def _wait_for_worker_pid(queue, *, exclude: set[int], timeout: float = 60) -> int:
    deadline = time.monotonic() + timeout
    while True:
        pids = {w.pid for w in Worker.all(queue=queue)} - exclude
        alive = [pid for pid in pids if pid and _alive(pid)]
        if alive:
            return alive[0]
        assert time.monotonic() < deadline, "no worker registered"
        time.sleep(0.2)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True
