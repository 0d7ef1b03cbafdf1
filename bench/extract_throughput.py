"""Extraction throughput: the full pipeline against bare ``nlp.pipe`` on the same texts.

Articles are built from the CLEF 2019 debate transcripts in ../shared/datasets (consecutive
sentences joined into ~600-word texts). Both runs happen in this process, alternating, and
the best of the rounds is kept for each. Prints words/s for both and the ratio.

    .venv/bin/python bench/extract_throughput.py [--articles 60] [--rounds 3]
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workers.pipeline.pipeline import build_pipeline  # noqa: E402

DATASET = ROOT.parent / "shared" / "datasets" / "clef2019-t1-checkworthiness" / "train"


def load_articles(count: int, words_each: int = 600) -> list[str]:
    """Consecutive debate sentences, joined into article-sized texts."""
    articles, current, words = [], [], 0
    for path in sorted(DATASET.glob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                if len(row) < 3 or row[1] == "SYSTEM":
                    continue
                current.append(row[2].strip())
                words += len(row[2].split())
                if words >= words_each:
                    articles.append(" ".join(current))
                    current, words = [], 0
                    if len(articles) == count:
                        return articles
    return articles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args()
    texts = load_articles(args.articles)
    words = sum(len(t.split()) for t in texts)
    pipeline = build_pipeline()
    nlp = pipeline.nlp
    items = [(t, date(2019, 6, 1)) for t in texts]
    list(nlp.pipe(texts[:4]))  # warm both paths
    pipeline.run_many(items[:4])
    bare_best = full_best = float("inf")
    claims = 0
    for _ in range(args.rounds):
        start = time.perf_counter()
        for _doc in nlp.pipe(texts, batch_size=args.batch_size):
            pass
        bare_best = min(bare_best, time.perf_counter() - start)
        start = time.perf_counter()
        claims = sum(len(r) for r in pipeline.run_many(items))
        full_best = min(full_best, time.perf_counter() - start)
    bare_rate, full_rate = words / bare_best, words / full_best
    print(f"texts: {len(texts)} articles, {words} words; {claims} claims extracted")
    print(f"bare nlp.pipe:  {bare_rate:10.0f} words/s  ({bare_best:.2f} s)")
    print(f"full pipeline:  {full_rate:10.0f} words/s  ({full_best:.2f} s)")
    print(f"ratio pipeline/bare: {full_rate / bare_rate:.3f}  (target >= 0.80)")


if __name__ == "__main__":
    main()
