"""Scoring of evidence linking on CLEF-2020 CheckThat! task 2 (tweet -> verified claim).

Pure: dataset readers, the tweet-as-claim builder, ranking with an injected search function,
the metrics (MAP@1, MAP@5, Recall@5) and the report. ``service/eval/matching.py`` loads the
verified claims into a store and runs this against it.
"""

from __future__ import annotations

import csv
import re
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc
from tqdm import tqdm

from schemas.claims import ClaimRecord, Span, TextRange
from workers.evidence.linker import Linker
from workers.pipeline.dates import find_dates
from workers.pipeline.quantities import find_quantities
from workers.pipeline.spans import entity_spans

URL_PREFIX = "clef2020-vclaim:"
PUBLISHED_BEST = {"map@5": 0.91, "team": "UNIPI-NLE, 2nd (winner Buster.ai ~0.929, unverified)"}
_ATTRIBUTION = re.compile(r"\s*[—–]\s*[^—–]*\(@\w+\)\s+[A-Z][a-z]+ \d{1,2}, \d{4}\s*$")
csv.field_size_limit(10_000_000)


def strip_attribution(tweet: str) -> str:
    """The tweet text without the trailing "— Name (@handle) Month D, YYYY" of an embed."""
    return _ATTRIBUTION.sub("", tweet).strip()


def read_vclaims(dataset_dir: Path) -> dict[str, tuple[str, str]]:
    """Verified claims by id: (claim, fact-check title)."""
    path = Path(dataset_dir) / "verified_claims.docs.tsv"
    with open(path, encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle, delimiter="\t")
        next(rows, None)
        return {row[0]: (row[1], row[2]) for row in rows if len(row) >= 3}


def read_queries(dataset_dir: Path, split: str) -> list[tuple[str, str]]:
    """(tweet id, tweet text) of one split, in file order."""
    path = Path(dataset_dir) / split / "tweets.queries.tsv"
    with open(path, encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle, delimiter="\t")
        next(rows, None)
        return [(row[0], row[1]) for row in rows if len(row) >= 2]


def read_qrels(dataset_dir: Path, split: str) -> dict[str, set[str]]:
    """Relevant verified-claim ids per tweet id (TREC qrels, relevant pairs only)."""
    gold: dict[str, set[str]] = {}
    path = Path(dataset_dir) / split / "tweet-vclaim-pairs.qrels"
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 4 and parts[3] != "0":
            gold.setdefault(parts[0], set()).add(parts[2])
    return gold


def average_precision_at(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    """AP truncated at k, as the CLEF-2020 scorer computes it (divided by all relevant)."""
    if not relevant:
        return 0.0
    hits, total = 0, 0.0
    for rank, item in enumerate(ranked[:k], start=1):
        if item in relevant:
            hits += 1
            total += hits / rank
    return total / len(relevant)


def recall_at(ranked: Sequence[str], relevant: set[str], k: int) -> float:
    """Share of the relevant items found in the top k."""
    return len(set(ranked[:k]) & relevant) / len(relevant) if relevant else 0.0


def ranking_metrics(rankings: dict[str, list[str]], gold: dict[str, set[str]]) -> dict[str, float]:
    """MAP@1, MAP@5 and Recall@5 over the queries that have relevant items."""
    queries = [q for q in rankings if gold.get(q)]
    if not queries:
        return {"map@1": 0.0, "map@5": 0.0, "recall@5": 0.0}
    n = len(queries)
    return {
        "map@1": sum(average_precision_at(rankings[q], gold[q], 1) for q in queries) / n,
        "map@5": sum(average_precision_at(rankings[q], gold[q], 5) for q in queries) / n,
        "recall@5": sum(recall_at(rankings[q], gold[q], 5) for q in queries) / n,
    }


def claim_from_doc(doc: Doc, anchor: date) -> ClaimRecord:
    """A claim whose statement is the whole parsed text, with its figures and entities."""
    text = doc.text
    spans = [Span(kind="quantity", text=text[q.start : q.end], start=q.start, end=q.end,
                  normalized=q.normalized()) for q in find_quantities(doc)]
    spans += [Span(kind="date", text=text[d.start : d.end], start=d.start, end=d.end,
                   normalized=d.normalized()) for d in find_dates(doc, anchor)]
    spans += entity_spans(doc[:])
    return ClaimRecord(text=text, start=0, end=len(text), statement=text,
                       sentence=TextRange(start=0, end=len(text)), checkworthiness=0.0,
                       spans=sorted(spans, key=lambda s: (s.start, s.end)))


def vclaim_id(hit: Any) -> str:
    return (hit.url or "").removeprefix(URL_PREFIX)


def rank_queries(claims: dict[str, ClaimRecord], *, search: Callable[[str], list[Any]],
                 linker: Linker, progress: bool) -> tuple[dict, dict]:
    """Per tweet: the search order (baseline) and the linker's re-ranked order of vclaim ids."""
    baseline: dict[str, list[str]] = {}
    reranked: dict[str, list[str]] = {}
    bar = tqdm(claims.items(), desc="rank", disable=not progress, file=sys.stderr)
    for tweet_id, claim in bar:
        hits = list(search(linker.query(claim)))[: linker.config.candidates]
        baseline[tweet_id] = [vclaim_id(h) for h in hits]
        reranked[tweet_id] = [vclaim_id(r.hit) for r in linker.rank(claim, hits)]
    return baseline, reranked


def tweet_claims(dataset_dir: Path, split: str, nlp: Language) -> dict[str, ClaimRecord]:
    """Each tweet of ``split``, its embed attribution removed, as a claim by tweet id."""
    queries = read_queries(dataset_dir, split)
    docs = nlp.pipe([strip_attribution(text) for _, text in queries], batch_size=64)
    return {tid: claim_from_doc(doc, date.today())
            for (tid, _), doc in zip(queries, docs, strict=True)}


def format_matching_report(result: dict[str, Any]) -> str:
    """A few readable lines: baseline, re-ranked, published best."""
    def line(name: str, m: dict[str, float]) -> str:
        return (f"  {name:<22} MAP@1 {m['map@1']:.4f}  MAP@5 {m['map@5']:.4f}  "
                f"Recall@5 {m['recall@5']:.4f}")

    mode = "lexical+semantic" if result["semantic"] else "lexical"
    best = result["published_best"]
    return "\n".join([
        f"CLEF-2020 task 2 {result['split']}: {result['n_queries']} tweets with gold, "
        f"{result['n_sources']} verified claims, top {result['candidates']} candidates",
        line("search order (BM25)", result["baseline"]),
        line(f"re-ranked ({mode})", result["reranked"]),
        f"  published best: MAP@5 {best['map@5']:.2f} ({best['team']})",
    ])
