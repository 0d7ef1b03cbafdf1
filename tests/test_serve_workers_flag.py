"""``claimdesk serve --workers N``: 0 means none; without the flag, the setting (embedded)."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from service.cli import _worker_count, build_parser
from service.store.settings import Settings
from tests.support.processes import FAST, ServeProcess, children


@pytest.mark.parametrize(("argv", "embedded", "expected"), [
    # the flag wins, 0 included
    (["serve", "--workers", "0"], True, 0),
    (["serve", "--workers", "3"], False, 3),
    # no flag: CLAIMDESK_WORKERS in embedded mode, none with REDIS_URL (workers run elsewhere)
    (["serve"], True, 2),
    (["serve"], False, 0),
])
def test_worker_count(argv: list[str], embedded: bool, expected: int) -> None:
    args = build_parser().parse_args(argv)
    assert _worker_count(args.workers, Settings(workers=2), embedded=embedded) == expected


def test_serve_with_workers_0_starts_redis_but_no_worker(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    serve = ServeProcess(env | FAST | {"CLAIMDESK_DATA_DIR": str(tmp_path)}, workers=0)
    try:
        serve.wait_until_up()
        time.sleep(1)  # a supervisor would have started its worker by now
        started = children(serve.process.pid).values()
        assert any("redis-server" in args for args in started)
        assert not any("service.cli worker" in args for args in started)
    finally:
        serve.process.send_signal(signal.SIGTERM)
        assert serve.process.wait(timeout=30) == 0
        serve.close()
