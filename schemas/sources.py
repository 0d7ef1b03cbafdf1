"""Evidence sources: fact checks and documents, their passages, search hits, import summaries.

A ``fact_check`` carries the claim it reviewed and its rating; a ``document`` (report,
press release, statistics page, earlier article) carries its text. Passage offsets are
into ``text`` for a document and into ``claim_reviewed`` for a fact check.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

SourceKind = Literal["fact_check", "document"]


class SourceCreate(BaseModel):
    """``POST /v1/sources`` and one imported record; a source with a known URL is updated."""

    model_config = ConfigDict(extra="forbid")

    kind: SourceKind
    url: str | None = Field(default=None, max_length=2000)
    title: str | None = Field(default=None, max_length=2000)
    publisher: str | None = Field(default=None, max_length=500)
    published_at: datetime | None = None
    text: str | None = Field(default=None, description="A document's text (documents only).")
    claim_reviewed: str | None = Field(
        default=None, max_length=5000, description="The claim a fact check reviewed."
    )
    claimant: str | None = Field(default=None, max_length=500)
    rating_text: str | None = Field(default=None, max_length=500, description="e.g. 'False'.")
    rating_value: float | None = None
    best_rating: float | None = None
    worst_rating: float | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _fields_of_kind(self) -> SourceCreate:
        if self.kind == "document":
            if not (self.text or "").strip():
                raise ValueError("a document needs a non-empty 'text'")
            if self.claim_reviewed is not None:
                raise ValueError("'claim_reviewed' belongs to fact_check sources")
        else:
            if not (self.claim_reviewed or "").strip():
                raise ValueError("a fact_check needs a non-empty 'claim_reviewed'")
            if self.text is not None:
                raise ValueError("a fact_check is indexed by 'claim_reviewed'; send its write-up "
                                 "as a separate document")
        return self


class PassageOut(BaseModel):
    """A passage: ``source text[start:end] == text``."""

    id: int
    position: int
    start: int
    end: int
    text: str


class SourceOut(BaseModel):
    """A source as stored, with its passages when read one at a time."""

    id: str
    kind: SourceKind
    url: str | None = None
    title: str | None = None
    publisher: str | None = None
    published_at: datetime | None = None
    text: str | None = None
    claim_reviewed: str | None = None
    claimant: str | None = None
    rating_text: str | None = None
    rating_value: float | None = None
    best_rating: float | None = None
    worst_rating: float | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)
    created_at: datetime
    updated_at: datetime
    passages: list[PassageOut] | None = None


class SearchHit(BaseModel):
    """One matching passage: its snippet, its place in the source, the source's details."""

    source_id: str
    passage_id: int
    kind: SourceKind
    score: float = Field(description="Lexical score of the backend; higher is better.")
    snippet: str
    start: int
    end: int
    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    published_at: datetime | None = None
    claimant: str | None = None
    rating_text: str | None = None
    rating_value: float | None = None
    best_rating: float | None = None
    worst_rating: float | None = None


class SearchResults(BaseModel):
    """``GET /v1/sources/search``: the terms searched for and the hits, best first."""

    terms: list[str]
    items: list[SearchHit]


class ImportProblem(BaseModel):
    """A skipped record: its line (JSONL, CSV) or 1-based record index (JSON) and why."""

    line: int | None = None
    record: int | None = None
    reason: str


class ImportSummary(BaseModel):
    """What an import did: new sources, changed ones, unchanged ones, skipped records."""

    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    problems: list[ImportProblem] = Field(default_factory=list)
