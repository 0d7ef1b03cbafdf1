"""Logs: JSON lines or text, and a request id that follows an article into its jobs."""

from __future__ import annotations

import io
import json
import logging

import pytest
from fastapi.testclient import TestClient
from rq import Queue, SimpleWorker

from service.app import create_app
from service.logs import (
    QUIET_LOGGERS,
    configure_logging,
    log_context,
    mask_url,
    sane_request_id,
)
from service.store.settings import Settings
from tests.conftest import bearer


@pytest.fixture
def restore_root_logging():
    """configure_logging changes the root logger: put it back after the test."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    quiet = {name: logging.getLogger(name).level for name in QUIET_LOGGERS}
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, old in quiet.items():
        logging.getLogger(name).setLevel(old)


def logged(log_format: str, *, message: str, **extra: object) -> str:
    stream = io.StringIO()
    configure_logging(log_format, "INFO", stream=stream)
    with log_context(request_id="req_1", job_id="process-article-art_1"):
        logging.getLogger("claimdesk.test").info(message, extra=extra)
    return stream.getvalue()


def test_json_lines_carry_the_ids_and_the_extra_fields(restore_root_logging) -> None:
    (line,) = logged("json", message="stored 3 claims", claims=3).splitlines()
    record = json.loads(line)
    assert record["message"] == "stored 3 claims" and record["level"] == "INFO"
    assert record["logger"] == "claimdesk.test" and record["time"].endswith("Z")
    assert record["request_id"] == "req_1" and record["job_id"] == "process-article-art_1"
    assert record["claims"] == 3


def test_text_lines_are_for_a_person(restore_root_logging) -> None:
    line = logged("text", message="stored 3 claims").strip()
    assert line.endswith("INFO claimdesk.test [req_1 process-article-art_1]: stored 3 claims")


def test_auto_is_json_when_stderr_is_no_terminal(restore_root_logging) -> None:
    json.loads(logged("auto", message="hello"))  # a StringIO is no terminal


def test_alembic_and_rq_info_is_quiet_unless_debugging(restore_root_logging) -> None:
    configure_logging("text", "INFO", stream=io.StringIO())
    assert not logging.getLogger("alembic.runtime.migration").isEnabledFor(logging.INFO)
    assert not logging.getLogger("rq.worker").isEnabledFor(logging.INFO)
    assert logging.getLogger("rq.worker").isEnabledFor(logging.WARNING)
    configure_logging("text", "DEBUG", stream=io.StringIO())
    assert logging.getLogger("rq.worker").isEnabledFor(logging.DEBUG)


@pytest.mark.parametrize(("sent", "kept"), [
    ("trace-42", True),
    ("01J0ABCDEF/1:2@host", True),
    ("two words", False),  # spaces (and newlines) could forge a log line
    ("x\ninjected", False),
    ("a" * 129, False),  # too long
    ("", False),
])
def test_a_request_id_is_kept_only_when_plain(sent: str, kept: bool) -> None:
    assert (sane_request_id(sent) == sent) is kept


def test_passwords_are_masked_in_urls() -> None:
    assert mask_url("postgresql+psycopg://app:s3cret@db:5432/claimdesk") == \
        "postgresql+psycopg://app:***@db:5432/claimdesk"
    assert mask_url("redis://:s3cret@redis:6379/0") == "redis://:***@redis:6379/0"
    assert mask_url("unix:///tmp/redis.socket") == "unix:///tmp/redis.socket"


def test_every_answer_has_a_request_id(client: TestClient) -> None:
    assert client.get("/healthz", headers={"X-Request-ID": "trace-42"}).headers[
        "X-Request-ID"] == "trace-42"
    made = client.get("/healthz", headers={"X-Request-ID": "not plain"}).headers["X-Request-ID"]
    assert made.startswith("req_") and made != client.get("/healthz").headers["X-Request-ID"]
    assert client.get("/v1/nothing-here").headers["X-Request-ID"].startswith("req_")


def test_the_request_id_follows_the_article_into_its_jobs(
        settings: Settings, session_factory, redis, make_key, caplog) -> None:
    caplog.set_level(logging.INFO)
    with TestClient(create_app(settings)) as client:
        response = client.post("/v1/articles", json={"text": "Sales rose 12 percent in 2023."},
                               headers={**bearer(make_key("submitter")),
                                        "X-Request-ID": "trace-42"})
    assert response.status_code == 202 and response.headers["X-Request-ID"] == "trace-42"
    queue = Queue(settings.queue_name, connection=redis)
    article_id = response.json()["id"]
    assert queue.fetch_job(f"process-article-{article_id}").meta["request_id"] == "trace-42"
    SimpleWorker([queue], connection=redis).work(burst=True)

    def lines(logger: str) -> list[logging.LogRecord]:
        return [r for r in caplog.records if r.name == logger]

    (access,) = [r for r in lines("claimdesk.access") if r.getMessage().startswith("POST")]
    assert vars(access)["claimdesk_request_id"] == "trace-42"
    jobs = {vars(r)["job"]: r for r in lines("workers.observe")}
    assert set(jobs) == {"process_article", "link_article"}
    for record in jobs.values():
        assert vars(record)["claimdesk_request_id"] == "trace-42"
        assert vars(record)["outcome"] == "succeeded"
    assert vars(jobs["link_article"])["claimdesk_job_id"] == f"link-article-{article_id}"
