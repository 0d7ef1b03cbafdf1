"""The review workflow: assign a claim, write a reviewer's decision, read the history.

Every write is a compare-and-set on ``claims.version`` (``UPDATE ... WHERE version = :seen``),
so two reviewers saving at once cannot both win: the second gets ``StaleVersion`` and nothing
of theirs is written. Each write appends one ``claim_events`` row in the same transaction.
A claim that becomes ``verified`` is stored as a fact-check of its organisation
(``service.store.verdicts``); reopening it removes that fact-check again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from rq import Queue
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from schemas.fields import rfc3339
from schemas.review import TRANSITIONS, ClaimPatch, RatingScale
from service.store import keys, sources, webhooks
from service.store.claims import get_claim, to_claim_out
from service.store.clock import utcnow
from service.store.errors import (
    Forbidden,
    InvalidInput,
    InvalidTransition,
    StaleVersion,
)
from service.store.keys import Principal
from service.store.models import Claim, ClaimEvent, Source
from service.store.queue import queue_deliveries
from service.store.relink import queue_relink
from service.store.settings import Settings
from service.store.verdicts import claim_source_url, record_verified_claim

# The columns a review writes, by the name the API and the history use.
_COLUMNS = {"state": "state", "verdict": "verdict", "rationale": "rationale",
            "reason": "dismiss_reason", "evidence": "review_evidence", "assignee": "assignee",
            "reviewer": "reviewer", "reviewed_at": "reviewed_at"}


@dataclass
class ReviewOutcome:
    """What a write did: the claim after it, the changes, and what the caller must queue."""

    claim: Claim
    changes: dict[str, dict[str, Any]] = field(default_factory=dict)
    verified: bool = False  # became verified, or its verdict changed while verified
    changed_sources: list[str] = field(default_factory=list)  # fact-checks made or removed
    deliveries: list[str] = field(default_factory=list)  # webhook deliveries to queue


def stale(row: Claim) -> StaleVersion:
    """The 412 error, carrying the claim as it is now."""
    return StaleVersion(
        f"the claim is at version {row.version}; read it again, then retry with its ETag",
        current=to_claim_out(row).model_dump(mode="json"))


def assign_claim(session: Session, *, org_id: str, claim_id: str, actor: Principal,
                 assignee: str | None = None) -> ReviewOutcome:
    """``queued`` -> ``in_review``, to ``actor`` or (admins only) to ``assignee``, a key id of
    a reviewer or admin of the organisation. An admin may also hand over a claim in review.

    :raise Forbidden: a reviewer assigning to someone else or taking a claim someone has.
    :raise InvalidTransition: the claim is decided already.
    """
    row = get_claim(session, org_id=org_id, claim_id=claim_id)
    target = assignee or actor.key_id
    if target != actor.key_id:
        if not actor.allows("admin"):
            raise Forbidden("only an admin can assign a claim to someone else")
        _check_assignee(session, org_id=org_id, key_id=target)
    if row.state not in ("queued", "in_review"):
        raise InvalidTransition(f"a {row.state} claim cannot be assigned; reopen it first",
                                state=row.state)
    if row.state == "in_review" and row.assignee not in (None, target) and not actor.allows(
            "admin"):
        raise Forbidden(f"the claim is in review by {row.assignee}; an admin can reassign it",
                        assignee=row.assignee)
    return _write(session, row, actor=actor, action="assign", expected_version=row.version,
                  values={"state": "in_review", "assignee": target})


def review_claim(session: Session, *, org_id: str, claim_id: str, actor: Principal,
                 expected_version: int, patch: ClaimPatch, scale: RatingScale,
                 publisher: str | None = None) -> ReviewOutcome:
    """Apply a reviewer's PATCH written against ``expected_version``.

    :raise StaleVersion: the claim changed since that version (nothing is written).
    :raise InvalidTransition: the state change is not in ``TRANSITIONS``.
    :raise InvalidInput: a verdict not on ``scale``; ``verified`` with no verdict;
        ``dismissed`` with no reason.
    """
    row = get_claim(session, org_id=org_id, claim_id=claim_id)
    if row.version != expected_version:
        raise stale(row)
    sent = patch.model_fields_set
    state = patch.state if "state" in sent and patch.state else row.state
    if state != row.state and state not in TRANSITIONS[row.state]:
        allowed = sorted(TRANSITIONS[row.state])
        raise InvalidTransition(f"a {row.state} claim can go to {' or '.join(allowed)}, "
                                f"not {state}", state=row.state, allowed=allowed)
    values: dict[str, Any] = {"state": state}
    verdict = patch.verdict if "verdict" in sent else row.verdict
    if verdict is not None and scale.level(verdict) is None:
        names = [level.name for level in scale.levels]
        raise InvalidInput(f"verdict must be one of {', '.join(names)}", choices=names)
    values["verdict"] = verdict
    if "rationale" in sent:
        values["rationale"] = patch.rationale
    if "evidence" in sent:
        values["evidence"] = [e.model_dump(mode="json", exclude_none=True)
                              for e in patch.evidence or []]
    if state == "verified" and not verdict:
        raise InvalidInput("a verified claim needs a verdict from the rating scale",
                           choices=[level.name for level in scale.levels])
    if state == "dismissed":
        reason = patch.reason if "reason" in sent else row.dismiss_reason
        if not (reason or "").strip():
            raise InvalidInput("say why the claim is dismissed: send a 'reason'")
        values["reason"] = reason
    if state != row.state:
        values.update(_entering(state, row, actor))
    outcome = _write(session, row, actor=actor, action="review",
                     expected_version=expected_version, values=values)
    if not outcome.changes:
        return outcome
    if state == "verified" and ({"state", "verdict", "rationale"} & outcome.changes.keys()):
        source = record_verified_claim(session, org_id=org_id, claim=row, publisher=publisher,
                                       scale=scale)
        outcome.verified = True
        outcome.changed_sources.append(source.id)
        outcome.deliveries = webhooks.record_event(
            session, org_id=org_id, event="claim.verified",
            data=webhooks.claim_verified_data(row))
    elif "state" in outcome.changes and outcome.changes["state"]["old"] == "verified":
        outcome.changed_sources.extend(_remove_fact_check(session, org_id=org_id, claim=row))
    return outcome


def _entering(state: str, row: Claim, actor: Principal) -> dict[str, Any]:
    """What entering ``state`` sets besides the state itself."""
    if state == "queued":
        return {"assignee": None}
    if state == "in_review":
        return {"assignee": row.assignee or actor.key_id}
    return {"reviewer": actor.key_id, "reviewed_at": utcnow()}


def _check_assignee(session: Session, *, org_id: str, key_id: str) -> None:
    principal = keys.principal_of_key(session, key_id=key_id)
    if principal is None or principal.org_id != org_id or not principal.allows("reviewer"):
        raise InvalidInput("assignee must be the key id of an active reviewer or admin of the "
                           "organisation")


def _write(session: Session, row: Claim, *, actor: Principal, action: str,
           expected_version: int, values: dict[str, Any]) -> ReviewOutcome:
    """Compare-and-set the changed columns and log them; no change writes nothing."""
    changes = {
        name: {"old": _plain(getattr(row, _COLUMNS[name])), "new": _plain(value)}
        for name, value in values.items()
        if getattr(row, _COLUMNS[name]) != value
    }
    if not changes:
        return ReviewOutcome(claim=row)
    result = session.execute(
        update(Claim)
        .where(Claim.id == row.id, Claim.org_id == row.org_id,
               Claim.version == expected_version)
        .values({_COLUMNS[name]: value for name, value in values.items()}
                | {"version": expected_version + 1})
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        raise stale(get_claim(session, org_id=row.org_id, claim_id=row.id))
    session.refresh(row)
    session.add(ClaimEvent(org_id=row.org_id, claim_id=row.id, action=action,
                           actor=actor.key_id, actor_name=actor.name, at=utcnow(),
                           version=row.version, changes=changes))
    return ReviewOutcome(claim=row, changes=changes)


def _plain(value: Any) -> Any:
    """A value as the history stores it (JSON; a datetime as the API writes one)."""
    if isinstance(value, datetime):
        return rfc3339(value)
    return value.isoformat() if hasattr(value, "isoformat") else value


def _remove_fact_check(session: Session, *, org_id: str, claim: Claim) -> list[str]:
    """A reopened claim is no longer a fact-check: drop the one its verdict made."""
    source = session.scalars(select(Source).where(
        Source.org_id == org_id, Source.url == claim_source_url(claim.id))).first()
    if source is None:
        return []
    sources.delete_source(session, org_id=org_id, source_id=source.id)
    return [source.id]


def after_commit(queue: Queue, outcome: ReviewOutcome, *, settings: Settings) -> None:
    """What a committed review sets off: claims that could cite a fact-check made or removed
    are linked again, and a verified claim is announced to the webhooks (``claim.verified``).
    Neither fails the review when Redis is away (both are logged)."""
    org_id = outcome.claim.org_id
    if outcome.changed_sources:
        queue_relink(queue, org_id=org_id, job_timeout=settings.job_timeout,
                     source_ids=outcome.changed_sources)
    if outcome.deliveries:
        queue_deliveries(queue, org_id=org_id, delivery_ids=outcome.deliveries,
                         settings=settings)


def claim_history(session: Session, *, org_id: str, claim_id: str) -> list[ClaimEvent]:
    """The claim's review history, oldest first.

    :raise NotFound: no such claim in the organisation, and no history of one.
    """
    events = list(session.scalars(
        select(ClaimEvent).where(ClaimEvent.org_id == org_id, ClaimEvent.claim_id == claim_id)
        .order_by(ClaimEvent.id)))
    if not events:
        get_claim(session, org_id=org_id, claim_id=claim_id)
    return events


def etag(row: Claim) -> str:
    """The claim's ETag: its review version (a re-link changes evidence, not the version)."""
    return f'"{row.version}"'


def parse_if_match(value: str) -> int | None:
    """The version an ``If-Match`` names, or None when it names none of ours (``*``, junk)."""
    value = value.strip()
    if value.startswith("W/"):
        value = value[2:]
    value = value.strip('"')
    return int(value) if value.isdigit() else None

