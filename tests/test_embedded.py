"""Embedded mode: the command line finds the Redis a running ``claimdesk serve`` started."""

from __future__ import annotations

from pathlib import Path

from service.embedded import EmbeddedRedis, running_embedded_redis_url


def test_the_embedded_redis_of_a_running_server_is_found_by_its_data_dir(tmp_path: Path) -> None:
    server = EmbeddedRedis(tmp_path)
    try:
        assert running_embedded_redis_url(tmp_path) == server.url
    finally:
        server.stop()
    assert running_embedded_redis_url(tmp_path) is None


def test_no_embedded_redis_is_found_where_none_ran(tmp_path: Path) -> None:
    assert running_embedded_redis_url(tmp_path) is None
