"""``claimdesk eval matching``: CLEF-2020 task 2 against a real sources store.

The 10,375 verified claims are stored as ``fact_check`` sources through the same path as any
import (``upsert_source``; the URL ``clef2020-vclaim:<id>`` makes reruns update nothing).
Each tweet is run as a claim; the search order alone (the BM25 baseline) and the linker's
re-ranking are scored by ``workers.evaluation.matching``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker
from tqdm import tqdm

from schemas.sources import SourceCreate
from service.store.search import PassageHit, search_passages
from service.store.sources import upsert_source
from workers.evaluation.matching import (
    PUBLISHED_BEST,
    URL_PREFIX,
    rank_queries,
    ranking_metrics,
    read_qrels,
    read_vclaims,
    tweet_claims,
)
from workers.evidence.linker import Linker


def load_vclaims(dataset_dir: Path, *, session_factory: sessionmaker[Session], org_id: str,
                 progress: bool = True) -> int:
    """Store every verified claim as a fact_check source; return how many there are."""
    items = list(read_vclaims(dataset_dir).items())
    bar = tqdm(range(0, len(items), 500), desc="load verified claims", disable=not progress,
               file=sys.stderr)
    for start in bar:
        with session_factory() as session, session.begin():
            for vclaim_id, (claim, title) in items[start : start + 500]:
                source = SourceCreate(kind="fact_check", claim_reviewed=claim, title=title or None,
                                      url=f"{URL_PREFIX}{vclaim_id}", publisher="Snopes")
                upsert_source(session, org_id=org_id, source=source)
    return len(items)


def evaluate_matching(dataset_dir: Path, *, session_factory: sessionmaker[Session], org_id: str,
                      linker: Linker, progress: bool = True,
                      split: str = "test") -> dict[str, Any]:
    """MAP@1, MAP@5, Recall@5 on one split: search order alone, and re-ranked by the linker."""
    n_sources = load_vclaims(dataset_dir, session_factory=session_factory, org_id=org_id,
                             progress=progress)
    gold = read_qrels(dataset_dir, split)
    claims = tweet_claims(dataset_dir, split, linker.nlp)
    with session_factory() as session:
        def search(query: str) -> list[PassageHit]:
            return search_passages(session, org_id=org_id, query=query,
                                   kind="fact_check", limit=linker.config.candidates)

        baseline, reranked = rank_queries(claims, search=search, linker=linker,
                                          progress=progress)
    return {
        "dataset": "clef2020-t2", "split": split,
        "n_queries": sum(1 for tweet_id in claims if gold.get(tweet_id)),
        "n_sources": n_sources, "candidates": linker.config.candidates,
        "semantic": linker.semantic is not None,
        "baseline": ranking_metrics(baseline, gold), "reranked": ranking_metrics(reranked, gold),
        "published_best": PUBLISHED_BEST,
    }
