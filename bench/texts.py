"""Article-sized texts for the service benches, read in place from ../shared/datasets.

Consecutive sentences of the CLEF 2019 debate transcripts (the texts
``bench/extract_throughput.py`` uses), joined into texts of about ``words_each`` words with a
paragraph break every few sentences. No imports of the project: the load generator stays lean.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATASET = ROOT.parent / "shared" / "datasets" / "clef2019-t1-checkworthiness" / "train"


def transcript_lines() -> Iterator[str]:
    """The debate sentences in file order (moderator system lines left out)."""
    for path in sorted(DATASET.glob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                if len(row) < 3 or row[1] == "SYSTEM" or not row[2].strip():
                    continue
                yield row[2].strip()


def load_articles(count: int, words_each: int = 550,
                  lines_per_paragraph: int = 5) -> list[str]:
    """``count`` texts of consecutive sentences, about ``words_each`` words each."""
    articles: list[str] = []
    paragraphs: list[str] = []
    current: list[str] = []
    words = 0
    for line in transcript_lines():
        current.append(line)
        words += len(line.split())
        if len(current) == lines_per_paragraph or words >= words_each:
            paragraphs.append(" ".join(current))
            current = []
        if words >= words_each:
            articles.append("\n\n".join(paragraphs))
            paragraphs, words = [], 0
            if len(articles) == count:
                return articles
    raise SystemExit(f"the transcripts hold only {len(articles)} texts of {words_each} words")


def word_count(texts: list[str]) -> int:
    return sum(len(text.split()) for text in texts)
