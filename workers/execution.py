"""Which jobs a worker forks a work horse for, and running the others in its own process.

RQ's ``Worker`` forks a work horse per job. The fork isolates a job: a pathological article
that hangs the parser in C code or crashes the process costs a horse, which the worker kills
at the job's timeout or sees die, and the worker goes on. But a fork per job also cost most
of a worker's time: a warm worker is a few hundred MB, and a horse pays for the fork, for
the pages it copies, and for setting up what it uses. Most jobs do not need the isolation:
after a batch ``process_article`` job has extracted eight articles, the other seven jobs
only find their article taken; linking works on claims and sources already stored; a webhook
delivery is a bounded HTTP call. ``workers.jobs.runs_inline`` says which; those run here as
``rq.SimpleWorker`` runs every job: in the worker process, the job timeout enforced by
SIGALRM in the main thread. A crash in one of them ends the worker, which its supervisor
starts again (``claimdesk serve``, systemd, Kubernetes) and whose job is then retried.
"""

from __future__ import annotations

from typing import Any

from rq import Queue, Worker
from rq.defaults import DEFAULT_WORKER_TTL
from rq.job import Job
from rq.worker import WorkerStatus


class ForkWhenNeeded(Worker):
    """``rq.Worker`` that forks a work horse only for the jobs that need one."""

    _inline_job: Job | None = None

    def execute_job(self, job: Job, queue: Queue) -> None:
        if not self._runs_inline(job):
            super().execute_job(job, queue)
            return
        from workers.jobs import running_inline

        self._horse_pid = 0  # no horse: a cold stop must not signal a finished one's group
        self._inline_job = job
        try:
            self.prepare_execution(job)
            with running_inline():
                self.perform_job(job, queue)
        finally:
            self._inline_job = None
        self.set_state(WorkerStatus.IDLE)

    def _runs_inline(self, job: Job) -> bool:
        from workers.jobs import runs_inline  # the pipeline's imports, loaded by warm_up

        try:
            return runs_inline(job.func_name or "", dict(job.kwargs))
        except Exception:  # the database did not answer, a job of unknown shape: isolate it
            self.log.warning("could not tell whether %s may run inline; forking", job.id,
                             exc_info=True)
            return False

    def get_heartbeat_ttl(self, job: Job) -> Any:
        """While a job runs inline nothing heartbeats for it until it ends: the TTL covers
        its whole timeout, as ``rq.SimpleWorker``'s does."""
        if self._inline_job is None:
            return super().get_heartbeat_ttl(job)
        if job.timeout == -1:
            return DEFAULT_WORKER_TTL
        return int(job.timeout or DEFAULT_WORKER_TTL) + 60
