"""Verdicts people give, and how a verified claim becomes a fact-check for later articles.

The rating scale is DESIGN.md's default; each verdict maps to a ClaimReview ``ratingValue``
(best 5, worst 1; ``unverifiable`` has none).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from schemas.review import BEST_RATING, DEFAULT_RATING_SCALE, WORST_RATING, RatingScale
from schemas.sources import SourceCreate
from service.store.errors import InvalidInput
from service.store.models import Claim, Source
from service.store.sources import upsert_source

RATING_VALUES: dict[str, float | None] = {
    "true": 5, "mostly_true": 4, "mixed": 3, "misleading": 2, "mostly_false": 2, "false": 1,
    "unverifiable": None,
}
RATING_LABELS = {
    "true": "True", "mostly_true": "Mostly true", "mixed": "Mixed", "misleading": "Misleading",
    "mostly_false": "Mostly false", "false": "False", "unverifiable": "Unverifiable",
}


def claim_source_url(claim_id: str) -> str:
    """The stable key under which a verified claim is stored as a fact-check (upserts)."""
    return f"urn:claimdesk:claim:{claim_id}"


def record_verified_claim(session: Session, *, org_id: str, claim: Claim,
                          publisher: str | None = None,
                          scale: RatingScale | None = None) -> Source:
    """Store a reviewer's verdict on ``claim`` as a ``fact_check`` of the organisation, rated
    on ``scale`` (the default scale when None).

    :raise InvalidInput: the claim has no verdict yet.
    """
    if claim.org_id != org_id or not claim.verdict:
        raise InvalidInput("only a claim of this organisation with a verdict can be recorded")
    level = (scale or DEFAULT_RATING_SCALE).level(claim.verdict)
    value = level.value if level is not None else RATING_VALUES.get(claim.verdict)
    label = level.label if level is not None else RATING_LABELS.get(claim.verdict,
                                                                     claim.verdict)
    source = SourceCreate(
        kind="fact_check", url=claim_source_url(claim.id), claim_reviewed=claim.statement,
        claimant=claim.speaker, rating_text=label, rating_value=value,
        best_rating=BEST_RATING if value is not None else None,
        worst_rating=WORST_RATING if value is not None else None, publisher=publisher,
        published_at=claim.reviewed_at,
        metadata={"claim_id": claim.id, "article_id": claim.article_id},
    )
    row, _ = upsert_source(session, org_id=org_id, source=source)
    return row
