"""RQ jobs: thin, take ids, do the I/O around the pure pipeline and linker.

Retry policy lives at the enqueue call (``service/store/queue.py``), not here. ``process_article``
takes up to ``batch_size`` queued articles of the organisation at once, so a busy worker parses
them in one ``nlp.pipe`` stream; their own jobs then find them done and return.
"""

from __future__ import annotations

import logging
import os
from datetime import timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from service.store import articles, claims, lifecycle
from service.store.db import make_engine, make_session_factory, transaction
from service.store.queue import connect_redis, enqueue_link_article, make_queue
from service.store.search import cache_passage_spans, search_passages
from service.store.settings import Settings
from workers.evidence import Linker, LinkerConfig
from workers.pipeline.pipeline import Pipeline, PipelineConfig, build_pipeline

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def _pipeline(model: str, max_sentence_chars: int) -> Pipeline:
    return build_pipeline(PipelineConfig(model=model, max_sentence_chars=max_sentence_chars))


@lru_cache(maxsize=1)
def _linker(model: str, top_k: int, candidates: int, semantic: bool) -> Linker:
    config = LinkerConfig(top_k=top_k, candidates=candidates, semantic=semantic)
    return Linker(_pipeline(model, Settings().max_sentence_chars).nlp, config)


@lru_cache(maxsize=4)
def _sessions(url: str, pid: int) -> sessionmaker[Session]:
    """One engine per process (keyed by pid, so a forked work horse opens its own)."""
    return make_session_factory(make_engine(url))


def warm_up(settings: Settings | None = None) -> None:
    """Load the spaCy model before the work loop, so every forked job starts warm."""
    settings = settings or Settings()
    _pipeline(settings.spacy_model, settings.max_sentence_chars)


def process_article(article_id: str, org_id: str) -> dict[str, Any]:
    """Extract claims of the article (and of the queued ones it batches), store, queue linking."""
    settings = Settings()
    factory = _sessions(settings.resolved_database_url(), os.getpid())
    lease = f"process-article-{article_id}"
    with transaction(factory) as session:
        batch = [(a.id, a.text, a.published_at or a.received_at) for a in lifecycle.lease_batch(
            session, org_id=org_id, article_id=article_id, lease=lease,
            limit=settings.batch_size, stale_after=timedelta(seconds=2 * settings.job_timeout))]
    if not batch:
        return {"article_id": article_id, "skipped": "done, failed or held by another job"}
    empty = [a for a in batch if not a[1].strip()]
    todo = [a for a in batch if a[1].strip()]
    with transaction(factory) as session:
        for aid, _, _ in empty:
            lifecycle.mark_failed(session, org_id=org_id, article_id=aid,
                                  reason="the article has no text")
    try:
        pipeline = _pipeline(settings.spacy_model, settings.max_sentence_chars)
        results = pipeline.run_many([(text, published) for _, text, published in todo])
    except Exception:
        with transaction(factory) as session:
            others = [aid for aid, _, _ in todo if aid != article_id]
            lifecycle.release(session, org_id=org_id, article_ids=others, lease=lease)
        raise
    queue = make_queue(settings, connect_redis(settings.redis_url or ""))
    for (aid, _, _), records in zip(todo, results, strict=True):
        with transaction(factory) as session:
            claims.replace_claims(session, org_id=org_id, article_id=aid, records=records)
        enqueue_link_article(queue, org_id=org_id, article_id=aid,
                             job_timeout=settings.job_timeout)
    return {"article_id": article_id, "batch": [aid for aid, _, _ in batch]}


def link_article(article_id: str, org_id: str) -> dict[str, Any]:
    """Link the article's claims to evidence, assess them, and mark the article processed."""
    settings = Settings()
    factory = _sessions(settings.resolved_database_url(), os.getpid())
    linker = _linker(settings.spacy_model, settings.evidence_top_k,
                     settings.evidence_candidates, settings.semantic_rerank)
    with transaction(factory) as session:
        article = articles.get_article(session, org_id=org_id, article_id=article_id)
        if article.state != "processing":
            return {"article_id": article_id, "skipped": article.state}
        anchor = (article.published_at or article.received_at).date()
        rows = claims.article_claim_rows(session, org_id=org_id, article_id=article_id)
        records = [claims.to_claim_out(row) for row in rows]

        seen: list[Any] = []

        def search(query: str) -> list[Any]:
            hits = search_passages(session, org_id=org_id, query=query,
                                   limit=settings.evidence_candidates)
            seen.extend(hits)
            return hits

        linked = linker.link_many(records, search=search, anchor=anchor)
        for row, (evidence, verification) in zip(rows, linked, strict=True):
            claims.set_evidence(row, evidence=evidence, verification=verification)
        unparsed = [hit for hit in seen if hit.spans is None]
        cache_passage_spans(session, org_id=org_id,
                            spans_by_passage=linker.passage_spans(unparsed, anchor=anchor))
        lifecycle.mark_processed(session, org_id=org_id, article_id=article_id)
    return {"article_id": article_id, "claims": len(records)}


def on_process_article_failure(job: Any, connection: Any, exc_type: type, exc: BaseException,
                               tb: Any) -> None:
    """RQ failure callback: once no retry is left, the article is ``failed`` with the reason."""
    if job.retries_left:
        return
    kwargs = job.kwargs
    settings = Settings()
    factory = _sessions(settings.resolved_database_url(), os.getpid())
    with transaction(factory) as session:
        lifecycle.mark_failed(session, org_id=kwargs["org_id"], article_id=kwargs["article_id"],
                              reason=f"{exc_type.__name__}: {exc}")
