"""``/v1/claims``: the review queue, one claim, and the review workflow on it.

Every claim response carries an ``ETag`` (the review version); ``PATCH`` needs it back in
``If-Match``: a stale one is a 412 carrying the claim as it is now, a missing one a 428.
"""

from __future__ import annotations

from typing import Annotated, Any, get_args

from fastapi import APIRouter, Body, Header, Query, Response
from pydantic import BeforeValidator

from schemas.claims import AutoVerdict, ClaimOut, ClaimType, ReviewState
from schemas.pages import Page
from schemas.review import AssignRequest, ClaimEventOut, ClaimHistory, ClaimPatch
from service.api.deps import (
    JsonBody,
    OrgDep,
    PrincipalDep,
    QueueDep,
    Reviewer,
    SessionDep,
    SettingsDep,
    Storable,
)
from service.api.problems import PreconditionRequired
from service.store import claims, ratings, review
from service.store.clock import as_utc
from service.store.models import Claim, Organisation

router = APIRouter(prefix="/v1/claims", tags=["claims"])


def _blank_is_none(value: Any) -> Any:
    """``?type=`` from a form or a tool that fills every parameter means no filter."""
    return None if value == "" else value


Blank = BeforeValidator(_blank_is_none)


@router.get("", response_model=Page[ClaimOut])
def read_claims(
    session: SessionDep, principal: PrincipalDep,
    state: Annotated[ReviewState | None, Query(description="Only claims in this review "
                                               "state (queued: the review queue)."),
                     Blank] = None,
    min_checkworthiness: Annotated[float | None, Query(
        ge=0.0, le=1.0, description="Only claims at least this check-worthy (0 to 1)."),
                                   Blank] = None,
    type: Annotated[ClaimType | None, Query(
        description="Only claims of this type: " + ", ".join(get_args(ClaimType)) + "."),
                    Blank] = None,
    article_id: Annotated[str | None, Query(max_length=40,
                                            description="Only this article's claims."),
                          Blank, Storable] = None,
    assignee: Annotated[str | None, Query(max_length=200, description="A key id, or `me`."),
                        Blank, Storable] = None,
    auto: Annotated[AutoVerdict | None, Query(description="Only claims with this automatic "
                                              "assessment."), Blank] = None,
    cursor: Annotated[str | None, Blank] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[ClaimOut]:
    """The review queue (``?state=queued``): most check-worthy first, then oldest."""
    return claims.list_claims(
        session, org_id=principal.org_id, state=state, min_checkworthiness=min_checkworthiness,
        claim_type=type, article_id=article_id, auto=auto, cursor=cursor, limit=limit,
        assignee=principal.key_id if assignee == "me" else assignee)


@router.get("/{claim_id}", response_model=ClaimOut)
def read_claim(claim_id: str, session: SessionDep, org: OrgDep, response: Response) -> ClaimOut:
    """One claim record; its ``ETag`` is what a ``PATCH`` sends back in ``If-Match``."""
    return _answer(claims.get_claim(session, org_id=org, claim_id=claim_id), response)


@router.post("/{claim_id}/assign", response_model=ClaimOut)
def assign_claim(claim_id: str, session: SessionDep, principal: Reviewer, queue: QueueDep,
                 settings: SettingsDep, response: Response,
                 body: Annotated[AssignRequest | None, Body()] = None) -> ClaimOut:
    """Take a queued claim into review (to yourself, or, as an admin, to ``assignee``)."""
    outcome = review.assign_claim(session, org_id=principal.org_id, claim_id=claim_id,
                                  actor=principal, assignee=body.assignee if body else None)
    session.commit()
    return _answer(outcome.claim, response)


@router.patch("/{claim_id}", dependencies=[JsonBody], response_model=ClaimOut)
def update_claim(claim_id: str, body: ClaimPatch, session: SessionDep, principal: Reviewer,
                 queue: QueueDep, settings: SettingsDep, response: Response,
                 if_match: Annotated[str | None, Header(alias="If-Match")] = None) -> ClaimOut:
    """Set the review state, verdict, rationale and evidence, against the version read."""
    version = review.parse_if_match(if_match or "")
    if version is None:
        raise PreconditionRequired("send the claim's ETag in If-Match, so nobody's change is "
                                   "overwritten unseen")
    org = session.get(Organisation, principal.org_id)
    outcome = review.review_claim(
        session, org_id=principal.org_id, claim_id=claim_id, actor=principal,
        expected_version=version, patch=body,
        scale=ratings.rating_scale(session, org_id=principal.org_id),
        publisher=org.name if org else None)
    session.commit()
    review.after_commit(queue, outcome, settings=settings)
    return _answer(outcome.claim, response)


@router.get("/{claim_id}/history", response_model=ClaimHistory)
def read_history(claim_id: str, session: SessionDep, org: OrgDep) -> ClaimHistory:
    """Every review change of the claim, oldest first: who, when, old and new values."""
    events = review.claim_history(session, org_id=org, claim_id=claim_id)
    return ClaimHistory(claim_id=claim_id, items=[
        ClaimEventOut(id=e.id, action=e.action, actor=e.actor, actor_name=e.actor_name,
                      at=as_utc(e.at), version=e.version, changes=e.changes)
        for e in events])


def _answer(row: Claim, response: Response) -> ClaimOut:
    response.headers["ETag"] = review.etag(row)
    return claims.to_claim_out(row)
