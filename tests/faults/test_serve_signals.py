"""``claimdesk serve`` killed or stopped: what it started ends with it, its jobs survive.

SIGKILL: the embedded redis-server and the workers end with serve (no orphan under PID 1),
and the next serve on the same data dir starts cleanly. SIGTERM: serve exits within the
shutdown grace; a job that could not finish is handed back, and the next start finishes it.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from service.processes import process_alive
from service.store.db import make_engine, make_session_factory
from service.store.models import Article, Claim
from tests.support.processes import FAST, ServeProcess, children, wait_for

pytestmark = pytest.mark.timeout(180)
GRACE = 5.0


def embedded_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    return env | FAST | {"CLAIMDESK_DATA_DIR": str(data_dir)} | extra


def slow_text(paragraphs: int) -> str:
    return "\n\n".join(f"Exports from region {i} fell {i % 90 + 1} percent in March, the "
                       "ministry said." for i in range(paragraphs))


def stored_articles(data_dir: Path) -> dict[str, tuple[str, int]]:
    """id -> (state, claims stored), read from the embedded SQLite file."""
    engine = make_engine(f"sqlite:///{data_dir / 'claimdesk.sqlite3'}")
    try:
        with make_session_factory(engine)() as session:
            found = {}
            for row in session.scalars(select(Article)):
                count = len(session.scalars(select(Claim.id).where(
                    Claim.article_id == row.id)).all())
                found[row.id] = (row.state, count)
            return found
    finally:
        engine.dispose()


def test_what_serve_started_dies_with_it_and_the_next_serve_starts_cleanly(
        tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = ServeProcess(embedded_env(data), workers=1)
    try:
        first.wait_until_up()
        started = wait_for(lambda: _redis_and_worker(first.process.pid), timeout=30,
                           what="serve has no redis-server and worker children")
        first.process.send_signal(signal.SIGKILL)
        first.process.wait(timeout=10)
        wait_for(lambda: not any(process_alive(pid) for pid in started), timeout=10,
                 what=f"children outlived serve: {started}")
    finally:
        first.close()
    second = ServeProcess(embedded_env(data), workers=1)
    try:
        second.wait_until_up()
        assert "in use" not in second.output
        assert _redis_and_worker(second.process.pid)
    finally:
        second.process.send_signal(signal.SIGTERM)
        assert second.process.wait(timeout=GRACE + 25) == 0
        second.close()


def _redis_and_worker(serve_pid: int) -> list[int]:
    found = children(serve_pid)
    redis = [pid for pid, args in found.items() if "redis-server" in args]
    workers = [pid for pid, args in found.items() if "service.cli worker" in args]
    return redis + workers if redis and workers else []


def test_sigterm_stops_serve_within_the_grace_and_the_next_start_finishes_the_work(
        tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = embedded_env(data, CLAIMDESK_SHUTDOWN_GRACE=str(GRACE))
    serve = ServeProcess(env, workers=1)
    try:
        serve.wait_until_up()
        with serve.client() as api:
            ids = [api.post("/v1/articles", json={"text": slow_text(1200)}).json()["id"]]
            ids += [api.post("/v1/articles", json={"text": f"Sales rose {n} percent in 2023."}
                             ).json()["id"] for n in (3, 4)]
            wait_for(lambda: api.get(f"/v1/articles/{ids[0]}").json()["state"] == "processing",
                     timeout=60, what="the worker never took the slow article", every=0.05)
        began = time.monotonic()
        serve.process.send_signal(signal.SIGTERM)
        assert serve.process.wait(timeout=GRACE + 10) == 0, serve.output[-3000:]
        stopped_in = time.monotonic() - began
    finally:
        serve.close()
    assert stopped_in <= GRACE + 1, f"serve took {stopped_in:.1f} s to stop"
    after_stop = stored_articles(data)
    # Handed back, or extracted with its linking job kept in the (persistent) queue.
    assert all(state in ("queued", "processed") or (state == "processing" and claims)
               for state, claims in after_stop.values()), after_stop
    assert after_stop[ids[0]][0] == "queued"  # it could not finish within the grace
    again = ServeProcess(env, workers=1)
    try:
        again.wait_until_up()
        wait_for(lambda: {s for s, _ in stored_articles(data).values()} == {"processed"},
                 timeout=90, what="the next start did not finish the articles", every=0.5)
    finally:
        again.process.send_signal(signal.SIGTERM)
        again.process.wait(timeout=GRACE + 10)
        again.close()
