"""Fact-check ratings: what a published rating says about the claim it rated.

Requires: a rating's text and/or its numeric ``ratingValue`` on a ``bestRating``/``worstRating``
scale (schema.org ClaimReview). Assigns: nothing; returns a stance or None (unknown rating).

The text decides when it is known; the number is a fallback: the top fifth of the scale
supports, the bottom two fifths contradict, the middle is ``related``. "Misleading" ratings
contradict: the rated claim is not right as stated.
"""

from __future__ import annotations

import re

from schemas.claims import Stance

# Checked in order: the first pattern found in the lowercased rating text wins.
_RATING_PATTERNS: tuple[tuple[re.Pattern[str], Stance], ...] = (
    (re.compile(r"\b(?:half[- ]true|half[- ]false|mixed|mixture|partly|partially"
                r"|unproven|unverified|unverifiable|unsupported by evidence|not enough"
                r"|no evidence|disputed|in dispute|needs context|missing context"
                r"|lacks context|cherry[- ]?pick|research in progress|outdated"
                r"|satire|legend|labeled satire|miscaptioned|correct attribution"
                r"|misattributed|explainer)\b"), "related"),
    (re.compile(r"\b(?:mostly false|mostly untrue|pants on fire|false|untrue|incorrect"
                r"|inaccurate|fake|wrong|misleading|mislead|fabricated|hoax|scam|bogus"
                r"|debunked|baseless|not true|distorts?|exaggerat\w*|four pinocchios"
                r"|three pinocchios|fiction|spins? the facts|flip[- ]flop)\b"), "contradicts"),
    (re.compile(r"\b(?:mostly true|true|correct|accurate|verified|confirmed|right"
                r"|legit|real|geppetto checkmark)\b"), "supports"),
)


def stance_from_text(rating_text: str | None) -> Stance | None:
    """Stance of a rating text ("False", "Pants on Fire!", "Mostly true"); None if unknown."""
    if not rating_text:
        return None
    text = " ".join(rating_text.lower().replace("_", " ").split())
    for pattern, stance in _RATING_PATTERNS:
        if pattern.search(text):
            return stance
    return None


def stance_from_value(
    value: float | None, *, best: float | None = None, worst: float | None = None
) -> Stance | None:
    """Stance of a numeric ratingValue on its best/worst scale (default 5 best, 1 worst)."""
    if value is None:
        return None
    best = 5.0 if best is None else best
    worst = 1.0 if worst is None else worst
    if best == worst:
        return None
    position = (value - worst) / (best - worst)
    if not 0.0 <= position <= 1.0:
        return None
    if position >= 0.8:
        return "supports"
    if position <= 0.4:
        return "contradicts"
    return "related"


def rating_stance(
    rating_text: str | None,
    rating_value: float | None = None,
    *,
    best: float | None = None,
    worst: float | None = None,
) -> Stance | None:
    """Stance of a fact-check's rating: by its text, else by its value; None if unknown."""
    return stance_from_text(rating_text) or stance_from_value(rating_value, best=best, worst=worst)
