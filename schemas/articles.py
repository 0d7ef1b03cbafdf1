"""Article in/out models: what a newsroom tool sends and what it reads back."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

from schemas.claims import ClaimOut
from schemas.fields import DatetimeIn, JsonObject, RequestModel, UtcDatetime

ArticleState = Literal["queued", "processing", "processed", "failed"]


class ArticleCreate(RequestModel):
    """``POST /v1/articles``: plain ``text`` or ``html`` (main text is extracted from it)."""

    nul_checked_later = frozenset({"text"})  # intake refuses it as binary-text

    text: str | None = Field(default=None, description="The article's plain text.")
    html: str | None = Field(default=None, description="The article as HTML, instead of text.")
    title: str | None = Field(default=None, max_length=1000,
                              description="The headline, kept as sent.")
    url: str | None = Field(default=None, max_length=4000,
                            description="Where the article is published, kept as sent.")
    published_at: DatetimeIn | None = Field(
        default=None, description="Anchors relative dates; the receipt time is used without it."
    )
    language: str = Field(default="en", description="ISO 639-1 code of the article's language.")
    metadata: JsonObject = Field(
        default_factory=dict, description="Anything of yours (a CMS id, a section): stored and "
        "returned as sent, never read."
    )

    @model_validator(mode="after")
    def _text_or_html(self) -> ArticleCreate:
        if (self.text is None) == (self.html is None):
            raise ValueError("send exactly one of 'text' or 'html'")
        return self


class ArticleOut(BaseModel):
    """An article as stored, with its claims once processed."""

    id: str = Field(description="The article's id (``art_...``).")
    state: ArticleState = Field(description="queued, processing, processed (claims ready) or "
                                "failed (see failure_reason).")
    title: str | None = Field(default=None, description="The headline, as sent.")
    url: str | None = Field(default=None, description="The article's URL, as sent.")
    language: str = Field(description="ISO 639-1 code of the article's language.")
    published_at: UtcDatetime | None = Field(default=None,
                                             description="When it was published (as sent, in UTC).")
    received_at: UtcDatetime = Field(description="When the service received it.")
    processed_at: UtcDatetime | None = Field(default=None,
                                             description="When its claims were extracted.")
    failure_reason: str | None = Field(default=None,
                                       description="Why processing failed (state failed).")
    metadata: dict[str, Any] = Field(default_factory=dict,
                                     description="What was sent as metadata, unchanged.")
    text: str = Field(description="The text claims are extracted from, that every offset "
                      "points into: as sent, or the main text extracted from the HTML.")
    claim_count: int | None = Field(default=None, description="How many claims it has "
                                    "(null until processed).")
    claims: list[ClaimOut] | None = Field(
        default=None, description="Its claims in text order, once processed (null before); at "
        "most 200 here, page through them all at ``/v1/articles/{id}/claims``."
    )


class ArticleAccepted(BaseModel):
    """The 202 answer: where to poll."""

    id: str = Field(description="The article's id (``art_...``).")
    state: ArticleState = Field(description="Its state now: queued for a new article, any "
                                "state for one sent again with the same Idempotency-Key.")
    location: str = Field(description="Where to read the article and, once processed, its "
                          "claims (also the Location header).")


class ArticleSummary(BaseModel):
    """An article in a list: its state and what identifies it, without its text or claims."""

    id: str = Field(description="The article's id (``art_...``).")
    state: ArticleState = Field(description="queued, processing, processed or failed.")
    title: str | None = Field(default=None, description="The title sent with the article.")
    url: str | None = Field(default=None, description="The article's URL, as sent.")
    received_at: UtcDatetime = Field(description="When the service accepted the article.")
    published_at: UtcDatetime | None = Field(default=None,
                                             description="When the article was published "
                                             "(as sent, in UTC).")
    processed_at: UtcDatetime | None = Field(default=None,
                                             description="When its claims were extracted "
                                             "and linked (null until then).")
    claim_count: int = Field(description="How many claims were extracted (0 until processed).")
