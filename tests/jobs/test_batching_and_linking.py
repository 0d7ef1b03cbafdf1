"""A worker batches queued articles; the link stage attaches evidence and an assessment."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from rq import Queue, SimpleWorker

from schemas.sources import SourceCreate
from service.store import articles, claims, lifecycle
from service.store.db import transaction
from service.store.queue import enqueue_process_article, process_article_job_id
from service.store.sources import upsert_source
from tests.factories import make_article

ORG = "org_default"
CLEARVIEW = "Clearview AI built a database of more than 3 billion images scraped from the web."


def enqueue_all(redis, ids: list[str]) -> Queue:
    queue = Queue("claimdesk", connection=redis)
    for article_id in ids:
        enqueue_process_article(queue, org_id=ORG, article_id=article_id)
    return queue


def mark_enqueued(session_factory, ids: list[str]) -> None:
    with session_factory() as session:
        for article_id in ids:
            lifecycle.mark_enqueued(session, org_id=ORG, article_id=article_id)
        session.commit()


def test_first_job_processes_the_queued_articles_as_one_batch(session_factory, redis) -> None:
    with session_factory() as session:
        ids = [make_article(session, text=f"Exports rose {n} percent in 2023.").id
               for n in (3, 4, 5)]
    mark_enqueued(session_factory, ids)
    queue = enqueue_all(redis, ids)
    SimpleWorker([queue], connection=redis).work(burst=True)
    first = queue.fetch_job(process_article_job_id(ids[0]))
    assert first is not None and sorted(first.return_value()["batch"]) == sorted(ids)
    later = queue.fetch_job(process_article_job_id(ids[1]))
    assert later is not None and "skipped" in later.return_value()
    with session_factory() as session:
        for article_id, n in zip(ids, (3, 4, 5), strict=True):
            assert articles.get_article(session, org_id=ORG,
                                        article_id=article_id).state == "processed"
            page = claims.list_article_claims(session, org_id=ORG, article_id=article_id)
            values = [s.normalized["value"] for c in page.items for s in c.spans
                      if s.kind == "quantity"]
            assert values == [float(n)]


def test_article_held_by_a_dead_batch_is_taken_back_once_stale(session_factory, redis) -> None:
    with session_factory() as session:
        article = make_article(session)
        article.state, article.leased_by = "processing", "process-article-art_gone"
        session.commit()
    with session_factory() as session:
        fresh = lifecycle.lease_batch(session, org_id=ORG, article_id=article.id,
                                      lease="process-article-me", limit=4,
                                      stale_after=timedelta(hours=1))
        assert fresh == []
        session.rollback()
        stale = lifecycle.lease_batch(session, org_id=ORG, article_id=article.id,
                                      lease="process-article-me", limit=4,
                                      stale_after=timedelta(seconds=-1))
        assert [a.id for a in stale] == [article.id]


def test_link_stage_contradicts_a_claim_the_evidence_disproves(session_factory, redis) -> None:
    with session_factory() as session:
        upsert_source(session, org_id=ORG, source=SourceCreate(
            kind="document", url="https://example.org/ftc-report", title="FTC report",
            publisher="FTC", published_at=datetime(2021, 3, 2, tzinfo=UTC),
            text="The report found that Clearview AI has a database of 2 billion images.",
        ))
        session.commit()
        article = make_article(session, published_at=datetime(2021, 3, 10, tzinfo=UTC),
                               text="Clearview AI has a database of more than 3 billion images "
                                    "scraped from the web.")
    mark_enqueued(session_factory, [article.id])
    queue = enqueue_all(redis, [article.id])
    SimpleWorker([queue], connection=redis).work(burst=True)
    with session_factory() as session:
        assert articles.get_article(session, org_id=ORG, article_id=article.id).state == (
            "processed")
        (claim,) = claims.list_article_claims(session, org_id=ORG, article_id=article.id).items
    assert claim.evidence and claim.evidence[0].url == "https://example.org/ftc-report"
    assert claim.evidence[0].snippet and "2 billion" in claim.evidence[0].snippet
    assert claim.verification.auto == "contradicted"
    assert "2 billion" in (claim.verification.reason or "")


def test_link_stage_without_sources_says_no_evidence(session_factory, redis) -> None:
    with session_factory() as session:
        article = make_article(session, text=CLEARVIEW)
    queue = enqueue_all(redis, [article.id])
    SimpleWorker([queue], connection=redis).work(burst=True)
    with session_factory() as session:
        (claim,) = claims.list_article_claims(session, org_id=ORG, article_id=article.id).items
    assert claim.evidence == [] and claim.verification.auto == "no_evidence"


def test_racing_jobs_never_both_take_the_same_article(session_factory, redis) -> None:
    with session_factory() as session:
        ids = [make_article(session, text=f"Exports rose {n} percent.").id for n in range(12)]
    mark_enqueued(session_factory, ids)
    barrier = threading.Barrier(4)
    taken: dict[str, list[str]] = {}

    def job(worker: int) -> None:
        barrier.wait()
        for article_id in ids:
            with transaction(session_factory) as session:
                rows = lifecycle.lease_batch(session, org_id=ORG, article_id=article_id,
                                             lease=f"process-article-w{worker}-{article_id}",
                                             limit=3, stale_after=timedelta(hours=1))
                taken[f"w{worker}-{article_id}"] = [a.id for a in rows]

    threads = [threading.Thread(target=job, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    leased = [article_id for rows in taken.values() for article_id in rows]
    assert sorted(leased) == sorted(ids)
