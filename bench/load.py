"""Intake under load: ``POST /v1/articles`` on ``claimdesk serve --workers 0`` against a bare
FastAPI app validating the same body (``bench/bare_app.py``), same uvicorn options, one run.

A lean load generator of its own (asyncio streams, HTTP/1.1 keep-alive, one connection per
client, loopback only) sends ``--requests`` POSTs of one ~500-word article at ``--concurrency``
clients to each server, bounded by ``--max-seconds``, after ``--warmup`` unmeasured ones.
Prints req/s, p50/p95/p99 latency, server CPU per request (/proc utime+stime of the server
process; Redis's own beside it) and the ratio to the bare app (target: >= 0.5x, p99 < 25 ms
at 16 clients). ``--pg URL`` also measures the service on a scratch PostgreSQL database.
``--floor`` adds the bare app storing each body with one raw INSERT and commit and pushing its
id to Redis (no ORM, no RQ, no key check): what keeping an accepted article costs at the least
in this stack, on SQLite and (with ``--pg``) PostgreSQL.

    .venv/bin/python bench/load.py [--requests 2000] [--concurrency 16] [--floor]
        [--pg postgresql://postgres@127.0.0.1:5432/postgres] [--no-sqlite]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from services import (  # noqa: E402
    bare_app,
    cpu_seconds,
    create_key,
    peak_rss_mb,
    redis_server,
    scratch_postgres,
    serve,
    service_env,
)
from texts import load_articles  # noqa: E402

HOST = "127.0.0.1"


@dataclass
class Run:
    name: str
    sent: int
    statuses: dict[int, int]
    seconds: float
    latencies: list[float]
    server_cpu: float
    redis_cpu: float
    peak_rss: float

    @property
    def rate(self) -> float:
        return self.sent / self.seconds

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    def line(self, baseline: Run | None) -> str:
        ratio = f"  {self.rate / baseline.rate:5.2f}x bare" if baseline is not None else ""
        codes = ",".join(f"{code}:{count}" for code, count in sorted(self.statuses.items()))
        return (f"{self.name:<21} {self.rate:7.0f} req/s  p50 {self.percentile(0.5):6.1f}  "
                f"p95 {self.percentile(0.95):6.1f}  p99 {self.percentile(0.99):6.1f} ms  "
                f"server CPU {self.server_cpu / self.sent * 1000:5.2f} ms/req  "
                f"redis {self.redis_cpu / self.sent * 1000:4.2f} ms/req  "
                f"peak RSS {self.peak_rss:4.0f} MB  [{codes}]{ratio}")


def request_bytes(port: int, body: bytes, key: str) -> bytes:
    head = (f"POST /v1/articles HTTP/1.1\r\nHost: {HOST}:{port}\r\n"
            f"Authorization: Bearer {key}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n")
    return head.encode() + body


async def one_client(port: int, request: bytes, budget: list[int], deadline: float,
                     latencies: list[float], statuses: dict[int, int]) -> None:
    """Send requests one after another on one keep-alive connection while budget is left."""
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        while budget[0] > 0 and time.perf_counter() < deadline:
            budget[0] -= 1
            start = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n")[1:]:
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            if length:
                await reader.readexactly(length)
            latencies.append(time.perf_counter() - start)
            status = int(head[9:12])
            statuses[status] = statuses.get(status, 0) + 1
    finally:
        writer.close()


async def load(port: int, request: bytes, *, count: int, concurrency: int,
               max_seconds: float) -> tuple[int, float, list[float], dict[int, int]]:
    budget, latencies, statuses = [count], [], {}  # type: ignore[var-annotated]
    start = time.perf_counter()
    await asyncio.gather(*(one_client(port, request, budget, start + max_seconds, latencies,
                                      statuses) for _ in range(concurrency)))
    return len(latencies), time.perf_counter() - start, latencies, statuses


def measure(name: str, pid: int, redis_pid: int, port: int, request: bytes,
            args: argparse.Namespace) -> Run:
    asyncio.run(load(port, request, count=args.warmup, concurrency=args.concurrency,
                     max_seconds=args.max_seconds))
    server_before, redis_before = cpu_seconds(pid), cpu_seconds(redis_pid)
    sent, seconds, latencies, statuses = asyncio.run(load(
        port, request, count=args.requests, concurrency=args.concurrency,
        max_seconds=args.max_seconds))
    run = Run(name, sent, statuses, seconds, latencies, cpu_seconds(pid) - server_before,
              cpu_seconds(redis_pid) - redis_before, peak_rss_mb(pid))
    print(run.line(None), flush=True)
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--max-seconds", type=float, default=120.0)
    parser.add_argument("--words", type=int, default=500)
    parser.add_argument("--pg", metavar="URL", help="also measure on a scratch database of "
                        "this PostgreSQL server")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--floor", action="store_true", help="also the bare app storing each "
                        "body (raw sqlite3, or psycopg with --pg) and pushing its id to Redis: "
                        "the least an intake that keeps what it accepts costs in this stack")
    args = parser.parse_args()
    text = load_articles(1, words_each=args.words)[0]
    body = json.dumps({"text": text, "title": "Debate", "published_at": "2016-02-09T00:00:00Z",
                       "metadata": {"cms_id": "bench"}}).encode()
    print(f"{os.cpu_count()} cores; {len(text.split())} words, {len(body)} bytes a body; "
          f"{args.requests} requests at {args.concurrency} clients after {args.warmup} warm-up")
    runs: list[Run] = []
    with redis_server() as (redis_url, redis_pid):
        with service_env(redis_url) as env, bare_app(env) as (port, process):
            runs.append(measure("bare FastAPI", process.pid, redis_pid, port,
                                request_bytes(port, body, "none"), args))
        if args.floor:
            runs.extend(floor_runs(redis_url, redis_pid, body, args))
        databases: list[tuple[str, str | None]] = [] if args.no_sqlite else [("SQLite", None)]
        if args.pg:
            databases.append(("PostgreSQL", args.pg))
        for label, server in databases:
            if server is None:
                runs.append(service_run(label, redis_url, redis_pid, None, body, args))
                continue
            with scratch_postgres(server) as url:
                runs.append(service_run(label, redis_url, redis_pid, url, body, args))
    print("\nsummary")
    for run in runs:
        print(run.line(runs[0] if run is not runs[0] else None))
    for run in runs[1:]:
        verdict = "holds" if run.rate >= 0.5 * runs[0].rate and run.percentile(0.99) < 25 else \
            "misses"
        print(f"target >= 0.5x bare and p99 < 25 ms ({run.name}): {verdict}")


def floor_runs(redis_url: str, redis_pid: int, body: bytes,
               args: argparse.Namespace) -> list[Run]:
    """The bare app that also INSERTs each body and RPUSHes its id: SQLite, and PostgreSQL
    with ``--pg``."""
    runs = []
    with service_env(redis_url) as env:
        stores = [("SQLite", str(Path(env["CLAIMDESK_DATA_DIR"]) / "floor.db"))]
        with ExitStack() as stack:
            if args.pg:
                stores.append(("PostgreSQL", stack.enter_context(scratch_postgres(args.pg))))
            for label, store in stores:
                plain = store.replace("postgresql+psycopg://", "postgresql://", 1)
                with bare_app(env, store=plain, redis_url=redis_url) as (port, process):
                    runs.append(measure(f"floor {label}", process.pid, redis_pid, port,
                                        request_bytes(port, body, "none"), args))
    return runs


def service_run(label: str, redis_url: str, redis_pid: int, database_url: str | None,
                body: bytes, args: argparse.Namespace) -> Run:
    # The rate limit is on (its Redis call is part of the cost) but too high to refuse any.
    with service_env(redis_url, database_url,
                     rate_limit_submitter="1000000/s burst 1000000") as env:
        key = create_key(env)
        with serve(env) as (port, process):
            run = measure(f"claimdesk {label}", process.pid, redis_pid, port,
                          request_bytes(port, body, key), args)
    return run


if __name__ == "__main__":
    main()
