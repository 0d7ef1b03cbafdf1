"""Search latency: ``search_passages(limit=50)`` over synthetic corpora of growing size.

A deterministic generator writes English-like sentences (Zipf-distributed words from a fixed
list, plus numbers, years and made-up names), three to a passage and ten passages to a
document. Each size is bulk-loaded into a fresh SQLite file (migrated, FTS5 kept by its
triggers) and, with ``--pg URL`` or TEST_DATABASE_URL, a fresh PostgreSQL database (GIN index
rebuilt after the load, then ANALYZE). Claim-like queries from the same generator (another
seed) are timed; a primary-key lookup of a passage in the same session is the baseline.

    .venv/bin/python bench/search_latency.py [--sizes 10000 100000] [--with-1m] [--queries 200]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from service.store import search as search_module  # noqa: E402
from service.store.db import make_engine, make_session_factory  # noqa: E402
from service.store.migrate import upgrade_database  # noqa: E402
from service.store.models import Passage  # noqa: E402
from service.store.search import search_passages  # noqa: E402
from service.store.settings import Settings  # noqa: E402

WORDS = """the of and to in a is that for on was with as by at from said has have it be are
not this but had were which more will its after been also their about year percent government
people than new million billion first two three last over state would other into could time
says minister report data rate rates growth increase decrease fell rose economy economic
unemployment jobs job workers wages prices inflation tax taxes budget deficit debt spending
health hospital hospitals patients doctors nurses waiting lists school schools students
teachers education crime police officers arrests prison sentences court ruling law laws
election vote votes voters poll polls campaign party parties leader president senator mayor
council city cities region regional national country countries border migrants immigration
asylum refugees housing homes rent prices mortgage interest bank banks central energy oil gas
electricity coal wind solar emissions carbon climate temperature record warming water drought
flood floods farmers farm food exports imports trade tariffs companies company firms profits
revenue sales market markets shares investors index stocks quarter month week annual survey
study research scientists vaccine vaccines cases deaths infections virus pandemic lockdown
transport railway trains roads traffic accidents airport flights passengers tourism tourists
visitors population births average median income poverty households families children pension
pensions benefits welfare spending cuts funding investment billion contracts defence military
troops army security attacks safety fire forest hectares land acres square kilometres miles
doubled tripled halved highest lowest since ever decade decades century official officials
figures statistics office agency department ministry according claims claimed denied promised
announced reported estimated measured compared between under almost nearly roughly around""".split()
NAMES = ["Smith", "Garcia", "Okafor", "Nguyen", "Kowalski", "Haddad", "Tanaka", "Ivanova",
         "Moreau", "Rossi", "Kapoor", "Mensah", "Larsen", "Silva", "Novak", "Ahmed"]
PLACES = ["Northland", "Eastport", "Riverton", "Lakeside", "Westmoor", "Highgate", "Brookfield",
          "Kingsbury", "Ashford", "Millbrook", "Stonebridge", "Fairhaven"]


class Generator:
    """English-like sentences: Zipf-weighted words, numbers, years, names and places."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)
        self.weights = [1.0 / (rank + 1) for rank in range(len(WORDS))]

    def sentence(self, words: int) -> str:
        pick = self.random.choices(WORDS, self.weights, k=words)
        slots = self.random.sample(range(words), 3)
        pick[slots[0]] = f"{self.random.choice(NAMES)}"
        pick[slots[1]] = self.random.choice([
            f"{self.random.randint(2, 999):,}", f"{self.random.uniform(0, 100):.1f} percent",
            str(self.random.randint(1990, 2025)), f"{self.random.randint(1, 9_999) * 1000:,}"])
        pick[slots[2]] = self.random.choice(PLACES)
        return " ".join(pick).capitalize() + "."

    def passage(self) -> str:
        return " ".join(self.sentence(self.random.randint(10, 22)) for _ in range(3))


def passages(count: int, *, seed: int, start: int) -> Iterator[tuple[int, str, str]]:
    """``(passage id, source id, text)`` for ids ``start+1 .. start+count``."""
    generator = Generator(seed + start)
    for number in range(start + 1, start + count + 1):
        yield number, f"src_bench{(number - 1) // 10:09d}", generator.passage()


def source_ids(start: int, stop: int) -> list[str]:
    """The documents that passages ``start+1 .. stop`` open (ten passages each)."""
    return [f"src_bench{n // 10:09d}" for n in range(start, stop) if n % 10 == 0]


def load_sqlite(url: str, *, start: int, stop: int) -> None:
    """Insert passages with executemany; the FTS5 triggers index them, then 'optimize'."""
    engine = make_engine(url)
    raw = engine.raw_connection()
    cursor = raw.cursor()
    cursor.executemany(
        "INSERT INTO sources (id, org_id, kind, text, metadata, created_at, updated_at) "
        "VALUES (?, 'org_default', 'document', '', '{}', '2026-01-01', '2026-01-01')",
        [(s,) for s in source_ids(start, stop)])
    cursor.executemany(
        "INSERT INTO passages (id, org_id, source_id, position, start_offset, end_offset, text) "
        "VALUES (?, 'org_default', ?, 0, 0, ?, ?)",
        ((n, s, len(t), t) for n, s, t in passages(stop - start, seed=7, start=start)))
    raw.commit()
    cursor.execute("INSERT INTO passages_fts(passages_fts) VALUES ('optimize')")
    cursor.execute("ANALYZE")
    raw.commit()
    raw.close()
    engine.dispose()


