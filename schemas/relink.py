"""Linking claims again when evidence changes: what a relink job covers, and the 202 answer.

A ``RelinkScope`` is the job's argument (plain JSON in Redis): the organisation's claims to
link again, narrowed by the filters that are set. ``linked_before`` is when the change was
made: a claim linked at or after it already saw the change and is left alone, which is also
how a job's follow-up skips what the job did.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from schemas.fields import UtcDatetime


class RelinkScope(BaseModel):
    """Which claims of an organisation a relink job links again."""

    model_config = ConfigDict(extra="forbid")

    linked_before: datetime = Field(
        description="Only claims last linked before this time (or never) are linked again."
    )
    claim_ids: list[str] | None = Field(default=None, description="Only these claims.")
    article_id: str | None = Field(default=None, description="Only this article's claims.")
    since: datetime | None = Field(
        default=None, description="Only claims of articles received or processed since then."
    )
    source_ids: list[str] | None = Field(
        default=None, description="Only claims these added, changed or deleted sources could "
        "affect: those citing them, and those their passages match.",
    )
    sources_changed_since: datetime | None = Field(
        default=None, description="Like source_ids, for every source created or updated "
        "since then (an import).",
    )
    sources_resume_at: tuple[datetime, str] | None = Field(
        default=None, description="With sources_changed_since: the (updated_at, id) of the "
        "first source a follow-up job still has to go through.",
    )

    @property
    def by_source(self) -> bool:
        """True when the claims are the ones a source change could affect."""
        return self.source_ids is not None or self.sources_changed_since is not None


class RelinkQueued(BaseModel):
    """``POST /v1/articles/{id}/relink``: the job queued, and how to see it done."""

    job_id: str = Field(description="The queued job's id.")
    article_id: str = Field(description="The article whose claims are linked again.")
    linked_before: UtcDatetime = Field(
        description="The article's claims show verification.linked_at at or after this time "
        "once the job has run."
    )
