"""Draining a backlog: ``claimdesk worker`` processes against bare ``nlp.pipe`` on the same
texts, in one run.

``--articles`` article-sized texts (consecutive CLEF 2019 debate sentences, ~550 words each,
``bench/texts.py``) are stored and queued through the intake code (``accept_article``) while
the workers are suspended (RQ's suspension: they have started and loaded the model), then
the workers are resumed and the clock runs from the first job's start to the last article
processed. Once with 1 worker, once with 2 (a fresh SQLite database and Redis each time), no
evidence sources (linking finds nothing). Bare ``nlp.pipe`` (the same spaCy model, loaded
plainly, batch 32) runs on the same texts in this process before and after (the best round
counts), each round on a freshly loaded model so that, like a worker, it meets the texts for
the first time; the figure of a model that has seen them (warm) is printed beside it.
Prints articles/s, words/s, the ratios (targets: 1 worker >= 0.7x bare words/s, 2 workers
>= 1.8x one), words per CPU second (the workers and their work horses, against
bare ``nlp.pipe``'s: a ratio other load on the machine disturbs less than wall time) and
the peak RSS of each worker and of its work horses (sampled every 0.1 s).

    .venv/bin/python bench/drain.py [--articles 200] [--workers 1,2] [--rounds 2] [--pg URL]
                                    [--batch-size N]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from services import (  # noqa: E402
    children,
    cpu_seconds_with_children,
    create_key,
    peak_rss_mb,
    redis_server,
    scratch_postgres,
    service_env,
    workers,
)
from texts import load_articles, word_count  # noqa: E402

PUBLISHED = datetime(2016, 2, 9, tzinfo=UTC)


@dataclass
class Drain:
    workers: int
    seconds: float
    articles: int
    words: int
    claims: int
    failed: int
    worker_rss: float
    horse_rss: float
    cpu: float  # seconds, the workers and their work horses

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds


WARM_UP = ("The council approved a budget of 12 million dollars for parks on Tuesday, the "
           "mayor said, and the city will hire 40 more staff by 2026.")


class BarePipe:
    """Bare ``nlp.pipe`` over the texts: best-of-rounds wall and CPU seconds, two ways.

    ``cold``: each round a freshly loaded model (warmed on another text), which meets every
    text for the first time, as a worker does: its tokenizer cache and vocabulary have not
    seen them. ``warm``: one model across rounds, so from the second round on it has seen
    every text (what this bench measured before; a few percent faster)."""

    def __init__(self, texts: list[str]) -> None:
        self.texts = texts
        self.nlp = self._load()
        list(self.nlp.pipe(texts[:8]))
        self.seconds = self.cpu = float("inf")  # cold
        self.warm_seconds = self.warm_cpu = float("inf")

    @staticmethod
    def _load():  # type: ignore[no-untyped-def]
        import spacy

        from workers.pipeline.pipeline import DEFAULT_MODEL

        nlp = spacy.load(DEFAULT_MODEL)
        nlp.max_length = 2_000_000
        list(nlp.pipe([WARM_UP] * 4))
        return nlp

    def measure(self, rounds: int) -> None:
        for _ in range(rounds):
            wall, cpu = self._time(self._load())
            self.seconds, self.cpu = min(self.seconds, wall), min(self.cpu, cpu)
            wall, cpu = self._time(self.nlp)
            self.warm_seconds, self.warm_cpu = min(self.warm_seconds, wall), min(self.warm_cpu, cpu)

    def _time(self, nlp) -> tuple[float, float]:  # type: ignore[no-untyped-def]
        start, cpu = time.perf_counter(), time.process_time()
        for _doc in nlp.pipe(self.texts, batch_size=32):
            pass
        return time.perf_counter() - start, time.process_time() - cpu


def drain(texts: list[str], count: int, redis_url: str, pg: str | None = None,
          batch_size: int | None = None) -> Drain:
    """Queue the texts with ``count`` suspended workers up, resume them, time the drain."""
    from redis import Redis
    from rq import Worker
    from rq.suspension import resume, suspend

    connection = Redis.from_url(redis_url)
    connection.flushdb()
    suspend(connection)
    with ExitStack() as stack:
        database = stack.enter_context(scratch_postgres(pg)) if pg else None
        extra = {"batch_size": str(batch_size)} if batch_size else {}
        env = stack.enter_context(service_env(redis_url, database, **extra))
        create_key(env)  # migrates the database
        with workers(env, count) as processes:
            deadline = time.monotonic() + 120
            while len(Worker.all(connection=connection)) < count:
                if time.monotonic() > deadline or any(p.poll() is not None for p in processes):
                    raise SystemExit("the workers did not start")
                time.sleep(0.2)
            ids = queue_backlog(texts, env)
            resume(connection)
            rss = {p.pid: 0.0 for p in processes}
            cpu = sum(cpu_seconds_with_children(p.pid) for p in processes)
            horses = 0.0
            factory = _sessions(env)
            while True:
                for p in processes:
                    rss[p.pid] = max(rss[p.pid], peak_rss_mb(p.pid))
                    for child in children(p.pid):
                        try:
                            horses = max(horses, peak_rss_mb(child))
                        except OSError:
                            pass
                done = _count_done(factory)
                if done >= len(ids):
                    break
                if time.monotonic() > deadline + 3600:
                    raise SystemExit("the backlog did not drain within an hour")
                time.sleep(0.1)
            cpu = sum(cpu_seconds_with_children(p.pid) for p in processes) - cpu
            seconds, claims, failed = _timing(factory, connection, ids, env)
    return Drain(count, seconds, len(ids), word_count(texts), claims, failed,
                 max(rss.values()), horses, cpu)


def queue_backlog(texts: list[str], env: dict[str, str]) -> list[str]:
    """Store and queue every text as ``POST /v1/articles`` does (no HTTP)."""
    from schemas.articles import ArticleCreate
    from service.intake import prepare_article
    from service.store.lifecycle import accept_article
    from service.store.queue import connect_redis, make_queue

    settings = _settings(env)
    queue = make_queue(settings, connect_redis(env["REDIS_URL"]))
    ids = []
    with _sessions(env)() as session:
        for text in texts:
            body = ArticleCreate(text=text, published_at=PUBLISHED)
            new = prepare_article(body, languages=settings.languages)
            row, _ = accept_article(session, queue, org_id=settings.default_org_id, article=new,
                                    idempotency_key=None, job_timeout=settings.job_timeout)
            ids.append(row.id)
    return ids


def _settings(env: dict[str, str]):  # type: ignore[no-untyped-def]
    from service.store.settings import Settings

    return Settings(redis_url=env["REDIS_URL"], data_dir=Path(env["CLAIMDESK_DATA_DIR"]),
                    database_url=env.get("DATABASE_URL"))


_FACTORIES: dict[str, object] = {}


def _sessions(env: dict[str, str]):  # type: ignore[no-untyped-def]
    from service.store.db import make_engine, make_session_factory

    url = _settings(env).resolved_database_url()
    if url not in _FACTORIES:
        _FACTORIES[url] = make_session_factory(make_engine(url))
    return _FACTORIES[url]


def _count_done(factory) -> int:  # type: ignore[no-untyped-def]
    from sqlalchemy import func, select

    from service.store.models import Article

    with factory() as session:
        return int(session.scalar(select(func.count()).select_from(Article).where(
            Article.state.in_(("processed", "failed")))) or 0)


def _timing(factory, connection, ids: list[str],  # type: ignore[no-untyped-def]
            env: dict[str, str]) -> tuple[float, int, int]:
    """Seconds from the first job's start to the last article processed; claims; failures."""
    from rq import Queue
    from sqlalchemy import func, select

    from service.store.clock import as_utc
    from service.store.models import Article, Claim
    from service.store.queue import process_article_job_id

    queue = Queue(_settings(env).queue_name, connection=connection)
    starts = [job.started_at for job in queue.job_class.fetch_many(
        [process_article_job_id(i) for i in ids], connection=connection)
        if job is not None and job.started_at is not None]
    with factory() as session:
        last = as_utc(session.scalar(select(func.max(Article.processed_at))))
        failed = int(session.scalar(select(func.count()).select_from(Article).where(
            Article.state == "failed")) or 0)
        claims = int(session.scalar(select(func.count()).select_from(Claim)) or 0)
    first = min(as_utc(s) for s in starts)
    return (last - first).total_seconds(), claims, failed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--workers", default="1,2", help="worker counts to run, in order")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of bare nlp.pipe (best)")
    parser.add_argument("--pg", metavar="URL", help="a PostgreSQL server: scratch databases "
                        "there instead of SQLite files")
    parser.add_argument("--batch-size", type=int, help="CLAIMDESK_BATCH_SIZE of the workers "
                        "(default: the service's)")
    args = parser.parse_args()
    texts = load_articles(args.articles)
    words = word_count(texts)
    print(f"{os.cpu_count()} cores; {len(texts)} texts, {words} words; "
          f"{'PostgreSQL' if args.pg else 'SQLite'}", flush=True)
    bare = BarePipe(texts)
    bare.measure(args.rounds)
    print(f"bare nlp.pipe (before) {words / bare.seconds:7.0f} words/s", flush=True)
    runs: list[Drain] = []
    with redis_server() as (redis_url, _):
        for count in (int(c) for c in args.workers.split(",")):
            run = drain(texts, count, redis_url, args.pg, args.batch_size)
            runs.append(run)
            print(f"{count} worker{'s' if count > 1 else ''}: {run.seconds:.1f} s, "
                  f"{run.claims} claims, {run.failed} failed; peak RSS worker "
                  f"{run.worker_rss:.0f} MB, work horse {run.horse_rss:.0f} MB", flush=True)
    bare.measure(args.rounds)
    bare_rate, bare_cpu_rate = words / bare.seconds, words / bare.cpu
    print(f"\nbare nlp.pipe     {len(texts) / bare.seconds:6.2f} articles/s  {bare_rate:7.0f} "
          f"words/s  {bare_cpu_rate:7.0f} words per CPU s  (texts new to it, as to a worker)")
    warm_rate = words / bare.warm_seconds
    print(f"  warm (texts seen before) {warm_rate:7.0f} words/s; 1 worker against it: "
          + ", ".join(f"{r.words_per_second / warm_rate:.2f}x" for r in runs if r.workers == 1))
    for run in runs:
        print(f"{run.workers} worker{'s' if run.workers > 1 else ' '}         "
              f"{run.articles / run.seconds:6.2f} articles/s  {run.words_per_second:7.0f} "
              f"words/s  {run.words / run.cpu:7.0f} words per CPU s  "
              f"{run.words_per_second / bare_rate:.2f}x bare "
              f"(CPU: {run.words / run.cpu / bare_cpu_rate:.2f}x)")
    one = next((r for r in runs if r.workers == 1), None)
    if one is not None:
        verdict = "holds" if one.words_per_second >= 0.7 * bare_rate else "misses"
        print(f"target: 1 worker >= 0.7x bare nlp.pipe: "
              f"{one.words_per_second / bare_rate:.2f}x, {verdict}")
        for run in runs:
            if run.workers == 2:
                ratio = run.words_per_second / one.words_per_second
                print(f"target: 2 workers >= 1.8x one: {ratio:.2f}x, "
                      f"{'holds' if ratio >= 1.8 else 'misses'}")


if __name__ == "__main__":
    main()
