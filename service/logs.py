"""Logging for every claimdesk process: one setup, JSON lines or text, and the request id.

``configure_logging`` is called once by the ``claimdesk`` command (serve, worker and the rest):
one handler on the root logger, writing to stderr, as JSON lines (one object a line: ``time``,
``level``, ``logger``, ``message``, ``request_id`` and ``job_id`` when known, the record's
``extra`` fields, ``exception``) or as text for a person at a terminal. ``CLAIMDESK_LOG_FORMAT``
picks: ``auto`` (the default: text when stderr is a terminal, JSON lines otherwise, so a
container or a systemd unit logs JSON), ``json`` or ``text``.

The request id is a context variable: the API's ``RequestIds`` middleware sets it for each
request, the enqueue helpers (``service.store.queue``) copy it into the job's ``meta``, and
the job wrapper (``workers.observe``) sets it again in the worker, so the lines of a request
and of the jobs it queued carry the same ``request_id``. Every ``LogRecord`` gets them as
``claimdesk_request_id`` and ``claimdesk_job_id`` attributes (a record factory, installed on
import; prefixed, as RQ passes its own ``job_id`` in ``extra``).
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, TextIO
from urllib.parse import urlsplit, urlunsplit

from service.store.ids import new_id
from service.store.settings import Settings

REQUEST_ID: ContextVar[str | None] = ContextVar("claimdesk_request_id", default=None)
JOB_ID: ContextVar[str | None] = ContextVar("claimdesk_job_id", default=None)
# An id a client sends is kept when it is short and plain (no spaces, quotes or newlines that
# could forge a log line); otherwise the service makes its own.
_SANE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/+=@-]{0,127}")
# Loggers whose INFO lines an operator does not need (shown at DEBUG): Alembic's "Context impl
# SQLiteImpl" at every start (``upgrade_database`` logs a line when it applies a migration),
# RQ's five lines a worker start and three a job (``workers.observe`` logs one line a job,
# with its outcome, duration and request id).
QUIET_LOGGERS = ("alembic", "rq", "rq.worker", "rq.scheduler")  # rq.worker sets INFO on import
_STANDARD_ATTRS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
    "message", "asctime", "claimdesk_request_id", "claimdesk_job_id", "taskName",
    "color_message",  # uvicorn's copy of the message with terminal colours
}


def new_request_id() -> str:
    return new_id("req")


def sane_request_id(value: str | None) -> str | None:
    """``value`` when it may stand as a request id, else None."""
    if value and _SANE_ID.fullmatch(value):
        return value
    return None


def current_request_id() -> str | None:
    return REQUEST_ID.get()


@contextmanager
def log_context(*, request_id: str | None, job_id: str | None = None) -> Iterator[None]:
    """Lines logged inside carry ``request_id`` (and ``job_id``); restored on leaving."""
    tokens = (REQUEST_ID.set(request_id), JOB_ID.set(job_id))
    try:
        yield
    finally:
        JOB_ID.reset(tokens[1])
        REQUEST_ID.reset(tokens[0])


def _install_record_factory() -> None:
    """Give every LogRecord the request and job ids of the context (once a process)."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "claimdesk", False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        record.claimdesk_request_id = REQUEST_ID.get()
        record.claimdesk_job_id = JOB_ID.get()
        return record

    factory.claimdesk = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)


_install_record_factory()


class JsonFormatter(logging.Formatter):
    """One JSON object a line."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in ("request_id", "job_id"):
            if getattr(record, f"claimdesk_{name}", None):
                line[name] = getattr(record, f"claimdesk_{name}")
        for name, value in vars(record).items():
            if name not in _STANDARD_ATTRS and not name.startswith("_"):
                line[name] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, default=str)


class TextFormatter(logging.Formatter):
    """``time LEVEL logger [request_id job_id]: message``, for a person at a terminal."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s%(context)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        ids = [i for i in (getattr(record, "claimdesk_request_id", None),
                           getattr(record, "claimdesk_job_id", None)) if i]
        setattr(record, "context", f" [{' '.join(ids)}]" if ids else "")  # noqa: B010
        try:
            return super().format(record)
        finally:
            delattr(record, "context")


def configure_logging(log_format: str = "auto", level: str = "INFO",
                      stream: TextIO | None = None) -> None:
    """One handler on the root logger (replacing one set before), JSON lines or text."""
    stream = stream or sys.stderr
    as_json = log_format == "json" or (log_format == "auto" and not _is_terminal(stream))
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter() if as_json else TextFormatter())
    handler.claimdesk = True  # type: ignore[attr-defined]
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "claimdesk", False)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
    quiet = root.level if root.level < logging.INFO else max(root.level, logging.WARNING)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(quiet)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def mask_url(url: str) -> str:
    """``url`` with its password replaced by ``***``, for logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)
    user = netloc[0].split(":", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{netloc[1]}"))


def uvicorn_log_options() -> dict[str, Any]:
    """``uvicorn.run`` keywords that leave logging to ``configure_logging``: uvicorn's lines go
    through the root handler (JSON or text like the rest), its access log is off (the
    ``RequestIds`` middleware logs each request with its id) and its start-up chatter is
    quiet (``claimdesk serve`` logs one line of its own)."""
    logging.getLogger("uvicorn.error").setLevel(logging.WARNING)
    return {"log_config": None, "access_log": False}


def describe_serving(settings: Settings, *, url: str, embedded_redis: bool,
                     workers: int) -> str:
    """The one start-up line of ``claimdesk serve``: where everything is (passwords masked)."""
    redis = mask_url(settings.redis_url or "")
    if embedded_redis:
        redis = f"embedded {redis}"
    if workers:
        here = f"{workers} supervised worker{'s' if workers != 1 else ''}"
    else:
        here = "no worker here (run `claimdesk worker` on this Redis)"
    return (f"claimdesk serving {url} | data {settings.data_dir.resolve()} | database "
            f"{mask_url(settings.resolved_database_url())} | redis {redis} | {here}")


def describe_worker(settings: Settings) -> str:
    """The one start-up line of ``claimdesk worker``."""
    return (f"claimdesk worker ready | queue {settings.queue_name} | redis "
            f"{mask_url(settings.redis_url or '')} | database "
            f"{mask_url(settings.resolved_database_url())}")
