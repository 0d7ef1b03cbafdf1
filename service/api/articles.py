"""``/v1/articles``: accept articles, report their state and claims, re-link them on demand."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Query, Response
from fastapi.concurrency import run_in_threadpool
from rq import Queue
from sqlalchemy.orm import Session

from schemas.articles import (
    ArticleAccepted,
    ArticleCreate,
    ArticleOut,
    ArticleState,
    ArticleSummary,
)
from schemas.claims import ClaimOut
from schemas.fields import DatetimeIn
from schemas.pages import Page
from schemas.relink import RelinkQueued, RelinkScope
from service import metrics
from service.api.deps import (
    IdemKey,
    JsonBody,
    OrgDep,
    QueueDep,
    ReviewerOnly,
    SessionDep,
    SettingsDep,
)
from service.intake import prepare_article
from service.store import articles, claims, relink
from service.store.clock import as_utc, utcnow
from service.store.lifecycle import accept_article
from service.store.models import Article
from service.store.queue import enqueue_relink_claims
from service.store.settings import Settings

router = APIRouter(prefix="/v1/articles", tags=["articles"])


@router.post("", status_code=202, dependencies=[JsonBody], response_model=ArticleAccepted)
async def create_article(body: ArticleCreate, session: SessionDep, queue: QueueDep, org: OrgDep,
                         settings: SettingsDep, idem: IdemKey = None) -> Response:
    """Store an article and queue its claim extraction; poll the Location for the result."""
    # One trip to a worker thread for the parse, the INSERT and commit and the enqueue (with the
    # counter in its round trip), and the 202 written directly: ArticleAccepted is documented,
    # and the three fields below are what it would serialise.
    article_id, state = await run_in_threadpool(_accept, body, session, queue, org, settings,
                                                idem)
    location = f"/v1/articles/{article_id}"
    content = json.dumps({"id": article_id, "state": state, "location": location},
                         separators=(",", ":"))
    return Response(content, status_code=202, media_type="application/json",
                    headers={"Location": location})


def _accept(body: ArticleCreate, session: Session, queue: Queue, org: str, settings: Settings,
            idem: str | None) -> tuple[str, str]:
    new = prepare_article(body, languages=settings.languages, max_chars=settings.max_article_chars,
                          max_html_chars=settings.max_html_chars)
    article, _created = accept_article(session, queue, org_id=org, article=new,
                                       idempotency_key=idem, job_timeout=settings.job_timeout,
                                       on_enqueue=metrics.count_articles_received)
    return article.id, article.state


@router.get("", response_model=Page[ArticleSummary])
def read_articles(session: SessionDep, org: OrgDep,
                  state: Annotated[ArticleState | None, Query(description="Only articles in "
                                                              "this state.")] = None,
                  since: Annotated[DatetimeIn | None, Query(description="Received at or after "
                                                          "this time (ISO 8601).")] = None,
                  until: Annotated[DatetimeIn | None, Query(description="Received before this "
                                                          "time (ISO 8601).")] = None,
                  cursor: str | None = None,
                  limit: Annotated[int, Query(ge=1, le=200)] = 50) -> Page[ArticleSummary]:
    """The organisation's articles, newest first, without their text."""
    return articles.list_articles(session, org_id=org, state=state, since=as_utc(since),
                                  until=as_utc(until), cursor=cursor, limit=limit)


@router.get("/{article_id}", response_model=ArticleOut)
def read_article(article_id: str, session: SessionDep, org: OrgDep) -> ArticleOut:
    """An article's state, and its claims once processed."""
    article = articles.get_article(session, org_id=org, article_id=article_id)
    out = article_out(article)
    if article.state == "processed":
        page = claims.list_article_claims(session, org_id=org, article_id=article_id,
                                          limit=claims.MAX_LIMIT)
        out.claims = page.items
        out.claim_count = claims.count_article_claims(session, org_id=org, article_id=article_id)
    return out


@router.get("/{article_id}/claims", response_model=Page[ClaimOut])
def read_article_claims(article_id: str, session: SessionDep, org: OrgDep,
                        cursor: str | None = None,
                        limit: Annotated[int, Query(ge=1, le=200)] = 50) -> Page[ClaimOut]:
    """An article's claims in text order, a page at a time."""
    articles.get_article(session, org_id=org, article_id=article_id)
    return claims.list_article_claims(session, org_id=org, article_id=article_id,
                                      cursor=cursor, limit=limit)


@router.post("/{article_id}/relink", status_code=202, response_model=RelinkQueued,
             dependencies=[ReviewerOnly])
def relink_article(article_id: str, session: SessionDep, queue: QueueDep, org: OrgDep,
                   settings: SettingsDep) -> RelinkQueued:
    """Queue linking the article's claims to the evidence stored now; reviews stay as they are."""
    relink.relinkable_article(session, org_id=org, article_id=article_id)
    scope = RelinkScope(linked_before=utcnow(), article_id=article_id)
    job = enqueue_relink_claims(queue, org_id=org, scope=scope, job_timeout=settings.job_timeout)
    return RelinkQueued(job_id=job.id, article_id=article_id, linked_before=scope.linked_before)


def article_out(row: Article) -> ArticleOut:
    return ArticleOut(
        id=row.id, state=row.state, title=row.title, url=row.url,
        language=row.language, published_at=row.published_at, received_at=row.received_at,
        processed_at=row.processed_at, failure_reason=row.failure_reason,
        metadata=row.metadata_, text=row.text,
    )
