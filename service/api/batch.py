"""``POST /v1/articles/batch``: many articles in one request, each accepted or refused alone.

The body is ``{"articles": [...]}`` (an object, so the batch can take options later), each
item what ``POST /v1/articles`` takes plus an optional ``idempotency_key``. Items are
validated one by one with the same rules as that route (``service.intake``); the good ones
are stored in one transaction and queued whatever the bad ones hold. The answer lists every
item in order: its id, state and Location, or the problem document ``POST /v1/articles``
would have answered for it alone. 202 when at least one article is stored; 200 when every one
was refused (nothing to poll). More than ``max_batch_articles`` items is a 422 for the whole
request; the body may be up to ``max_batch_body_bytes``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from pydantic import ValidationError

from schemas.articles import ArticleCreate
from schemas.batches import (
    ArticleBatch,
    BatchAccepted,
    BatchItemAccepted,
    BatchItemRefused,
    ItemKey,
)
from schemas.problems import Problem
from service import metrics
from service.api.deps import JsonBody, OrgDep, QueueDep, SessionDep, SettingsDep
from service.api.problems import problem_document
from service.api.validation import field_errors
from service.intake import prepare_article
from service.store.articles import NewArticle
from service.store.batches import accept_articles
from service.store.errors import InvalidInput, StoreError
from service.store.models import Article
from service.store.settings import Settings

router = APIRouter(prefix="/v1/articles", tags=["articles"])
BATCH_PATH = "/v1/articles/batch"


@router.post("/batch", status_code=202, dependencies=[JsonBody], response_model=BatchAccepted,
             response_model_exclude_none=True)
def create_articles(body: ArticleBatch, session: SessionDep, queue: QueueDep, org: OrgDep,
                    settings: SettingsDep, response: Response) -> BatchAccepted:
    """Store and queue up to `max_batch_articles` articles; each item answers on its own."""
    if len(body.articles) > settings.max_batch_articles:
        raise InvalidInput(f"send at most {settings.max_batch_articles} articles in one batch, "
                           f"not {len(body.articles)}", max_articles=settings.max_batch_articles)
    items: list[BatchItemAccepted | BatchItemRefused] = []
    good: list[tuple[int, NewArticle, str | None]] = []
    for index, raw in enumerate(body.articles):
        try:
            article, key = prepare_item(raw, index=index, settings=settings)
        except StoreError as exc:
            items.append(refused(index, exc))
        else:
            good.append((index, article, key))
    outcomes = accept_articles(session, queue, org_id=org, articles=[g[1:] for g in good],
                               job_timeout=settings.job_timeout)
    for (index, _, _), outcome in zip(good, outcomes, strict=True):
        items.append(accepted(index, outcome[0]) if isinstance(outcome, tuple)
                     else refused(index, outcome))
    items.sort(key=lambda item: item.index)
    stored = sum(isinstance(item, BatchItemAccepted) for item in items)
    metrics.record_articles_received(
        queue.connection, count=sum(isinstance(o, tuple) and o[1] for o in outcomes))
    if not stored:
        response.status_code = 200
    return BatchAccepted(accepted=stored, refused=len(items) - stored, items=items)


def prepare_item(raw: Any, *, index: int, settings: Settings) -> tuple[NewArticle, str | None]:
    """One item as ``POST /v1/articles`` would take it: the article to store and its key.

    :raise StoreError: what that route would refuse it with (``InvalidInput`` for the shape).
    """
    if not isinstance(raw, dict):
        raise _invalid(index, [], "an article is a JSON object")
    fields = dict(raw)
    try:
        key = ItemKey.model_validate({"idempotency_key": fields.pop("idempotency_key", None)})
        article = ArticleCreate.model_validate(fields)
    except ValidationError as exc:
        errors: list[Any] = list(exc.errors())
        first = errors[0] if errors else {}
        raise _invalid(index, list(first.get("loc", ())), str(first.get("msg", "invalid")),
                       errors=errors, item=raw) from None
    new = prepare_article(article, languages=settings.languages,
                          max_chars=settings.max_article_chars,
                          max_html_chars=settings.max_html_chars)
    return new, key.idempotency_key


def accepted(index: int, row: Article) -> BatchItemAccepted:
    return BatchItemAccepted(index=index, id=row.id, state=row.state,
                             location=f"/v1/articles/{row.id}")


def refused(index: int, error: StoreError) -> BatchItemRefused:
    document = problem_document(error, f"{BATCH_PATH}#/articles/{index}")
    return BatchItemRefused(index=index, problem=Problem.model_validate(document))


def _invalid(index: int, loc: list[Any], message: str,
             errors: list[Any] | None = None, item: Any = None) -> InvalidInput:
    """An item's invalid input, located from the body's root in the caller's terms, as the
    single-article route's 422 is (``["articles", "5", "text"]``)."""
    prefix = ["articles", str(index)]
    fields = [{"loc": prefix + e["loc"], "msg": e["msg"]}
              for e in field_errors([{**e, "loc": ("body", *e.get("loc", ()))}
                                       for e in errors], item)] if errors else [
                  {"loc": prefix + [str(p) for p in loc], "msg": message}]
    first = fields[0]
    return InvalidInput(f"{'.'.join(first['loc'])}: {first['msg']}", errors=fields)
