"""schema.org ClaimReview JSON-LD for a verified claim: pure, no database and no HTTP.

Google documents ClaimReview markup at
https://developers.google.com/search/docs/appearance/structured-data/factcheck. Required there:
``claimReviewed``, ``reviewRating`` (its ``alternateName``) and ``url``; recommended: ``author``
(the fact-checking organisation), ``itemReviewed`` (a ``Claim`` with ``author``,
``datePublished``, ``appearance`` / ``firstAppearance``) and the rating's ``ratingValue``,
``bestRating`` and ``worstRating``. ``datePublished`` (when the verdict was given) and
``reviewBody`` (the reviewer's rationale) come from schema.org's ``Review``.

A verdict with no place on the scale (``unverifiable``) has no ``ratingValue``; its label is
still the ``alternateName``. A verdict that is no longer on the organisation's scale (the scale
changed after the review) keeps its default-scale label, or its name as words.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from schemas.review import (
    BEST_RATING,
    DEFAULT_RATING_SCALE,
    WORST_RATING,
    RatingLevel,
    RatingScale,
)
from service.store.clock import as_utc
from service.store.models import Article, Claim, Organisation
from service.store.settings import Settings

SCHEMA_ORG = "https://schema.org"


def claim_review(claim: Claim, article: Article, organisation: Organisation,
                 scale: RatingScale, settings: Settings) -> dict[str, Any]:
    """The ClaimReview of ``claim`` (which should be verified, with a verdict)."""
    review: dict[str, Any] = {
        "@context": SCHEMA_ORG,
        "@type": "ClaimReview",
        "url": claim_review_url(settings, claim.id),
        "claimReviewed": claim.statement,
    }
    if claim.reviewed_at is not None:
        review["datePublished"] = _date(claim.reviewed_at)
    review["author"] = {"@type": "Organization", "name": organisation.name,
                        "url": _public_url(settings)}
    review["reviewRating"] = review_rating(rating_level(scale, claim.verdict or ""))
    review["itemReviewed"] = item_reviewed(claim, article)
    if claim.rationale:
        review["reviewBody"] = claim.rationale
    return review


def claim_review_feed(reviews: list[dict[str, Any]]) -> dict[str, Any]:
    """Several ClaimReviews as one JSON-LD document: one ``@context``, the reviews in
    ``@graph``."""
    return {"@context": SCHEMA_ORG,
            "@graph": [{k: v for k, v in r.items() if k != "@context"} for r in reviews]}


def claim_review_url(settings: Settings, claim_id: str) -> str:
    """Where the fact-check is published (``claimreview_url_template``)."""
    return settings.claimreview_url_template.format(public_url=_public_url(settings),
                                                    claim_id=claim_id)


def rating_level(scale: RatingScale, verdict: str) -> RatingLevel:
    """The verdict's level on the organisation's scale, else on the default one, else unrated."""
    level = scale.level(verdict) or DEFAULT_RATING_SCALE.level(verdict)
    if level is not None:
        return level
    label = verdict.replace("_", " ").capitalize() or "Unrated"
    return RatingLevel.model_construct(name=verdict, label=label, value=None)


def review_rating(level: RatingLevel) -> dict[str, Any]:
    """A schema.org ``Rating``: the label as ``alternateName``, the value when it has one."""
    rating: dict[str, Any] = {"@type": "Rating"}
    if level.value is not None:
        rating["ratingValue"] = level.value
    rating |= {"bestRating": BEST_RATING, "worstRating": WORST_RATING,
               "alternateName": level.label}
    return rating


def item_reviewed(claim: Claim, article: Article) -> dict[str, Any]:
    """The ``Claim`` reviewed: who said it (when known), when, and the article it appears in."""
    item: dict[str, Any] = {"@type": "Claim"}
    if claim.speaker:
        item["author"] = {"@type": "Person", "name": claim.speaker}
    item["datePublished"] = _date(article.published_at or article.received_at)
    if article.url:
        work: dict[str, Any] = {"@type": "CreativeWork", "url": article.url}
        if article.title:
            work["headline"] = article.title
        item["appearance"] = [work]
        item["firstAppearance"] = dict(work)
    return item


def _public_url(settings: Settings) -> str:
    return settings.public_url.rstrip("/")


def _date(value: datetime) -> str:
    """The UTC calendar date, ISO 8601 (``2024-06-20``)."""
    return as_utc(value).date().isoformat()
