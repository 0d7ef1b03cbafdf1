"""The organisation's rating scale: its own when an admin set one, DESIGN.md's default else."""

from __future__ import annotations

from sqlalchemy.orm import Session

from schemas.review import DEFAULT_RATING_SCALE, RatingScale
from service.store.errors import NotFound
from service.store.models import Organisation


def rating_scale(session: Session, *, org_id: str) -> RatingScale:
    row = session.get(Organisation, org_id)
    if row is None:
        raise NotFound(f"organisation {org_id} not found")
    if not row.rating_scale:
        return DEFAULT_RATING_SCALE
    return RatingScale.model_validate({"levels": row.rating_scale})


def set_rating_scale(session: Session, *, org_id: str, scale: RatingScale) -> RatingScale:
    """Replace the organisation's scale (verdicts already given keep their names)."""
    row = session.get(Organisation, org_id)
    if row is None:
        raise NotFound(f"organisation {org_id} not found")
    row.rating_scale = [level.model_dump(mode="json") for level in scale.levels]
    return scale
