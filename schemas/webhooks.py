"""Webhooks: the endpoints a newsroom tool registers, and the log of what was sent to them.

Deliveries are signed the Standard Webhooks way (https://www.standardwebhooks.com): headers
``webhook-id`` (the delivery's id, the same on every retry), ``webhook-timestamp`` (unix
seconds of the attempt) and ``webhook-signature`` (``v1,`` + base64 HMAC-SHA256 of
``{id}.{timestamp}.{body}`` keyed with the base64-decoded part of the ``whsec_`` secret).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from schemas.fields import RequestModel, UtcDatetime

WebhookEvent = Literal["article.processed", "claim.verified"]
WEBHOOK_EVENTS: tuple[WebhookEvent, ...] = ("article.processed", "claim.verified")
DeliveryState = Literal["pending", "delivered", "failed"]
MAX_URL_LENGTH = 2000


class WebhookCreate(RequestModel):
    """``POST /v1/webhooks``: an endpoint and the events it wants."""

    url: str = Field(min_length=1, max_length=MAX_URL_LENGTH,
                     description="Where events are POSTed: an http or https URL with no user "
                     "name or password, on a public address (private, loopback and link-local "
                     "addresses are refused unless the operator allows them).")
    events: list[WebhookEvent] = Field(min_length=1, max_length=len(WEBHOOK_EVENTS),
                                       description="The events to send: ``article.processed`` "
                                       "(an article's claims are extracted and linked) and/or "
                                       "``claim.verified`` (a reviewer gave a claim a verdict).")


class WebhookOut(BaseModel):
    """A webhook as listed: never its signing secret, which is shown once when created."""

    id: str = Field(description="The webhook's id (``whk_...``).")
    url: str = Field(description="Where events are POSTed.")
    events: list[WebhookEvent] = Field(description="The events sent to it.")
    created_at: UtcDatetime = Field(description="When the webhook was created.")


class WebhookCreated(WebhookOut):
    """The answer to creating a webhook: the only time its signing secret is shown."""

    secret: str = Field(description="The Standard Webhooks signing secret (``whsec_`` + "
                        "base64). Verify every delivery's ``webhook-signature`` with it; it "
                        "cannot be shown again.")


class DeliveryAttempt(BaseModel):
    """One try at sending a delivery."""

    at: UtcDatetime = Field(description="When the attempt started.")
    status_code: int | None = Field(default=None, description="The HTTP status the endpoint "
                                    "answered (null: no answer, see ``error``).")
    error: str | None = Field(default=None, description="Why the attempt failed, when it did "
                              "(a network error, a refused address, a non-2xx status).")
    duration_ms: int = Field(description="How long the attempt took, in milliseconds.")


class WebhookDeliveryOut(BaseModel):
    """One event sent (or being sent) to one webhook, with every attempt."""

    id: str = Field(description="The message id (``msg_...``), sent as ``webhook-id``; the "
                    "same on every retry, so a receiver can drop duplicates.")
    webhook_id: str = Field(description="The webhook it is sent to.")
    event: WebhookEvent = Field(description="The event type.")
    state: DeliveryState = Field(description="``pending`` (queued or waiting for a retry), "
                                 "``delivered`` (a 2xx answer) or ``failed`` (every retry "
                                 "failed, the address was refused, or the webhook was "
                                 "deleted).")
    payload: dict[str, Any] = Field(description="The body sent: ``type``, ``timestamp`` "
                                    "(RFC 3339) and ``data``.")
    attempts: list[DeliveryAttempt] = Field(description="Every attempt, oldest first.")
    created_at: UtcDatetime = Field(description="When the event happened.")
    delivered_at: UtcDatetime | None = Field(default=None, description="When an attempt got "
                                             "a 2xx answer (null: not delivered).")
