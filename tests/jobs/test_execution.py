"""Which jobs fork a work horse (``workers.jobs.runs_inline``, ``workers.execution``), and
linking for an organisation with no sources (no search at all)."""

from __future__ import annotations

import os

import pytest
from rq import Queue

from service.store import articles, claims, lifecycle
from service.store.queue import (
    DELIVER_WEBHOOK,
    LINK_ARTICLE,
    PROCESS_ARTICLE,
    enqueue_process_article,
)
from tests.factories import make_article
from workers import jobs
from workers.execution import ForkWhenNeeded

ORG = "org_default"


def report_pid() -> int:
    """A job: the id of the process that ran it."""
    return os.getpid()


class Pinned(ForkWhenNeeded):
    """A worker whose choice is fixed by the test."""

    inline = True

    def _runs_inline(self, job) -> bool:  # type: ignore[no-untyped-def]
        return self.inline


@pytest.mark.parametrize("inline", [True, False])
def test_an_inline_job_runs_in_the_worker_and_another_in_a_work_horse(redis,
                                                                      inline: bool) -> None:
    queue = Queue("claimdesk", connection=redis)
    job = queue.enqueue("tests.jobs.test_execution.report_pid")
    worker = Pinned([queue], connection=redis)
    worker.inline = inline
    worker.work(burst=True)
    pid = queue.fetch_job(job.id).return_value()  # type: ignore[union-attr]
    assert (pid == os.getpid()) is inline


def test_a_job_is_forked_when_its_choice_can_not_be_made(redis, monkeypatch) -> None:
    def fails(func_name: str, kwargs: dict) -> bool:
        raise RuntimeError("database away")

    monkeypatch.setattr(jobs, "runs_inline", fails)
    queue = Queue("claimdesk", connection=redis)
    job = queue.enqueue("tests.jobs.test_execution.report_pid")
    ForkWhenNeeded([queue], connection=redis).work(burst=True)
    assert queue.fetch_job(job.id).return_value() != os.getpid()  # type: ignore[union-attr]


def test_only_an_article_that_still_needs_processing_forks(session_factory,
                                                          monkeypatch) -> None:
    monkeypatch.setenv("CLAIMDESK_INLINE_EXTRACT_CHARS", "0")
    with session_factory() as session:
        queued = make_article(session)
        done = make_article(session, state="processed")
        held = make_article(session, state="processing")
        held.leased_by = "process-article-art_other"
        session.commit()

    def inline(article_id: str) -> bool:
        return jobs.runs_inline(PROCESS_ARTICLE, {"org_id": ORG, "article_id": article_id})

    assert not inline(queued.id)
    assert inline(done.id) and inline(held.id)
    assert jobs.runs_inline(LINK_ARTICLE, {"org_id": ORG, "article_id": queued.id})
    assert jobs.runs_inline(DELIVER_WEBHOOK, {"org_id": ORG, "delivery_id": "dlv_1"})


def test_a_short_article_with_nothing_else_queued_is_extracted_without_a_horse(
        session_factory, monkeypatch) -> None:
    monkeypatch.setenv("CLAIMDESK_INLINE_EXTRACT_CHARS", "200")
    with session_factory() as session:
        short = make_article(session, text="Exports rose 4 percent in 2023.")
        long = make_article(session, text="Exports rose 4 percent in 2023. " * 10)
        short.enqueued_at = long.enqueued_at = None  # neither waits in the queue
        session.commit()

    def inline(article_id: str) -> bool:
        return jobs.runs_inline(PROCESS_ARTICLE, {"org_id": ORG, "article_id": article_id})

    assert inline(short.id) and not inline(long.id)
    with session_factory() as session:
        lifecycle.mark_enqueued(session, org_id=ORG, article_id=long.id)
        session.commit()
    assert not inline(short.id)  # another article waits: a batch, in a horse


def test_a_worker_extracts_an_idle_short_article_itself(
        session_factory, redis, monkeypatch) -> None:
    def no_fork() -> int:
        raise AssertionError("forked a work horse")

    with session_factory() as session:
        article = make_article(session, text="Exports rose 4 percent in 2023.")
    queue = Queue("claimdesk", connection=redis)
    enqueue_process_article(queue, org_id=ORG, article_id=article.id)
    monkeypatch.setattr(os, "fork", no_fork)
    ForkWhenNeeded([queue], connection=redis).work(burst=True)
    with session_factory() as session:
        assert articles.get_article(session, org_id=ORG, article_id=article.id).state == \
            "processed"
        assert claims.count_article_claims(session, org_id=ORG, article_id=article.id) == 1


def test_claims_of_an_organisation_with_no_sources_are_linked_without_a_search(
        session_factory, redis, monkeypatch) -> None:
    def no_search(*args: object, **kwargs: object) -> list[object]:
        raise AssertionError("searched an organisation with no sources")

    monkeypatch.setattr(jobs, "search_passages", no_search)
    with session_factory() as session:
        article = make_article(session)
    queue = Queue("claimdesk", connection=redis)
    enqueue_process_article(queue, org_id=ORG, article_id=article.id)
    ForkWhenNeeded([queue], connection=redis).work(burst=True)
    with session_factory() as session:
        assert articles.get_article(session, org_id=ORG,
                                    article_id=article.id).state == "processed"
        page = claims.list_article_claims(session, org_id=ORG, article_id=article.id)
    assert page.items
    for claim in page.items:
        assert claim.evidence == [] and claim.verification.auto == "no_evidence"
