"""``/v1/rating-scale``: the verdicts reviewers give; admins may set the organisation's own."""

from __future__ import annotations

from fastapi import APIRouter

from schemas.review import RatingScale
from service.api.deps import AdminOnly, JsonBody, OrgDep, SessionDep
from service.store import ratings

router = APIRouter(prefix="/v1/rating-scale", tags=["review"])


@router.get("", response_model=RatingScale)
def read_rating_scale(session: SessionDep, org: OrgDep) -> RatingScale:
    """The organisation's rating scale, best verdict first."""
    return ratings.rating_scale(session, org_id=org)


@router.put("", dependencies=[AdminOnly, JsonBody], response_model=RatingScale)
def replace_rating_scale(body: RatingScale, session: SessionDep, org: OrgDep) -> RatingScale:
    """Replace the scale. Verdicts already given keep their names, and ClaimReview shows a
    verdict no longer on the scale without a rating value."""
    scale = ratings.set_rating_scale(session, org_id=org, scale=body)
    session.commit()
    return scale
