"""Which claims to link again when evidence changes, a bounded batch at a time.

A relink job (``workers.jobs.relink_claims``) hands ``next_batch`` its ``RelinkScope`` and gets
at most ``limit`` claim ids, and the scope of a follow-up job when more remain. A claim is
eligible when its article is ``processed`` (one still being processed is linked by its own
job), it is not ``dismissed``, and it was last linked before ``scope.linked_before`` (when the
change was made): so a claim is linked once per change, and a follow-up skips what the jobs
before it did. Reviewed claims are eligible: linking changes only the automatic assessment.
(``linked_before`` comes from the machine that queued the job and ``linked_at`` from the
worker's: their clocks are assumed to be kept in step, as NTP does.)

For a source change the claims are found source by source, from two fixed sets: (a) the claims
whose evidence cites the source (``claim_sources``), changed or deleted alike; (b) for a source
that still exists, the ``per_passage`` claims whose statements best match each of its
passages (``search_claims``), at most ``limit`` of them per source. Everything else is left
alone, so a source that matches common words does not re-run the organisation. Each job takes
at least one claim of those sets and they do not grow, so a chain of follow-ups ends.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from redis.exceptions import RedisError
from rq import Queue
from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from schemas.relink import RelinkScope
from service.store.articles import get_article
from service.store.claim_search import search_claims
from service.store.clock import as_utc, utcnow
from service.store.errors import ArticleNotProcessed
from service.store.models import Article, Claim, ClaimSource, Passage, Source
from service.store.queue import enqueue_relink_claims

log = logging.getLogger(__name__)
_SOURCE_PAGE = 200


@dataclass(frozen=True)
class RelinkBatch:
    """The claims one job links again, and the scope of its follow-up (None: all done)."""

    claim_ids: list[str]
    follow_up: RelinkScope | None


def next_batch(session: Session, *, org_id: str, scope: RelinkScope, limit: int,
               per_passage: int) -> RelinkBatch:
    """Up to ``limit`` claims of ``scope`` still to link: by article and text order, or, for a
    source change, source by source (citing claims first, then the best matches)."""
    limit = max(1, limit)
    if not scope.by_source:
        query = (select(Claim.id).where(*pending_claims(org_id, scope))
                 .order_by(Claim.article_id, Claim.position).limit(limit + 1))
        ids = list(session.scalars(query))
        return RelinkBatch(ids[:limit], scope if len(ids) > limit else None)
    picked: dict[str, None] = {}
    for source_id, resume in _sources(session, org_id=org_id, scope=scope):
        found = [claim_id for claim_id in affected_claims(
            session, org_id=org_id, source_id=source_id, scope=scope, limit=limit,
            per_passage=per_passage) if claim_id not in picked]
        room = limit - len(picked)
        picked.update(dict.fromkeys(found[:room]))
        if len(found) > room:
            return RelinkBatch(list(picked), _resumed(scope, resume))
    return RelinkBatch(list(picked), None)


def affected_claims(session: Session, *, org_id: str, source_id: str, scope: RelinkScope,
                    limit: int, per_passage: int) -> list[str]:
    """Claims of ``scope`` still to link that cite the source, then those its passages match."""
    citing = list(session.scalars(
        select(Claim.id).join(ClaimSource, ClaimSource.claim_id == Claim.id)
        .where(ClaimSource.org_id == org_id, ClaimSource.source_id == source_id,
               *pending_claims(org_id, scope))
        .order_by(Claim.id)
    ))
    best: dict[str, float] = {}
    fresh: set[str] = set()
    eligible = eligible_claims(org_id, scope)
    for text, heading in session.execute(
        select(Passage.text, Passage.heading)
        .where(Passage.org_id == org_id, Passage.source_id == source_id)
        .order_by(Passage.position)
    ):
        for hit in search_claims(session, org_id=org_id, query=f"{text} {heading or ''}",
                                 limit=per_passage, where=eligible):
            best[hit.claim_id] = max(best.get(hit.claim_id, hit.score), hit.score)
            if hit.linked_at is None or hit.linked_at < as_utc(scope.linked_before):
                fresh.add(hit.claim_id)
    # The best ``limit`` matches are chosen before dropping the ones linked since the change,
    # so a follow-up job sees the same set, minus what was done, and never walks further.
    matched = sorted(best, key=lambda claim_id: (-best[claim_id], claim_id))[:limit]
    cited = set(citing)
    return [*citing, *(c for c in matched if c in fresh and c not in cited)]


def eligible_claims(org_id: str, scope: RelinkScope) -> list[ColumnElement[bool]]:
    """Claims of processed articles, not dismissed, narrowed by the scope's filters."""
    articles = select(Article.id).where(Article.org_id == org_id, Article.state == "processed")
    if scope.article_id is not None:
        articles = articles.where(Article.id == scope.article_id)
    if scope.since is not None:
        since = as_utc(scope.since)
        articles = articles.where(or_(Article.received_at >= since,
                                      Article.processed_at >= since))
    clauses = [Claim.org_id == org_id, Claim.state != "dismissed",
               Claim.article_id.in_(articles.scalar_subquery())]
    if scope.claim_ids is not None:
        clauses.append(Claim.id.in_(scope.claim_ids))
    return clauses


