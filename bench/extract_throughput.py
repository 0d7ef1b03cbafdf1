"""Extraction throughput: the full pipeline against bare ``nlp.pipe`` on the same texts.

Texts are built from the CLEF 2019 debate transcripts in ../shared/datasets, read in place.
Three cases: article-sized texts (consecutive sentences joined into ~600-word texts), one
5,000-word document and one document of 50,000+ words (consecutive sentences, a paragraph
break every few sentences, so the cost of per-sentence work that walks the whole document
shows). For each case both runs happen in this process, alternating, and the best of the
rounds is kept for each. Prints words/s for both and the ratio (target >= 0.80 on each).

    .venv/bin/python bench/extract_throughput.py [--articles 60] [--rounds 3]
        [--medium-rounds 6] [--long-words 55000] [--long-rounds 2] [--cases article,5k,long]
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workers.pipeline.pipeline import Pipeline, build_pipeline  # noqa: E402

DATASET = ROOT.parent / "shared" / "datasets" / "clef2019-t1-checkworthiness" / "train"
PUBLISHED = date(2019, 6, 1)


def transcript_lines() -> Iterator[str]:
    """The debate sentences in file order (moderator system lines left out)."""
    for path in sorted(DATASET.glob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                if len(row) < 3 or row[1] == "SYSTEM":
                    continue
                yield row[2].strip()


def load_articles(count: int, words_each: int = 600) -> list[str]:
    """Consecutive debate sentences, joined into article-sized texts."""
    articles, current, words = [], [], 0
    for line in transcript_lines():
        current.append(line)
        words += len(line.split())
        if words >= words_each:
            articles.append(" ".join(current))
            current, words = [], 0
            if len(articles) == count:
                return articles
    return articles


def load_document(words_wanted: int, lines_per_paragraph: int = 6) -> str:
    """One long document: consecutive sentences, a blank line every few sentences."""
    paragraphs, current, words = [], [], 0
    for line in transcript_lines():
        if not line:
            continue
        current.append(line)
        words += len(line.split())
        if len(current) == lines_per_paragraph or words >= words_wanted:
            paragraphs.append(" ".join(current))
            current = []
        if words >= words_wanted:
            break
    if current:
        paragraphs.append(" ".join(current))
    if words < words_wanted:
        raise SystemExit(f"the transcripts hold only {words} words, {words_wanted} asked for")
    return "\n\n".join(paragraphs)


def measure(name: str, pipeline: Pipeline, texts: list[str], rounds: int,
            batch_size: int) -> float:
    """Best-of-rounds words/s of bare ``nlp.pipe`` and of ``run_many``; prints and returns
    the ratio."""
    nlp = pipeline.nlp
    words = sum(len(t.split()) for t in texts)
    items = [(t, PUBLISHED) for t in texts]
    bare_best = full_best = float("inf")
    claims = 0
    for _ in range(rounds):
        start = time.perf_counter()
        for _doc in nlp.pipe(texts, batch_size=batch_size):
            pass
        bare_best = min(bare_best, time.perf_counter() - start)
        start = time.perf_counter()
        claims = sum(len(r) for r in pipeline.run_many(items))
        full_best = min(full_best, time.perf_counter() - start)
    bare_rate, full_rate = words / bare_best, words / full_best
    ratio = full_rate / bare_rate
    print(f"[{name}] texts: {len(texts)}, {words} words; {claims} claims extracted; "
          f"best of {rounds}")
    print(f"[{name}] bare nlp.pipe:  {bare_rate:10.0f} words/s  ({bare_best:.2f} s)")
    print(f"[{name}] full pipeline:  {full_rate:10.0f} words/s  ({full_best:.2f} s)")
    print(f"[{name}] ratio pipeline/bare: {ratio:.3f}  (target >= 0.80)", flush=True)
    return ratio


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--medium-words", type=int, default=5_000)
    parser.add_argument("--medium-rounds", type=int, default=6,
                        help="rounds of the 5k case (about a second each, so noisier)")
    parser.add_argument("--long-words", type=int, default=55_000)
    parser.add_argument("--long-rounds", type=int, default=2)
    parser.add_argument("--cases", default="article,5k,long",
                        help="comma-separated subset of: article, 5k, long")
    args = parser.parse_args()
    cases = {c.strip() for c in args.cases.split(",") if c.strip()}
    unknown = cases - {"article", "5k", "long"}
    if unknown:
        parser.error(f"unknown cases: {', '.join(sorted(unknown))}")
    pipeline = build_pipeline()
    articles = load_articles(args.articles)
    list(pipeline.nlp.pipe(articles[:4]))  # warm both paths
    pipeline.run_many([(t, PUBLISHED) for t in articles[:4]])
    ratios: dict[str, float] = {}
    if "article" in cases:
        ratios["article"] = measure("article", pipeline, articles, args.rounds, args.batch_size)
    if "5k" in cases:
        document = load_document(args.medium_words)
        ratios["5k"] = measure("5k words", pipeline, [document], args.medium_rounds,
                               args.batch_size)
    if "long" in cases:
        document = load_document(args.long_words)
        ratios["long"] = measure(f"{len(document.split()) // 1000}k words", pipeline,
                                 [document], args.long_rounds, args.batch_size)
    print("summary: " + ", ".join(f"{case} {ratio:.3f}" for case, ratio in ratios.items()))


if __name__ == "__main__":
    main()
