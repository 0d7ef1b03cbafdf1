"""``claimdesk worker``: RQ's forking worker, made to stop cleanly and to lose nothing.

What this adds to ``rq.Worker``:

- **The scheduler runs on a thread of the worker**, not in a process of its own. RQ 2.x starts
  it with ``multiprocessing`` (fork) as a child of the worker whose loop
  (``RQScheduler.work``) never looks at its parent; only the worker stops it, from its signal
  handlers and ``teardown`` (``Worker.stop_scheduler``). A worker that dies without running
  them (SIGKILL, the out-of-memory killer, a supervisor's kill after its timeout) leaves the
  scheduler running under PID 1, and as it keeps refreshing the queue's scheduler lock
  (``rq:scheduler-lock:<queue>``), the schedulers of new workers never take over: the orphan,
  running old code and settings, is the only one scheduling retries. A parent-death signal
  set at fork shortened its life but was a mitigation; a thread can not outlive its process.
- **Shutdown within a grace** (``shutdown_grace``): SIGTERM (or SIGINT) asks for RQ's warm
  shutdown, the current job finishing; once the grace is nearly over the worker signals itself
  again, RQ's cold shutdown kills the work horse, and the job is handed back: queued again at
  the front of its queue, and the articles a ``process_article`` job had leased back to
  ``queued`` (``service.store.leases``).
- **Jobs of dead workers are taken back at once**: at start and at each maintenance pass, a
  job RQ records as started by a worker of this host whose process is gone is expired in the
  started registry, so RQ's own cleanup retries it (or fails it, running its failure
  callback), and its articles are handed back. Workers on other hosts are left to RQ's
  heartbeat expiry.
- **A work horse that dies** (killed, out of memory) runs the job's failure callback, which
  RQ skips on that path, so an article whose every try killed its horse ends ``failed`` with a
  reason instead of staying ``processing``.

The work horse gets SIGTERM if its worker dies (``die_with_parent`` at fork): it must not
write results nobody will record.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
from contextlib import suppress
from datetime import timedelta
from types import FrameType
from typing import Any

from redis import Redis
from redis.exceptions import RedisError
from rq import Queue
from rq.defaults import DEFAULT_LOGGING_DATE_FORMAT, DEFAULT_LOGGING_FORMAT
from rq.executions import Execution
from rq.job import Job, JobStatus
from rq.registry import StartedJobRegistry
from rq.scheduler import RQScheduler
from rq.scripts import release_lock
from rq.utils import now

from service.processes import die_with_parent, load_prctl, process_alive
from service.store.db import make_engine, make_session_factory
from service.store.leases import hand_back_lease
from service.store.queue import PROCESS_ARTICLE, connect_redis, make_queue
from service.store.settings import Settings
from workers.execution import ForkWhenNeeded

log = logging.getLogger(__name__)
HAND_BACK_SECONDS = 1.0  # of the grace, kept for the cold stop and the hand-back


class WorkHorseDied(Exception):
    """The process running the job ended without finishing it (a signal, out of memory)."""


class SchedulerThread(RQScheduler):
    """RQ's scheduler loop on a daemon thread; ``request_stop`` ends it within moments."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._wake = threading.Event()
        self.thread: threading.Thread | None = None

    def start(self) -> threading.Thread:  # type: ignore[override]
        self._status = self.Status.STARTED
        self._stop_requested = False
        self._wake.clear()
        self.thread = threading.Thread(target=self._loop, name="rq-scheduler", daemon=True)
        # RQ's worker asks ``_process.is_alive()`` before starting the scheduler again.
        self._process = self.thread  # type: ignore[assignment]
        self.thread.start()
        return self.thread

    def request_stop(self, signum: int | None = None, frame: FrameType | None = None) -> None:
        self._stop_requested = True
        self._wake.set()

    def _install_signal_handlers(self) -> None:
        """None: the worker's own handlers stop this thread."""

    def _loop(self) -> None:
        """RQ's loop, except that a worker without the scheduler lock stands by and takes it
        as soon as it is free (RQ tries again every maintenance interval, 10 minutes)."""
        try:
            self.register_birth()
            while not self._stop_requested:
                try:
                    if self.acquired_locks != self._queue_names:
                        self.acquire_locks()
                    self.heartbeat()
                    if self.acquired_locks:
                        self.enqueue_scheduled_jobs()
                except RedisError as exc:  # Redis away: try again next tick, as RQ's worker does
                    log.warning("scheduler: %s", exc)
                self._wake.wait(self.interval)
        except RedisError as exc:
            log.warning("scheduler could not register: %s", exc)
        finally:
            with suppress(RedisError):
                self.stop()