def pending_claims(org_id: str, scope: RelinkScope) -> list[ColumnElement[bool]]:
    """Eligible claims not linked since the change (never linked ones included)."""
    before = as_utc(scope.linked_before)
    return [*eligible_claims(org_id, scope),
            or_(Claim.linked_at.is_(None), Claim.linked_at < before)]


def count_pending(session: Session, *, org_id: str, scope: RelinkScope) -> int:
    """How many claims a scope without sources covers (what ``claimdesk relink`` reports)."""
    query = select(func.count()).select_from(Claim).where(*pending_claims(org_id, scope))
    return int(session.scalar(query) or 0)


SourceCursor = int | tuple[datetime, str]


def _sources(session: Session, *, org_id: str,
             scope: RelinkScope) -> Iterator[tuple[str, SourceCursor]]:
    """The scope's sources in order, each with where a follow-up resumes to redo it: an index
    into ``source_ids``, or the ``(updated_at, id)`` of a source changed since the import."""
    yield from ((source_id, index) for index, source_id in enumerate(scope.source_ids or ()))
    if scope.sources_changed_since is None:
        return
    changed_since = as_utc(scope.sources_changed_since)
    start, inclusive = scope.sources_resume_at, True
    while True:
        query = select(Source.id, Source.updated_at).where(
            Source.org_id == org_id, Source.updated_at >= changed_since)
        if start is not None:
            at, first_id = as_utc(start[0]), start[1]
            query = query.where(or_(Source.updated_at > at, and_(
                Source.updated_at == at,
                Source.id >= first_id if inclusive else Source.id > first_id)))
        rows = session.execute(query.order_by(Source.updated_at, Source.id)
                               .limit(_SOURCE_PAGE)).all()
        yield from ((row.id, (as_utc(row.updated_at), row.id)) for row in rows)
        if len(rows) < _SOURCE_PAGE:
            return
        start, inclusive = (as_utc(rows[-1].updated_at), rows[-1].id), False


def _resumed(scope: RelinkScope, cursor: SourceCursor) -> RelinkScope:
    """The follow-up's scope: the same change, from the source ``cursor`` names onwards."""
    if isinstance(cursor, int):
        return scope.model_copy(update={"source_ids": (scope.source_ids or [])[cursor:]})
    return scope.model_copy(update={"source_ids": None, "sources_resume_at": cursor})


def relinkable_article(session: Session, *, org_id: str, article_id: str) -> Article:
    """:raise NotFound: no such article. :raise ArticleNotProcessed: claims not linked yet."""
    article = get_article(session, org_id=org_id, article_id=article_id)
    if article.state != "processed":
        raise ArticleNotProcessed(
            f"article {article_id} is {article.state}; its claims are linked when it is "
            "processed", state=article.state)
    return article


def queue_relink(queue: Queue, *, org_id: str, job_timeout: int = 600,
                 source_ids: Sequence[str] | None = None,
                 sources_changed_since: datetime | None = None) -> str | None:
    """After a source change: queue linking again of the claims it could affect.

    Returns the job id, or None (logged) when Redis is away: the change itself is stored, and
    ``claimdesk relink`` catches the claims up later.
    """
    if source_ids is not None and not source_ids:
        return None
    scope = RelinkScope(linked_before=utcnow(), sources_changed_since=sources_changed_since,
                        source_ids=list(source_ids) if source_ids is not None else None)
    try:
        job = enqueue_relink_claims(queue, org_id=org_id, scope=scope, job_timeout=job_timeout)
    except RedisError as exc:
        log.warning("could not queue re-linking after a source change: %s", exc)
        return None
    return job.id
