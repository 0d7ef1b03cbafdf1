"""Article in/out models: what a newsroom tool sends and what it reads back."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from schemas.claims import ClaimOut

ArticleState = Literal["queued", "processing", "processed", "failed"]


class ArticleCreate(BaseModel):
    """``POST /v1/articles``: plain ``text`` or ``html`` (main text is extracted from it)."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(default=None, description="The article's plain text.")
    html: str | None = Field(default=None, description="The article as HTML, instead of text.")
    title: str | None = Field(default=None, max_length=1000)
    url: str | None = Field(default=None, max_length=4000)
    published_at: datetime | None = Field(
        default=None, description="Anchors relative dates; the receipt time is used without it."
    )
    language: str = Field(default="en", description="ISO 639-1 code of the article's language.")
    metadata: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _text_or_html(self) -> ArticleCreate:
        if (self.text is None) == (self.html is None):
            raise ValueError("send exactly one of 'text' or 'html'")
        return self


class ArticleOut(BaseModel):
    """An article as stored, with its claims once processed."""

    id: str
    state: ArticleState
    title: str | None = None
    url: str | None = None
    language: str
    published_at: datetime | None = None
    received_at: datetime
    processed_at: datetime | None = None
    failure_reason: str | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)
    text: str
    claim_count: int | None = None
    claims: list[ClaimOut] | None = None


class ArticleAccepted(BaseModel):
    """The 202 answer: where to poll."""

    id: str
    state: ArticleState
    location: str