def load_postgres(url: str, *, start: int, stop: int) -> None:
    """COPY sources and passages (tsv is generated), rebuild the GIN index, ANALYZE."""
    engine = make_engine(url)
    raw = engine.raw_connection()
    cursor = raw.cursor()
    cursor.execute("DROP INDEX IF EXISTS ix_passages_tsv")
    with cursor.copy("COPY sources (id, org_id, kind, text, metadata, created_at, updated_at) "
                     "FROM STDIN") as copy:  # type: ignore[attr-defined]
        for source_id in source_ids(start, stop):
            copy.write_row((source_id, "org_default", "document", "", "{}", "2026-01-01",
                            "2026-01-01"))
    with cursor.copy("COPY passages (id, org_id, source_id, position, start_offset, "
                     "end_offset, text) FROM STDIN") as copy:  # type: ignore[attr-defined]
        for number, source_id, passage in passages(stop - start, seed=7, start=start):
            copy.write_row((number, "org_default", source_id, 0, 0, len(passage), passage))
    cursor.execute("SET maintenance_work_mem = '256MB'")
    cursor.execute("CREATE INDEX ix_passages_tsv ON passages USING gin (tsv)")
    raw.commit()
    raw.close()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE passages"))
        conn.execute(text("VACUUM ANALYZE sources"))
    engine.dispose()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def timed(calls: list[Callable[[], object]]) -> list[float]:
    """Milliseconds each call took."""
    times = []
    for call in calls:
        began = time.perf_counter()
        call()
        times.append((time.perf_counter() - began) * 1000)
    return times


def measure(url: str, *, size: int, queries: list[str]) -> dict[str, float]:
    """p50/p95 of searches and of primary-key lookups, through one session."""
    engine = make_engine(url)
    search_module._STATS_CACHE.clear()  # the service refreshes them every few minutes
    with make_session_factory(engine)() as session:
        search = [_search(session, q) for q in queries]
        timed(search[:20])  # warm caches
        search_ms = timed(search)
        ids = random.Random(3).sample(range(1, size + 1), 200)
        lookup_ms = timed([_lookup(session, i) for i in ids])
        hits = statistics.mean(len(search_passages(session, org_id="org_default", query=q,
                                                   limit=50)) for q in queries[:20])
    engine.dispose()
    return {"p50": percentile(search_ms, 0.5), "p95": percentile(search_ms, 0.95),
            "max": max(search_ms), "pk_p50": percentile(lookup_ms, 0.5), "hits": hits}


def _search(session: Session, query: str) -> Callable[[], object]:
    return lambda: search_passages(session, org_id="org_default", query=query, limit=50)


def _lookup(session: Session, passage_id: int) -> Callable[[], object]:
    def run() -> object:
        session.expunge_all()
        return session.get(Passage, passage_id)
    return run


def fresh_postgres(server: str) -> tuple[str, Callable[[], None]]:
    """A new database on ``server`` and a function that drops it."""
    url = make_url(server.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"claimdesk_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False), drop


def run_backend(name: str, url: str, *, sizes: list[int], queries: list[str],
                loader: Callable[..., None]) -> list[dict[str, object]]:
    upgrade_database(Settings(database_url=url, data_dir=Path(tempfile.gettempdir())))
    results: list[dict[str, object]] = []
    loaded = 0
    for size in sizes:
        began = time.perf_counter()
        loader(url, start=loaded, stop=size)
        load_s = time.perf_counter() - began
        loaded = size
        figures = measure(url, size=size, queries=queries)
        row = {"backend": name, "passages": size, "load_s": round(load_s, 1), **figures}
        results.append(row)
        print(f"{name:10} {size:>9,} passages  load {load_s:7.1f}s  search p50 "
              f"{figures['p50']:7.2f} ms  p95 {figures['p95']:7.2f} ms  max {figures['max']:7.2f}"
              f" ms  p95/p50 {figures['p95'] / figures['p50']:5.2f}  pk lookup p50 "
              f"{figures['pk_p50']:.3f} ms  (p50/pk {figures['p50'] / figures['pk_p50']:6.1f}x)"
              f"  hits/query {figures['hits']:.0f}", flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--with-1m", action="store_true", help="also load 1,000,000 passages")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--pg", default=os.environ.get("TEST_DATABASE_URL"),
                        help="PostgreSQL server URL (a fresh database is created and dropped)")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--json", action="store_true", help="also print the figures as JSON")
    args = parser.parse_args()
    sizes = sorted(set(args.sizes + ([1_000_000] if args.with_1m else [])))
    generator = Generator(seed=2024)
    queries = [generator.sentence(generator.random.randint(8, 20)) for _ in range(args.queries)]
    results: list[dict[str, object]] = []
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory(prefix="claimdesk-bench-") as tmp:
            url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
            results += run_backend("sqlite", url, sizes=sizes, queries=queries,
                                   loader=load_sqlite)
    if args.pg:
        url, drop = fresh_postgres(args.pg)
        try:
            results += run_backend("postgresql", url, sizes=sizes, queries=queries,
                                   loader=load_postgres)
        finally:
            drop()
    if args.json:
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
