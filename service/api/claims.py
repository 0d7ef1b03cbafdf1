"""``/v1/claims``: the claims of every article, as a queue or one at a time."""

from __future__ import annotations

from typing import Annotated, Any, get_args

from fastapi import APIRouter, Query
from pydantic import BeforeValidator

from schemas.claims import ClaimOut, ClaimType, ReviewState
from schemas.pages import Page
from service.api.deps import OrgDep, SessionDep
from service.store import claims

router = APIRouter(prefix="/v1/claims", tags=["claims"])


def _blank_is_none(value: Any) -> Any:
    """``?type=`` from a form or a tool that fills every parameter means no filter."""
    return None if value == "" else value


Blank = BeforeValidator(_blank_is_none)


@router.get("", response_model=Page[ClaimOut])
def read_claims(
    session: SessionDep, org: OrgDep,
    state: Annotated[ReviewState | None, Blank] = None,
    min_checkworthiness: Annotated[float | None, Query(ge=0.0, le=1.0), Blank] = None,
    type: Annotated[ClaimType | None, Query(description=", ".join(get_args(ClaimType))),
                    Blank] = None,
    cursor: Annotated[str | None, Blank] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[ClaimOut]:
    """Claims, most check-worthy first, filtered by review state, score and type."""
    return claims.list_claims(session, org_id=org, state=state,
                              min_checkworthiness=min_checkworthiness, claim_type=type,
                              cursor=cursor, limit=limit)


@router.get("/{claim_id}", response_model=ClaimOut)
def read_claim(claim_id: str, session: SessionDep, org: OrgDep) -> ClaimOut:
    """One claim record."""
    return claims.to_claim_out(claims.get_claim(session, org_id=org, claim_id=claim_id))
