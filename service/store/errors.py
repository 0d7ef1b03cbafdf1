"""What the store refuses, as plain exceptions (no HTTP here).

``detail`` is a sentence for a person; ``extra`` holds fields a client may read (an id, a
list of choices). ``service/api/problems.py`` maps each class to its RFC 9457 problem type.
"""

from __future__ import annotations

from typing import Any


class StoreError(Exception):
    """Base of every refusal of the store and of article intake."""

    def __init__(self, detail: str | None = None, **extra: Any) -> None:
        super().__init__(detail or type(self).__name__)
        self.detail = detail
        self.extra = extra


class NotFound(StoreError):
    """No such row in the caller's organisation."""


class InvalidInput(StoreError):
    """A value the store cannot take."""


class InvalidCursor(InvalidInput):
    """A pagination cursor this service did not issue."""


class WebhookTargetRefused(InvalidInput):
    """A webhook URL this service will not send to: not http(s), credentials in it, or a
    private, loopback or link-local address (unless the operator allows those)."""


class EmptyText(InvalidInput):
    """An article with no text once white space is removed."""


class BinaryText(InvalidInput):
    """Binary data sent as article text."""


class UnsupportedLanguage(InvalidInput):
    """An article in a language the service is not set up for."""


class ArticleTooLong(InvalidInput):
    """Article text or HTML over the service's limit (``max_article_chars``,
    ``max_html_chars``); ``extra`` names the limit."""


class IdempotencyConflict(StoreError):
    """An Idempotency-Key reused with another body."""


class ArticleNotProcessed(StoreError):
    """The article's claims are not extracted and linked yet (queued, processing or failed)."""


class Forbidden(StoreError):
    """The caller's role does not allow this (it may see the row, not change it)."""


class InvalidTransition(StoreError):
    """A review state change the workflow does not allow (``schemas.review.TRANSITIONS``)."""


class StaleVersion(StoreError):
    """An ``If-Match`` naming a version that is not the claim's current one; ``extra`` holds
    the current claim record, so the client can show what changed."""


class ClaimNotVerified(StoreError):
    """The claim has no published verdict yet (it is not ``verified``): no ClaimReview exists."""
