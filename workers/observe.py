"""What every job shares for operators: its request id in the logs, and its metrics.

``@observed_job`` wraps an RQ job function. Run by a worker, it sets the log context from the
job (``meta["request_id"]``, put there by the enqueue helpers, and the job id), times the job,
and records its outcome (``claimdesk_jobs_total``: succeeded, retried when it raised with a
retry left, failed when none is) and whatever the job recorded on ``metrics.current()``, in one
Redis write on the worker's own connection. Called directly (a test, a script) it only runs the
function.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from rq import get_current_job

from service import metrics
from service.logs import log_context

P = ParamSpec("P")
R = TypeVar("R")
log = logging.getLogger(__name__)


def observed_job(func: Callable[P, R]) -> Callable[P, R]:
    """Log context, outcome and duration of each run of the job function ``func``."""
    name = func.__name__

    @functools.wraps(func)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        job = get_current_job()
        if job is None:
            return func(*args, **kwargs)
        request_id = job.meta.get("request_id") if isinstance(job.meta, dict) else None
        with log_context(request_id=request_id, job_id=job.id), \
                metrics.recording(job.connection) as recorder:
            began = time.perf_counter()
            outcome = "failed"
            try:
                result = func(*args, **kwargs)
                outcome = "succeeded"
                return result
            except Exception:
                outcome = "retried" if job.retries_left else "failed"
                raise
            finally:
                seconds = time.perf_counter() - began
                recorder.increment(metrics.JOBS, job=name, outcome=outcome)
                recorder.observe(metrics.JOB_DURATION, seconds, job=name)
                log.info("job %s %s in %.0f ms", name, outcome, seconds * 1000,
                         extra={"job": name, "outcome": outcome,
                                "duration_ms": round(seconds * 1000, 1)})

    return run


def timed_link(func: Callable[P, R]) -> Callable[P, R]:
    """Record the time of one linking (``claimdesk_link_duration_seconds``) and its claims;
    the wrapped function takes the claim rows as ``rows=``."""

    @functools.wraps(func)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        began = time.perf_counter()
        result = func(*args, **kwargs)
        job = get_current_job()
        name = (job.func_name or "").rsplit(".", 1)[-1] if job is not None else "direct"
        recorder = metrics.current()
        recorder.observe(metrics.LINK_DURATION, time.perf_counter() - began, job=name)
        rows: Any = kwargs.get("rows") or ()
        recorder.increment(metrics.CLAIMS_LINKED, len(rows), job=name)
        return result

    return run


def record_stages(timings: dict[str, float], articles: int) -> None:
    """Record the pipeline's stage timings of one batch (``Pipeline.run_many(timings=)``)."""
    recorder = metrics.current()
    for stage, seconds in timings.items():
        recorder.observe(metrics.STAGE_DURATION, seconds, stage=stage)
    recorder.increment(metrics.PIPELINE_ARTICLES, articles)
