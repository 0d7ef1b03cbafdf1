"""RQ jobs: thin, take ids, do the I/O around the pure pipeline and linker.

Retry policy lives at the enqueue call (``service/store/queue.py``), not here. ``process_article``
takes up to ``batch_size`` queued articles of the organisation at once, so a busy worker parses
them in one ``nlp.pipe`` stream; their own jobs then find them done and return.
``link_article`` (after extraction) and ``relink_claims`` (after evidence changed, or on demand)
link claims with one body, ``_link_claims``; which claims a relink covers is the store's
question (``service.store.relink``).

What a job needs is built once per process and kept: the pipeline, the linker, the engine
(a forked work horse keeps its parent's, with a fresh pool) and the queue. ``runs_inline``
tells the worker which jobs it may run in its own process instead of forking a work horse
(``workers.execution``).
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from rq import Queue
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from schemas.relink import RelinkScope
from service.server_options import freeze_heap
from service.store import articles, claims, lifecycle, relink, webhooks
from service.store.clock import utcnow
from service.store.db import make_engine, make_session_factory, transaction
from service.store.leases import hand_back_articles, release_lease
from service.store.models import Article, Claim
from service.store.queue import (
    DELIVER_WEBHOOK,
    LINK_ARTICLE,
    PROCESS_ARTICLE,
    connect_redis,
    enqueue_link_article,
    enqueue_relink_claims,
    process_article_job_id,
    queue_deliveries,
)
from service.store.search import (
    cache_passage_embeddings,
    cache_passage_spans,
    has_sources,
    search_passages,
)
from service.store.settings import Settings
from service.store.verdicts import claim_source_url
from service.webhooks import DeliveryFailed, deliver
from workers.evidence import Linker, LinkerConfig
from workers.evidence.assess import verdict
from workers.evidence.measures import annotated
from workers.observe import observed_job, record_stages, timed_link
from workers.pipeline.pipeline import Pipeline, PipelineConfig, build_pipeline

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def _pipeline(model: str, max_sentence_chars: int, semantic_scoring: bool = False) -> Pipeline:
    return build_pipeline(PipelineConfig(model=model, max_sentence_chars=max_sentence_chars,
                                         semantic_checkworthiness=semantic_scoring))


@lru_cache(maxsize=1)
def _linker(model: str, top_k: int, candidates: int, semantic: bool) -> Linker:
    config = LinkerConfig(top_k=top_k, candidates=candidates, semantic=semantic)
    settings = Settings()
    return Linker(_pipeline(model, settings.max_sentence_chars,
                            settings.checkworthiness_semantic).nlp, config)


def _settings() -> Settings:
    """The settings, as the environment gives them now (built again only when it changed:
    building them costs more than some jobs)."""
    return _settings_of(tuple(sorted(
        (key, value) for key, value in os.environ.items()
        if key.startswith("CLAIMDESK_") or key in ("DATABASE_URL", "REDIS_URL"))))


@lru_cache(maxsize=4)
def _settings_of(environment: tuple[tuple[str, str], ...]) -> Settings:
    return Settings()


_ENGINES: list[Engine] = []


@lru_cache(maxsize=4)
def _sessions(url: str) -> sessionmaker[Session]:
    """One engine per process and URL, made once (a work horse forked later inherits it)."""
    engine = make_engine(url)
    _ENGINES.append(engine)
    return make_session_factory(engine)


def _fresh_pools_in_child() -> None:
    """A forked process keeps the engines, dialects set up, but never uses its parent's
    connections: each pool is replaced without closing them (SQLAlchemy's recipe)."""
    for engine in _ENGINES:
        engine.dispose(close=False)


os.register_at_fork(after_in_child=_fresh_pools_in_child)


@lru_cache(maxsize=4)
def _queue(redis_url: str, name: str) -> Queue:
    """The queue jobs enqueue follow-ups on, one client per process (redis-py gives a forked
    process connections of its own)."""
    return Queue(name, connection=connect_redis(redis_url))


def _follow_ups(settings: Settings) -> Queue:
    return _queue(settings.redis_url or "", settings.queue_name)


def warm_up(settings: Settings | None = None) -> None:
    """Load the spaCy model and the linker's sentence encoder and open the engine before the
    work loop, so every job, forked or not, starts warm; then freeze the heap (a collection
    no longer walks the model, and a forked job copies fewer pages)."""
    settings = settings or _settings()
    _pipeline(settings.spacy_model, settings.max_sentence_chars,
              settings.checkworthiness_semantic)
    _linker(settings.spacy_model, settings.evidence_top_k, settings.evidence_candidates,
            settings.semantic_rerank)
    _sessions(settings.resolved_database_url())
    freeze_heap()


def runs_inline(func_name: str, kwargs: dict[str, Any]) -> bool:
    """Whether a worker may run this job in its own process rather than a forked work horse.

    Only ``process_article`` runs the pipeline over text as sent, where a pathological
    article could hang or crash the process; it forks, unless its article no longer needs
    it (done, or leased by a live batch job: the job would return at once), or it is short
    (``inline_extract_chars``) with nothing else queued: an idle worker's one article, where
    forking (about 25 ms, then the pages the horse copies) is a fifth of the wait, and a short
    text cannot run long (the job timeout still holds, by SIGALRM). Linking (claims and
    evidence already stored), webhooks and the failure callbacks run inline.
    """
    if func_name == PROCESS_ARTICLE:
        settings = _settings()
        org_id, article_id = kwargs["org_id"], kwargs["article_id"]
        with _sessions(settings.resolved_database_url())() as session:
            if not lifecycle.needs_processing(
                    session, org_id=org_id, article_id=article_id,
                    lease=process_article_job_id(article_id),
                    stale_after=timedelta(seconds=2 * settings.job_timeout)):
                return True
            return settings.inline_extract_chars > 0 and lifecycle.short_and_alone(
                session, org_id=org_id, article_id=article_id,
                max_chars=settings.inline_extract_chars)
    return func_name in (LINK_ARTICLE, DELIVER_WEBHOOK)


_INLINE: ContextVar[bool] = ContextVar("claimdesk_job_inline", default=False)


@contextmanager
def running_inline() -> Iterator[None]:
    """The job runs in the worker's own process (``workers.execution``): ``process_article``
    then takes its own article only and starts no further batch."""
    token = _INLINE.set(True)
    try:
        yield
    finally:
        _INLINE.reset(token)


@observed_job
def process_article(article_id: str, org_id: str) -> dict[str, Any]:
    """Extract claims of the article and of the queued ones it batches, store them, queue
    their linking; then, while there is a backlog, go on with more batches (``lease_more``).

    A work horse is forked per job and forking a warm worker costs more than parsing an
    article (its pages are copied as the horse writes them), so a horse that finds queued
    articles after its batch keeps going: up to ``articles_per_job`` articles, and no new
    batch once half the shutdown grace has passed, so a warm stop still ends in it. A later
    batch that fails goes back to the queue; the job's own article is done by then.
    """
    settings = _settings()
    factory = _sessions(settings.resolved_database_url())
    lease = process_article_job_id(article_id)
    began = time.monotonic()
    inline = _INLINE.get()  # its own short article only, in the worker's process
    with transaction(factory) as session:
        batch = _texts(lifecycle.lease_batch(
            session, org_id=org_id, article_id=article_id, lease=lease,
            limit=1 if inline else settings.batch_size,
            stale_after=timedelta(seconds=2 * settings.job_timeout)))
    if not batch:
        return {"article_id": article_id, "skipped": "done, failed or held by another job"}
    try:
        _extract_batch(settings, factory, org_id=org_id, batch=batch)
    except Exception:
        with transaction(factory) as session:
            others = [aid for aid, _, _ in batch if aid != article_id]
            release_lease(session, org_id=org_id, lease=lease, article_ids=others)
        raise
    done = [aid for aid, _, _ in batch]
    while not inline and (room := settings.articles_per_job - len(done)) > 0 \
            and time.monotonic() - began < settings.shutdown_grace / 2:
        with transaction(factory) as session:
            batch = _texts(lifecycle.lease_more(session, org_id=org_id, lease=lease,
                                                limit=min(room, settings.batch_size)))
        if not batch:
            break
        try:
            _extract_batch(settings, factory, org_id=org_id, batch=batch)
        except Exception:
            log.exception("a later batch of %s failed; its articles go back to the queue", lease)
            hand_back_articles(factory, _follow_ups(settings), org_id=org_id, lease=lease,
                               article_ids=[aid for aid, _, _ in batch],
                               job_timeout=settings.job_timeout)
            break
        done += [aid for aid, _, _ in batch]
    return {"article_id": article_id, "batch": done}


def _texts(rows: list[Article]) -> list[tuple[str, str, datetime]]:
    return [(a.id, a.text, a.published_at or a.received_at) for a in rows]


def _extract_batch(settings: Settings, factory: sessionmaker[Session], *, org_id: str,
                   batch: list[tuple[str, str, datetime]]) -> None:
    """Claims of leased articles, parsed in one ``nlp.pipe`` stream, each stored in its own
    transaction and its linking queued; an article with no text is ``failed`` at once."""
    empty = [a for a in batch if not a[1].strip()]
    todo = [a for a in batch if a[1].strip()]
    with transaction(factory) as session:
        for aid, _, _ in empty:
            lifecycle.mark_failed(session, org_id=org_id, article_id=aid,
                                  reason="the article has no text")
    pipeline = _pipeline(settings.spacy_model, settings.max_sentence_chars,
                         settings.checkworthiness_semantic)
    timings: dict[str, float] = {}
    results = pipeline.run_many([(text, published) for _, text, published in todo],
                                timings=timings)
    record_stages(timings, articles=len(todo))
    queue = _follow_ups(settings)
    for (aid, _, _), records in zip(todo, results, strict=True):
        with transaction(factory) as session:
            claims.replace_claims(session, org_id=org_id, article_id=aid, records=records,
                                  max_claims=settings.max_claims_per_article)
        enqueue_link_article(queue, org_id=org_id, article_id=aid,
                             job_timeout=settings.job_timeout)


@observed_job
def link_article(article_id: str, org_id: str) -> dict[str, Any]:
    """Link the article's claims to evidence, assess them, and mark the article processed."""
    settings = _settings()
    factory = _sessions(settings.resolved_database_url())
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
        queue = _follow_ups(settings)
        queue_deliveries(queue, org_id=org_id, delivery_ids=deliveries, settings=settings)
    return {"article_id": article_id, "claims": len(rows)}


@observed_job
def relink_claims(org_id: str, scope: dict[str, Any]) -> dict[str, Any]:
    """Link again the claims of ``scope`` (a ``RelinkScope``) that evidence changes concern.

    One batch of at most ``relink_max_claims``, one transaction per article; a follow-up job
    takes the rest. Only the automatic assessment, evidence and ``linked_at`` change.
    """
    settings = _settings()
    factory = _sessions(settings.resolved_database_url())
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
        queue = _follow_ups(settings)
        follow_up = enqueue_relink_claims(queue, org_id=org_id, scope=batch.follow_up,
                                          job_timeout=settings.job_timeout).id
    return {"claims": linked, "follow_up": follow_up}


def _anchor(article: Article) -> date:
    """The date relative dates in the article's claims count from."""
    return (article.published_at or article.received_at).date()


@timed_link
def _link_claims(session: Session, settings: Settings, *, org_id: str, rows: list[Claim],
                 anchor: date, linked_at: datetime) -> None:
    """Link claim rows of one article to the organisation's evidence and store the outcome:
    evidence, the automatic assessment and ``linked_at``. The caller takes ``linked_at`` before
    its transaction reads anything, so a source stored after it is one this linking may not
    have seen, and that source's relink job (``linked_before`` later still) does the claim."""
    if not rows:
        return
    if not has_sources(session, org_id=org_id):
        # Nothing to search: no evidence for any claim, what linking would find, for one
        # indexed query instead of a search per claim, their embedding and their parsing.
        nothing = verdict([])
        claims.set_evidence(session, org_id=org_id, linked=[(row, [], nothing) for row in rows],
                            linked_at=linked_at)
        return
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
    claims.set_evidence(session, org_id=org_id, linked_at=linked_at, linked=[
        (row, evidence, verification)
        for row, (evidence, verification) in zip(rows, linked, strict=True)])
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
    settings = _settings()
    factory = _sessions(settings.resolved_database_url())
    with transaction(factory) as session:
        lifecycle.mark_failed(session, org_id=kwargs["org_id"], article_id=kwargs["article_id"],
                              reason=f"{exc_type.__name__}: {exc}")


@observed_job
def deliver_webhook(delivery_id: str, org_id: str) -> dict[str, Any]:
    """Send one webhook delivery once; record the attempt, then raise on failure so RQ retries.

    The attempt is committed before raising, so the log shows every try. A target the address
    check refuses ends the delivery ``failed`` with no retry.
    """
    settings = _settings()
    factory = _sessions(settings.resolved_database_url())
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
    settings = _settings()
    factory = _sessions(settings.resolved_database_url())
    with transaction(factory) as session:
        webhooks.mark_failed(session, org_id=job.kwargs["org_id"],
                             delivery_id=job.kwargs["delivery_id"])
