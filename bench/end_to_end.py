"""End to end: a ~500-word article from ``POST /v1/articles`` to ``processed`` with an idle
worker, beside bare spaCy on the same text; and the peak memory of each process.

``claimdesk serve --workers 0`` and one ``claimdesk worker`` on a redis-server of their own
and a scratch SQLite file (``--pg URL``: a scratch PostgreSQL database instead). After two
unmeasured articles, ``--runs`` articles (consecutive CLEF 2019 debate sentences) are posted
one at a time, each once the worker is idle again, and ``GET /v1/articles/{id}`` is polled
every 5 ms until the article is processed. Prints the median and the spread beside the
median of ``nlp(text)`` (the same spaCy model, loaded plainly) on the same texts (target:
median < 0.3 s), then the peak RSS (VmHWM) of serve, of the worker, and of its work horses
(sampled every 5 ms).

    .venv/bin/python bench/end_to_end.py [--runs 10] [--pg postgresql://...]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import threading
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from services import (  # noqa: E402
    children,
    create_key,
    peak_rss_mb,
    redis_server,
    scratch_postgres,
    serve,
    service_env,
    workers,
)
from texts import load_articles  # noqa: E402


class HorseWatch:
    """Samples the peak RSS of a worker's children (its work horses) on a thread."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self._stop = pid, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.005):
            for child in children(self.pid):
                try:
                    self.peak = max(self.peak, peak_rss_mb(child))
                except OSError:
                    pass

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak


def bare_spacy(texts: list[str]) -> list[float]:
    import spacy

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from workers.pipeline.pipeline import DEFAULT_MODEL

    nlp = spacy.load(DEFAULT_MODEL)
    nlp(texts[0])
    times = []
    for text in texts:
        start = time.perf_counter()
        nlp(text)
        times.append(time.perf_counter() - start)
    return times


def post_and_wait(port: int, key: str, text: str, timeout: float = 60.0) -> float:
    import httpx

    body = {"text": text, "title": "Debate", "published_at": "2016-02-09T00:00:00Z"}
    with httpx.Client(base_url=f"http://127.0.0.1:{port}",
                      headers={"Authorization": f"Bearer {key}"}, timeout=10) as client:
        start = time.perf_counter()
        response = client.post("/v1/articles", content=json.dumps(body),
                               headers={"Content-Type": "application/json"})
        response.raise_for_status()
        location = response.headers["Location"]
        while True:
            state = client.get(location).json()["state"]
            if state in ("processed", "failed"):
                elapsed = time.perf_counter() - start
                if state == "failed":
                    raise SystemExit(f"the article failed: {client.get(location).text}")
                return elapsed
            if time.perf_counter() - start > timeout:
                raise SystemExit(f"the article is still {state} after {timeout} s")
            time.sleep(0.005)


def wait_for_worker(redis_url: str, count: int = 1) -> None:
    from redis import Redis
    from rq import Worker

    connection = Redis.from_url(redis_url)
    deadline = time.monotonic() + 120
    while len(Worker.all(connection=connection)) < count:
        if time.monotonic() > deadline:
            raise SystemExit("the worker did not start")
        time.sleep(0.1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--words", type=int, default=500)
    parser.add_argument("--pg", metavar="URL", help="a PostgreSQL server for a scratch database")
    args = parser.parse_args()
    texts = load_articles(args.runs + 2, words_each=args.words)
    print(f"{os.cpu_count()} cores; {args.runs} articles of ~{args.words} words "
          f"({'PostgreSQL' if args.pg else 'SQLite'})", flush=True)
    with ExitStack() as stack:
        redis_url, _ = stack.enter_context(redis_server())
        database = stack.enter_context(scratch_postgres(args.pg)) if args.pg else None
        env = stack.enter_context(service_env(redis_url, database,
                                              rate_limit_submitter="off"))
        key = create_key(env)
        port, server = stack.enter_context(serve(env))
        (worker,) = stack.enter_context(workers(env, 1))
        wait_for_worker(redis_url)
        for text in texts[:2]:
            post_and_wait(port, key, text)
        watch = HorseWatch(worker.pid)
        times = []
        for text in texts[2:]:
            time.sleep(0.5)  # the worker idle again, its follow-up jobs done
            times.append(post_and_wait(port, key, text))
        horse = watch.stop()
        serve_rss, worker_rss = peak_rss_mb(server.pid), peak_rss_mb(worker.pid)
    bare = bare_spacy(texts[2:])
    median = statistics.median(times)
    print(f"POST to processed: median {median:.3f} s (min {min(times):.3f}, "
          f"max {max(times):.3f}) over {len(times)}")
    print(f"bare nlp(text):    median {statistics.median(bare):.3f} s "
          f"(min {min(bare):.3f}, max {max(bare):.3f})")
    print(f"target: median < 0.3 s: {'holds' if median < 0.3 else 'misses'}")
    print(f"peak RSS: serve {serve_rss:.0f} MB, worker {worker_rss:.0f} MB, "
          f"work horse {horse:.0f} MB")


if __name__ == "__main__":
    main()
