"""Evidence sources: fact checks and documents, their passages, search hits, import summaries.

A ``fact_check`` carries the claim it reviewed and its rating; a ``document`` (report,
press release, statistics page, earlier article) carries its text. Passage offsets are
into ``text`` for a document and into ``claim_reviewed`` for a fact check.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

from schemas.fields import DatetimeIn, JsonObject, RequestModel, UtcDatetime

SourceKind = Literal["fact_check", "document"]


class SourceCreate(RequestModel):
    """``POST /v1/sources`` and one imported record; a source with a known URL is updated."""

    kind: SourceKind = Field(description="fact_check (a published review of a claim, with its "
                             "rating) or document (a report, statistics page, press release, "
                             "earlier article).")
    url: str | None = Field(default=None, max_length=2000, description="Where the source can "
                            "be read; a source sent again with a known URL is updated.")
    title: str | None = Field(default=None, max_length=2000, description="The source's title.")
    publisher: str | None = Field(default=None, max_length=500,
                                  description="Who published it.")
    published_at: DatetimeIn | None = Field(
        default=None, description="When it was published; anchors the relative dates in it."
    )
    text: str | None = Field(default=None, description="A document's text (documents only).")
    claim_reviewed: str | None = Field(
        default=None, max_length=5000, description="The claim a fact check reviewed."
    )
    claimant: str | None = Field(default=None, max_length=500,
                                 description="Who made the claim a fact check reviewed.")
    rating_text: str | None = Field(default=None, max_length=500,
                                    description="A fact check's rating as published, e.g. "
                                    "'False'.")
    rating_value: float | None = Field(default=None, description="A fact check's rating as a "
                                       "number on its scale (ClaimReview ratingValue).")
    best_rating: float | None = Field(default=None,
                                      description="The best value of that scale (bestRating).")
    worst_rating: float | None = Field(default=None, description="The worst value of that "
                                       "scale (worstRating).")
    metadata: JsonObject = Field(default_factory=dict, description="Anything of yours: "
                                 "stored and returned as sent, never read.")

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

    id: int = Field(description="The passage's id.")
    position: int = Field(description="Its place in the source, from 0.")
    start: int = Field(description="Offset of its first character in the source's text (a "
                       "document) or claim_reviewed (a fact check).")
    end: int = Field(description="Offset just past its last character (exclusive).")
    text: str = Field(description="The passage: a few sentences of one paragraph.")


class SourceOut(BaseModel):
    """A source as stored, with its passages when read one at a time."""

    id: str = Field(description="The source's id (``src_...``).")
    kind: SourceKind = Field(description="fact_check or document.")
    url: str | None = Field(default=None, description="Where the source can be read.")
    title: str | None = Field(default=None, description="The source's title.")
    publisher: str | None = Field(default=None, description="Who published it.")
    published_at: UtcDatetime | None = Field(default=None,
                                             description="When it was published.")
    text: str | None = Field(default=None, description="A document's text (null for a fact "
                             "check).")
    claim_reviewed: str | None = Field(default=None, description="The claim a fact check "
                                       "reviewed (null for a document).")
    claimant: str | None = Field(default=None,
                                 description="Who made the claim a fact check reviewed.")
    rating_text: str | None = Field(default=None,
                                    description="A fact check's rating as published.")
    rating_value: float | None = Field(default=None,
                                       description="A fact check's rating as a number.")
    best_rating: float | None = Field(default=None, description="The best value of its scale.")
    worst_rating: float | None = Field(default=None,
                                       description="The worst value of its scale.")
    metadata: dict[str, Any] = Field(default_factory=dict,
                                     description="What was sent as metadata, unchanged.")
    created_at: UtcDatetime = Field(description="When the source was first stored.")
    updated_at: UtcDatetime = Field(description="When it was last changed.")
    passages: list[PassageOut] | None = Field(
        default=None, description="Its passages in order, as searched (when the source is "
        "read one at a time; null in lists)."
    )


class SearchHit(BaseModel):
    """One matching passage: its snippet, its place in the source, the source's details."""

    source_id: str = Field(description="The source (``src_...``).")
    passage_id: int = Field(description="The matching passage.")
    kind: SourceKind = Field(description="fact_check or document.")
    score: float = Field(description="Lexical score of the backend; higher is better.")
    snippet: str = Field(description="The passage's words around the terms found.")
    start: int = Field(description="Offset of the passage in the source's text or "
                       "claim_reviewed.")
    end: int = Field(description="Offset just past the passage's end (exclusive).")
    title: str | None = Field(default=None, description="The source's title.")
    url: str | None = Field(default=None, description="Where the source can be read.")
    publisher: str | None = Field(default=None, description="Who published the source.")
    published_at: UtcDatetime | None = Field(default=None,
                                             description="When the source was published.")
    claimant: str | None = Field(default=None,
                                 description="Who made the claim a fact check reviewed.")
    rating_text: str | None = Field(default=None,
                                    description="A fact check's rating as published.")
    rating_value: float | None = Field(default=None,
                                       description="A fact check's rating as a number.")
    best_rating: float | None = Field(default=None, description="The best value of its scale.")
    worst_rating: float | None = Field(default=None,
                                       description="The worst value of its scale.")


class SearchResults(BaseModel):
    """``GET /v1/sources/search``: the terms searched for and the hits, best first."""

    terms: list[str] = Field(description="The words searched for: q's words without stop "
                             "words, lower-cased, in order.")
    items: list[SearchHit] = Field(description="The matching passages, best first.")


class ImportProblem(BaseModel):
    """A skipped record: its line (JSONL, CSV) or 1-based record index (JSON) and why."""

    line: int | None = Field(default=None, description="The line (JSONL, CSV).")
    record: int | None = Field(default=None, description="The 1-based record index (JSON).")
    reason: str = Field(description="Why the record was skipped.")


class ImportSummary(BaseModel):
    """What an import did: new sources, changed ones, unchanged ones, skipped records."""

    imported: int = Field(default=0, description="New sources stored.")
    updated: int = Field(default=0, description="Known sources changed.")
    unchanged: int = Field(default=0, description="Known sources sent again as they were.")
    skipped: int = Field(default=0, description="Records not stored.")
    problems: list[ImportProblem] = Field(default_factory=list,
                                          description="Why each skipped record was skipped.")
