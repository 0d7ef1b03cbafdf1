"""The claim record: the contract newsroom tools code against (DESIGN.md).

Offsets are Python string indices into the article text as stored:
``article.text[start:end] == text`` holds for every claim and span.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    model_serializer,
)

SpanKind = Literal["quantity", "date", "entity", "quote"]
Comparator = Literal["=", ">", ">=", "<", "<=", "~"]
ClaimType = Literal[
    "quantity", "temporal", "comparison", "causal", "prediction", "attribution", "law_rule", "other"
]
AutoVerdict = Literal["supported", "contradicted", "related", "no_evidence"]
ReviewState = Literal["queued", "in_review", "verified", "dismissed"]
Stance = Literal["supports", "contradicts", "related"]


class TextRange(BaseModel):
    """A character range of the article text."""

    start: int
    end: int


class Span(BaseModel):
    """A checkable part of a claim: a quantity, a date, an entity or a quote.

    ``normalized`` holds, for quantities, ``value`` (float), ``upper`` (float or null,
    for ranges), ``unit`` (counted noun, ``%``, ``pp`` or an ISO currency) and
    ``comparator``; for dates, ISO ``value`` and ``granularity``
    (``day``, ``month``, ``quarter``, ``year``).
    """

    model_config = ConfigDict(extra="forbid")

    kind: SpanKind
    text: str
    start: int
    end: int
    normalized: dict[str, Any] | None = None
    label: str | None = None

    @model_serializer(mode="wrap")
    def _omit_absent(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """Entity spans have a label, the others a normalized value: omit what is absent."""
        data: dict[str, Any] = handler(self)
        return {k: v for k, v in data.items() if v is not None}


class Evidence(BaseModel):
    source_id: str
    kind: Literal["fact_check", "document"]
    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    published_at: str | None = None
    snippet: str | None = None
    score: float = 0.0
    stance: Stance = "related"
    reason: str | None = None


class Verification(BaseModel):
    """The automatic assessment (``auto``, ``confidence``, ``reason``, ``linked_at``) and the
    review (``state``, ``verdict``, ``assignee``, ``reviewed_at``, ``version``).

    Linking again when evidence changes rewrites only the automatic part; ``version`` counts
    the reviewer's writes (the ``If-Match`` check), so a re-link never makes a review stale.
    """

    auto: AutoVerdict = "no_evidence"
    confidence: float = 0.0
    reason: str | None = None
    linked_at: datetime | None = Field(
        default=None, description="When the evidence shown was last looked up (null: never)."
    )
    state: ReviewState = "queued"
    verdict: str | None = None
    assignee: str | None = None
    reviewed_at: datetime | None = None
    version: int = 1


class ClaimRecord(BaseModel):
    """What the pipeline produces for one claim (no ids yet: storage assigns them)."""

    text: str
    start: int
    end: int
    statement: str
    sentence: TextRange
    checkworthiness: float = Field(ge=0.0, le=1.0)
    types: list[ClaimType] = Field(default_factory=list)
    spans: list[Span] = Field(default_factory=list)
    speaker: str | None = None


class ClaimOut(ClaimRecord):
    """A stored claim, as the API serves it."""

    id: str
    article_id: str
    evidence: list[Evidence] = Field(default_factory=list)
    verification: Verification = Field(default_factory=Verification)
