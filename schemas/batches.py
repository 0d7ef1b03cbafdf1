"""``POST /v1/articles/batch``: many articles in one request, each accepted or refused alone."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, SkipValidation

from schemas.articles import ArticleCreate, ArticleState
from schemas.fields import RequestModel
from schemas.problems import Problem

MAX_IDEMPOTENCY_KEY = 200


class ItemKey(RequestModel):
    """An article's Idempotency-Key in a batch (validated apart from the article, which is
    what ``POST /v1/articles`` would take)."""

    idempotency_key: str | None = Field(
        default=None, min_length=1, max_length=MAX_IDEMPOTENCY_KEY,
        description="What the Idempotency-Key header is to POST /v1/articles, for this "
        "article: the same key with the same article gets the article already stored (in "
        "this batch or any request before), with another article a 409 problem for the item.")


class BatchArticle(ArticleCreate, ItemKey):
    """One article of a batch: the fields of ``POST /v1/articles``, and its Idempotency-Key."""


class ArticleBatch(BaseModel):
    """The articles to store and queue; each is validated on its own, so one bad article
    refuses that article only."""

    model_config = ConfigDict(extra="forbid")

    # SkipValidation: items are validated one by one in the route (the schema still shows
    # BatchArticle), so the request is never refused for one item.
    articles: list[SkipValidation[BatchArticle]] = Field(
        min_length=1, description="The articles, at most the service's `max_batch_articles` "
        "(100 unless the operator changed it); more is a 422 for the whole request.")


class BatchItemAccepted(BaseModel):
    """An article of the batch that is stored and queued (or was already, by its key)."""

    index: int = Field(description="Its position in the request's `articles`, from 0.")
    id: str = Field(description="The article's id (``art_...``).")
    state: ArticleState = Field(description="Its state now: queued for a new article.")
    location: str = Field(description="Where to read the article and, once processed, its "
                          "claims.")


class BatchItemRefused(BaseModel):
    """An article of the batch that was not stored, and why."""

    index: int = Field(description="Its position in the request's `articles`, from 0.")
    problem: Problem = Field(description="Why, as the problem document POST /v1/articles "
                             "would have answered for it alone (`status` is that answer's).")


class BatchAccepted(BaseModel):
    """The answer to a batch: one item per article sent, in the order sent."""

    accepted: int = Field(description="How many articles are stored and queued.")
    refused: int = Field(description="How many were refused (each with its problem).")
    items: list[BatchItemAccepted | BatchItemRefused] = Field(
        description="One per article sent, in order: its id and Location, or its problem.")
