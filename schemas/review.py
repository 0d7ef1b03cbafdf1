"""The review workflow: assigning a claim, a reviewer's verdict, the history, the rating scale.

States (DESIGN.md): ``queued`` -> ``in_review`` -> ``verified`` | ``dismissed``. A reviewer may
also hand a claim back (``in_review`` -> ``queued``) and reopen a decided one (``verified`` or
``dismissed`` -> ``in_review``); anything else is an impossible transition (409).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, model_validator

from schemas.claims import ReviewEvidence, ReviewState
from schemas.fields import RequestModel, UtcDatetime

TRANSITIONS: dict[str, frozenset[str]] = {
    "queued": frozenset({"in_review"}),
    "in_review": frozenset({"queued", "verified", "dismissed"}),
    "verified": frozenset({"in_review"}),
    "dismissed": frozenset({"in_review"}),
}


class RatingLevel(RequestModel):
    """One verdict of the rating scale and its ClaimReview rating."""

    name: str = Field(min_length=1, max_length=32, pattern=r"^[a-z0-9_]+$",
                      description="The verdict as the API takes it, e.g. ``mostly_true``.")
    label: str = Field(min_length=1, max_length=100,
                       description="The verdict as people read it (ClaimReview "
                       "``alternateName``), e.g. 'Mostly true'.")
    value: int | None = Field(default=None, ge=1, le=5,
                              description="ClaimReview ``ratingValue`` (best 5, worst 1); null "
                              "for a verdict with no place on the scale, like unverifiable.")


BEST_RATING = 5
WORST_RATING = 1


class RatingScale(RequestModel):
    """The organisation's verdicts, best first."""

    levels: list[RatingLevel] = Field(min_length=1, max_length=20,
                                      description="The verdicts a reviewer can give, each "
                                      "rated from 1 (worst) to 5 (best) or not rated.")

    @model_validator(mode="after")
    def _names_differ(self) -> RatingScale:
        names = [level.name for level in self.levels]
        if len(set(names)) != len(names):
            raise ValueError("each verdict name may appear once")
        return self

    def level(self, name: str) -> RatingLevel | None:
        return next((level for level in self.levels if level.name == name), None)


DEFAULT_RATING_SCALE = RatingScale(levels=[
    RatingLevel(name="true", label="True", value=5),
    RatingLevel(name="mostly_true", label="Mostly true", value=4),
    RatingLevel(name="mixed", label="Mixed", value=3),
    RatingLevel(name="misleading", label="Misleading", value=2),
    RatingLevel(name="mostly_false", label="Mostly false", value=2),
    RatingLevel(name="false", label="False", value=1),
    RatingLevel(name="unverifiable", label="Unverifiable", value=None),
])


class AssignRequest(RequestModel):
    """``POST /v1/claims/{id}/assign``: to the caller, or (admins) to someone else."""

    assignee: str | None = Field(default=None, min_length=1, max_length=200,
                                 description="Who reviews the claim: a key id or a name. "
                                 "Only an admin may assign to someone other than themself.")


class ClaimPatch(RequestModel):
    """``PATCH /v1/claims/{id}`` (with ``If-Match``): the fields a reviewer sets.

    Absent fields stay as they are. ``verified`` needs a ``verdict`` (given now or before);
    ``dismissed`` needs a ``reason``.
    """

    state: ReviewState | None = Field(default=None, description="The new review state.")
    verdict: str | None = Field(default=None, max_length=32,
                                description="A verdict of the organisation's rating scale.")
    rationale: str | None = Field(default=None, max_length=20_000,
                                  description="Why: shown with the verdict and in ClaimReview.")
    reason: str | None = Field(default=None, max_length=2000,
                               description="Why the claim is dismissed (needed to dismiss).")
    evidence: list[ReviewEvidence] | None = Field(default=None, max_length=50,
                                                  description="The evidence that backs the "
                                                  "verdict (replaces the list).")


class ClaimEventOut(BaseModel):
    """One entry of a claim's review history."""

    id: int = Field(description="Increasing within the log.")
    action: str = Field(description="``assign`` or ``review``.")
    actor: str = Field(description="The id of the key that made the change.")
    actor_name: str | None = Field(default=None, description="That key's name at the time.")
    at: UtcDatetime = Field(description="When the change was made.")
    version: int = Field(description="The claim's review version after the change.")
    changes: dict[str, dict[str, Any]] = Field(
        description="Each changed field with its ``old`` and ``new`` value.")


class ClaimHistory(BaseModel):
    """A claim's review history, oldest first."""

    claim_id: str = Field(description="The claim.")
    items: list[ClaimEventOut] = Field(description="The changes, oldest first.")