class ClaimdeskWorker(ForkWhenNeeded):
    """The worker (``ForkWhenNeeded``, an ``rq.Worker``) with the scheduler on a thread, a
    shutdown grace, and hand-backs."""

    def __init__(self, *args: Any, settings: Settings, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.settings = settings
        self._in_hand: tuple[Job, Queue] | None = None
        self._cold_timer: threading.Timer | None = None

    # -- the scheduler, on a thread ------------------------------------------------------
    def _start_scheduler(self, burst: bool = False, logging_level: str | None = "INFO",
                         date_format: str = DEFAULT_LOGGING_DATE_FORMAT,
                         log_format: str = DEFAULT_LOGGING_FORMAT) -> None:
        """RQ's, with ``SchedulerThread`` for ``RQScheduler``, which runs whether or not it
        holds the lock now."""
        scheduler = SchedulerThread(self.queues, connection=self.connection,
                                    logging_level=logging_level or self.log.level,
                                    date_format=date_format, log_format=log_format,
                                    serializer=self.serializer)
        self.scheduler = scheduler
        if burst:
            scheduler.acquire_locks()
            if not scheduler.acquired_locks:
                return
            try:
                scheduler.register_birth()
                scheduler.enqueue_scheduled_jobs()
            finally:
                scheduler.release_locks()
                scheduler.register_death()
        else:
            scheduler.start()

    def stop_scheduler(self) -> None:
        scheduler = self.scheduler
        if isinstance(scheduler, SchedulerThread) and scheduler.thread is not None:
            scheduler.request_stop()
            if scheduler.thread is not threading.current_thread():
                scheduler.thread.join(timeout=2)

    def teardown(self) -> None:
        if self._cold_timer is not None:
            self._cold_timer.cancel()  # stopping anyway: no cold stop in the middle of it
        super().teardown()

    def unsubscribe(self) -> None:
        """RQ's, with the pubsub thread told to stop before UNSUBSCRIBE: RQ tells it after,
        the reply often wakes it first, it waits for another message, and ``teardown`` waits
        out its 1 s join timeout on every stop."""
        if self.pubsub_thread:
            self.pubsub_thread.stop()
        super().unsubscribe()

    # -- the shutdown grace ----------------------------------------------------------------
    def request_stop(self, signum: int, frame: FrameType | None) -> None:
        """Warm shutdown (RQ's), and a cold one once the grace is nearly over. The timer
        starts after RQ's handler has made the next signal a cold stop."""
        try:
            super().request_stop(signum, frame)
        finally:
            self._arm_cold_stop()

    def _arm_cold_stop(self) -> None:
        if self._cold_timer is not None:
            return
        delay = max(0.0, self.settings.shutdown_grace - HAND_BACK_SECONDS)
        self._cold_timer = threading.Timer(delay, self._grace_over)
        self._cold_timer.daemon = True
        self._cold_timer.start()
        if self._stop_requested:  # RQ sets it when a job is running
            self.log.info("Worker %s: the current job has %.1f s to finish", self.name, delay)

    def _grace_over(self) -> None:
        # RQ ignores a second signal within a second of the first (a pool's duplicate).
        self._shutdown_requested_date = now() - timedelta(seconds=2)
        os.kill(os.getpid(), signal.SIGTERM)

    def request_force_stop(self, signum: int, frame: FrameType | None) -> None:
        """RQ's cold shutdown (the horse killed), then the job handed back.

        Not during a job run in this process (``ForkWhenNeeded``): RQ's ``perform_job``
        catches everything, ``SystemExit`` included, so the stop would count as a failed try
        of the job; such jobs are short (linking, a webhook), the worker exits after it."""
        if getattr(self, "_inline_job", None) is not None:
            self.log.warning("Worker %s: the job running in this process finishes first",
                             self.name)
            return
        in_hand = self._in_hand
        try:
            super().request_force_stop(signum, frame)
        except SystemExit:
            if in_hand is not None:
                signal.alarm(0)  # RQ's horse-monitor alarm must not cut the hand-back short
                self.hand_back(*in_hand)
            raise

    def execute_job(self, job: Job, queue: Queue) -> None:
        self._in_hand = (job, queue)
        try:
            super().execute_job(job, queue)
        finally:
            self._in_hand = None

    def hand_back(self, job: Job, queue: Queue) -> None:
        """The job goes back to the front of its queue (no try counted), its articles too."""
        try:
            if job.get_status(refresh=True) != JobStatus.STARTED:
                return
            with self.connection.pipeline() as pipeline:
                self.cleanup_execution(job, pipeline=pipeline)
                pipeline.execute()
            queue.enqueue_job(job, at_front=True)
            self.log.warning("Worker %s: job %s handed back to %s", self.name, job.id, queue.name)
        except RedisError as exc:
            self.log.warning("Worker %s: could not queue %s again: %s", self.name, job.id, exc)
        hand_back_articles(self.settings, job, queue)

    # -- horses and workers that died --------------------------------------------------------
    def handle_work_horse_killed(self, job: Job, retpid: int, ret_val: int,
                                 rusage: Any) -> None:
        super().handle_work_horse_killed(job, retpid, ret_val, rusage)
        if self._stopped_job_id == job.id:
            return
        how = (f"signal {os.WTERMSIG(ret_val)}" if ret_val and os.WIFSIGNALED(ret_val)
               else f"exit status {ret_val}")
        exc = WorkHorseDied(f"the process running the job ended ({how}; out of memory?)")
        try:
            job.execute_failure_callback(self.death_penalty_class, WorkHorseDied, exc, None)
        except Exception:
            self.log.exception("failure callback of %s", job.id)

    def run_maintenance_tasks(self) -> None:
        for queue in self.queues:
            try:
                reclaim_jobs_of_dead_workers(queue, settings=self.settings)
            except RedisError as exc:
                self.log.warning("could not look for jobs of dead workers: %s", exc)
        super().run_maintenance_tasks()


def hand_back_articles(settings: Settings, job: Job, queue: Queue) -> None:
    """What a ``process_article`` job leased goes back to ``queued`` (other jobs lease
    nothing: a ``link_article`` job reruns on its ``processing`` article)."""
    if job.func_name != PROCESS_ARTICLE:
        return
    kwargs = job.kwargs
    engine = make_engine(settings.resolved_database_url())
    try:
        hand_back_lease(make_session_factory(engine), queue, org_id=kwargs["org_id"],
                        lease=job.id, own_article_id=kwargs["article_id"],
                        job_timeout=settings.job_timeout)
    except Exception:  # the stale-lease rule remains; never stop a shutdown on this
        log.exception("could not hand back the articles of %s", job.id)
    finally:
        engine.dispose()


def read_hash(connection: Redis, key: str) -> dict[str, str]:
    """A Redis hash as text."""
    raw: dict[bytes, bytes] = connection.hgetall(key)  # type: ignore[assignment]
    return {k.decode(): v.decode() for k, v in raw.items()}


def worker_is_gone(connection: Redis, worker_name: str, *, host: str) -> bool:
    """True when the RQ worker is known dead: its record is gone or says so, or it ran on this
    host and its process is no more. A worker elsewhere is left to RQ's heartbeat expiry."""
    record = read_hash(connection, f"rq:worker:{worker_name}")
    if not record or "death" in record:
        return True
    if record.get("hostname") != host:
        return False
    try:
        return not process_alive(int(record.get("pid", "")))
    except ValueError:
        return False


def free_scheduler_lock_of_dead_worker(queue: Queue) -> bool:
    """Release the queue's scheduler lock when the scheduler holding it ran on this host in a
    process that is gone (it would hold it a minute more); True when released."""
    key = RQScheduler.get_locking_key(queue.name)
    holder = queue.connection.get(key)
    if holder is None:
        return False
    name = holder.decode() if isinstance(holder, bytes) else str(holder)
    record = read_hash(queue.connection, f"rq:scheduler:{name}")
    if record.get("hostname") != socket.gethostname() or not record.get("pid", "").isdigit():
        return False
    if process_alive(int(record["pid"])):
        return False
    return release_lock(queue.connection, key, name)


def reclaim_jobs_of_dead_workers(queue: Queue, *, settings: Settings) -> list[str]:
    """Expire started jobs whose worker is gone so RQ's registry cleanup retries or fails them
    now, then hand back their articles; the ids of those jobs. The scheduler lock of a dead
    worker is freed too: its retries need a scheduler."""
    if free_scheduler_lock_of_dead_worker(queue):
        log.warning("freed the scheduler lock of %s, held by a worker that died", queue.name)
    registry = StartedJobRegistry(queue.name, connection=queue.connection)
    host = socket.gethostname()
    gone: list[str] = []
    for job_id, execution_id in registry.get_job_and_execution_ids(cleanup=False):
        try:
            execution = Execution.fetch(execution_id, job_id, queue.connection)
        except Exception:  # its record expired: RQ's heartbeat cleanup takes the entry
            continue
        if execution.worker_name and worker_is_gone(queue.connection, execution.worker_name,
                                                    host=host):
            queue.connection.zadd(registry.key, {execution.composite_key: 0}, xx=True)
            gone.append(job_id)
    if not gone:
        return []
    log.warning("jobs of workers that died: %s; retried or failed now", ", ".join(gone))
    registry.cleanup()
    for job_id in gone:
        job = queue.fetch_job(job_id)
        if job is not None:
            hand_back_articles(settings, job, queue)
    return gone


def die_with_worker() -> None:
    """Every process this one forks from now on (work horses) gets SIGTERM when it dies."""
    forking: dict[str, int] = {}
    load_prctl()
    os.register_at_fork(before=lambda: forking.update(pid=os.getpid()),
                        after_in_child=lambda: die_with_parent(parent=forking.get("pid")))


def build_worker(settings: Settings) -> ClaimdeskWorker:
    """A worker on the settings' queue, the spaCy model loaded (every forked job starts warm)
    and its work horses bound to die with it; ``work(with_scheduler=True)`` runs it."""
    from workers.jobs import warm_up

    warm_up(settings)
    die_with_worker()
    connection = connect_redis(settings.redis_url or "")
    return ClaimdeskWorker([make_queue(settings, connection)], connection=connection,
                           settings=settings)
