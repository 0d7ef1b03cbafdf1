"""RQ jobs: thin, take ids, do the I/O around the pure pipeline and linker.

Retry policy lives at the enqueue call (``service/store/queue.py``), not here. ``process_article``
takes up to ``batch_size`` queued articles of the organisation at once, so a busy worker parses
them in one ``nlp.pipe`` stream; their own jobs then find them done and return.
``link_article`` (after extraction) and ``relink_claims`` (after evidence changed, or on demand)
link claims with one body, ``_link_claims``; which claims a relink covers is the store's
question (``service.store.relink``).
"""

from __future__ import annotations

import logging
import os
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from schemas.relink import RelinkScope
from service.store import articles, claims, lifecycle, relink, webhooks
from service.store.clock import utcnow
from service.store.db import make_engine, make_session_factory, transaction
from service.store.models import Article, Claim
from service.store.queue import (
    connect_redis,
    enqueue_link_article,
    enqueue_relink_claims,
    make_queue,
    queue_deliveries,
)
from service.store.search import cache_passage_embeddings, cache_passage_spans, search_passages
from service.store.settings import Settings
from service.store.verdicts import claim_source_url
from service.webhooks import DeliveryFailed, deliver
from workers.evidence import Linker, LinkerConfig
from workers.evidence.measures import annotated
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
    """Load the spaCy model and the linker's sentence encoder before the work loop, so every
    forked job starts warm."""
    settings = settings or Settings()
    _pipeline(settings.spacy_model, settings.max_sentence_chars)
    _linker(settings.spacy_model, settings.evidence_top_k, settings.evidence_candidates,
            settings.semantic_rerank)


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
    linked_at = utcnow()
    with transaction(factory) as session:
        article = articles.get_article(session, org_id=org_id, article_id=article_id)
        if article.state != "processing":
            return {"article_id": article_id, "skipped": article.state}
        rows = claims.article_claim_rows(session, org_id=org_id, article_id=article_id)
        _link_claims(session, settings, org_id=org_id, rows=rows, anchor=_anchor(article),
                     linked_at=linked_at)
        processed = lifecycle.mark_processed(session, org_id=org_id, article_id=article_id)
        deliveries = webhooks.record_event(
            session, org_id=org_id, event="article.processed",
            data=webhooks.article_processed_data(processed, claim_count=len(rows)))
    if deliveries:
        queue = make_queue(settings, connect_redis(settings.redis_url or ""))
        queue_deliveries(queue, org_id=org_id, delivery_ids=deliveries, settings=settings)
    return {"article_id": article_id, "claims": len(rows)}


def relink_claims(org_id: str, scope: dict[str, Any]) -> dict[str, Any]:
    """Link again the claims of ``scope`` (a ``RelinkScope``) that evidence changes concern.

    One batch of at most ``relink_max_claims``, one transaction per article; a follow-up job
    takes the rest. Only the automatic assessment, evidence and ``linked_at`` change.
    """
    settings = Settings()
    factory = _sessions(settings.resolved_database_url(), os.getpid())
    with transaction(factory) as session:
        batch = relink.next_batch(session, org_id=org_id, scope=RelinkScope.model_validate(scope),
                                  limit=settings.relink_max_claims,
                                  per_passage=settings.relink_claims_per_passage)
        by_article = claims.claim_ids_by_article(session, org_id=org_id,
                                                 claim_ids=batch.claim_ids)
    linked = 0
    for article_id, claim_ids in by_article.items():
        linked_at = utcnow()
        with transaction(factory) as session:
            article = articles.get_article(session, org_id=org_id, article_id=article_id)
            if article.state != "processed":  # being processed again: its own job links it
                continue
            rows = claims.claim_rows(session, org_id=org_id, claim_ids=claim_ids)
            _link_claims(session, settings, org_id=org_id, rows=rows, anchor=_anchor(article),
                         linked_at=linked_at)
            linked += len(rows)
    follow_up = None
    if batch.follow_up is not None:
        queue = make_queue(settings, connect_redis(settings.redis_url or ""))
        follow_up = enqueue_relink_claims(queue, org_id=org_id, scope=batch.follow_up,
                                          job_timeout=settings.job_timeout).id
    return {"claims": linked, "follow_up": follow_up}


def _anchor(article: Article) -> date:
    """The date relative dates in the article's claims count from."""
    return (article.published_at or article.received_at).date()


def _link_claims(session: Session, settings: Settings, *, org_id: str, rows: list[Claim],
                 anchor: date, linked_at: datetime) -> None:
    """Link claim rows of one article to the organisation's evidence and store the outcome:
    evidence, the automatic assessment and ``linked_at``. The caller takes ``linked_at`` before
    its transaction reads anything, so a source stored after it is one this linking may not
    have seen, and that source's relink job (``linked_before`` later still) does the claim."""
    linker = _linker(settings.spacy_model, settings.evidence_top_k,
                     settings.evidence_candidates, settings.semantic_rerank)
    records = [claims.to_claim_out(row) for row in rows]

    seen: list[Any] = []

    own = {claim_source_url(row.id) for row in rows}  # a claim's own verdict is no evidence

    def search(query: str) -> list[Any]:
        hits = [hit for hit in search_passages(session, org_id=org_id, query=query,
                                               limit=settings.evidence_candidates)
                if hit.url not in own]
        seen.extend(hits)
        return hits

    linked = linker.link_many(records, search=search, anchor=anchor)
    for row, (evidence, verification) in zip(rows, linked, strict=True):
        claims.set_evidence(session, row, evidence=evidence, verification=verification,
                            linked_at=linked_at)
    unparsed = [hit for hit in seen if not annotated(hit.spans)]
    cache_passage_spans(session, org_id=org_id,
                        spans_by_passage=linker.passage_spans(unparsed, anchor=anchor))
    cache_passage_embeddings(session, org_id=org_id,
                             embeddings_by_passage=linker.passage_embeddings(seen))


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


def deliver_webhook(delivery_id: str, org_id: str) -> dict[str, Any]:
    """Send one webhook delivery once; record the attempt, then raise on failure so RQ retries.

    The attempt is committed before raising, so the log shows every try. A target the address
    check refuses ends the delivery ``failed`` with no retry.
    """
    settings = Settings()
    factory = _sessions(settings.resolved_database_url(), os.getpid())
    with transaction(factory) as session:
        message = webhooks.outgoing(session, org_id=org_id, delivery_id=delivery_id)
    if message is None:
        return {"delivery_id": delivery_id, "skipped": "not pending, or webhook deleted"}
    attempt = deliver(message.url, secret=message.secret, msg_id=message.delivery_id,
                      body=message.body, timeout=settings.webhook_timeout,
                      allow_private=settings.webhook_allow_private)
    with transaction(factory) as session:
        webhooks.record_attempt(session, org_id=org_id, delivery_id=delivery_id,
                                attempt=attempt.as_record(), delivered=attempt.ok,
                                final=attempt.refused)
    if not attempt.ok and not attempt.refused:
        raise DeliveryFailed(attempt.error)
    return {"delivery_id": delivery_id, "status_code": attempt.status_code,
            "error": attempt.error}


def on_deliver_webhook_failure(job: Any, connection: Any, exc_type: type, exc: BaseException,
                               tb: Any) -> None:
    """RQ failure callback: once no retry is left, the delivery ends ``failed``."""
    if job.retries_left:
        return
    settings = Settings()
    factory = _sessions(settings.resolved_database_url(), os.getpid())
    with transaction(factory) as session:
        webhooks.mark_failed(session, org_id=job.kwargs["org_id"],
                             delivery_id=job.kwargs["delivery_id"])
