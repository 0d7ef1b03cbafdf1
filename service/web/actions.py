"""What a button of the claim page's form does, as calls of the review store.

The form carries the claim version it was rendered with. Nothing is written unless the claim
is still at that version; a button that needs two steps (verifying a queued claim: assign it
to the reviewer, then verify; dismissing a verified one: reopen, then dismiss) makes both in
the caller's transaction, each a compare-and-set on the version the step before left.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from schemas.review import ClaimPatch, RatingScale
from service.api.validation import message
from service.store import review
from service.store.claims import get_claim
from service.store.errors import InvalidInput
from service.store.keys import Principal
from service.store.models import Claim, Organisation
from service.store.review import ReviewOutcome

ACTIONS = ("assign", "verify", "dismiss", "release", "reopen")


@dataclass(frozen=True)
class VerdictForm:
    """The claim page's form as sent: what the reviewer typed and the version they saw."""

    action: str
    version: int
    verdict: str = ""
    rationale: str = ""
    reason: str = ""


def apply_form(session: Session, *, actor: Principal, claim_id: str, form: VerdictForm,
               scale: RatingScale) -> list[ReviewOutcome]:
    """Carry out ``form.action`` on the claim; the caller commits, then runs ``after_commit``.

    :raise StaleVersion: the claim is no longer at ``form.version`` (nothing is written).
    :raise InvalidInput, InvalidTransition, Forbidden: as the review store says.
    :raise NotFound: no such claim in the actor's organisation.
    """
    org_id = actor.org_id
    row = get_claim(session, org_id=org_id, claim_id=claim_id)
    if row.version != form.version:
        raise review.stale(row)
    if form.action == "assign":
        return [review.assign_claim(session, org_id=org_id, claim_id=claim_id, actor=actor)]
    if form.action == "release":
        return [_patch(session, actor, row, scale, state="queued")]
    if form.action == "reopen":
        return [_patch(session, actor, row, scale, state="in_review")]
    if form.action not in ("verify", "dismiss"):
        raise InvalidInput(f"unknown action {form.action!r}; one of {', '.join(ACTIONS)}")
    outcomes = []
    target = "verified" if form.action == "verify" else "dismissed"
    if row.state == "queued":
        outcomes.append(review.assign_claim(session, org_id=org_id, claim_id=claim_id,
                                            actor=actor))
    elif row.state in ("verified", "dismissed") and row.state != target:
        outcomes.append(_patch(session, actor, row, scale, state="in_review"))
    if target == "verified":
        outcomes.append(_patch(session, actor, row, scale, state="verified",
                               verdict=form.verdict.strip() or None,
                               rationale=form.rationale.strip() or None))
    else:
        outcomes.append(_patch(session, actor, row, scale, state="dismissed",
                               reason=form.reason.strip() or None))
    return outcomes


def _patch(session: Session, actor: Principal, row: Claim, scale: RatingScale,
           **fields: Any) -> ReviewOutcome:
    """One review write against the row's current version (a step before may have moved it)."""
    try:
        patch = ClaimPatch(**fields)
    except ValidationError as invalid:
        error = invalid.errors()[0]
        where = ".".join(str(part) for part in error.get("loc", ()))
        raise InvalidInput(f"{where}: {message(error)}") from None
    org = session.get(Organisation, actor.org_id)
    return review.review_claim(session, org_id=actor.org_id, claim_id=row.id, actor=actor,
                               expected_version=row.version, patch=patch, scale=scale,
                               publisher=org.name if org else None)
