"""Webhooks and their delivery log: create, list, read, delete, record events and attempts.

An event (``record_event``) becomes one ``pending`` delivery per live webhook of the
organisation that wants it, in the caller's transaction; once that commits, the caller queues
them (``service.store.queue.queue_deliveries``). The delivery job records every attempt
(``record_attempt``) and ends ``delivered`` (a 2xx answer) or ``failed`` (retries used up,
address refused, webhook deleted). Every function takes ``org_id`` except the sweeper's
operator-wide query, which says so.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from redis.exceptions import RedisError
from rq import Queue
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from schemas.fields import rfc3339
from schemas.pages import Page
from schemas.webhooks import (
    WEBHOOK_EVENTS,
    DeliveryAttempt,
    WebhookDeliveryOut,
    WebhookOut,
)
from service.store.clock import as_utc, utcnow
from service.store.cursors import decode_cursor, encode_cursor
from service.store.errors import InvalidInput, NotFound
from service.store.ids import new_id
from service.store.models import Article, Claim, Webhook, WebhookDelivery
from service.store.queue import queue_deliveries, webhook_job_exists
from service.store.settings import Settings
from service.webhooks import check_target, encode_body, new_secret

log = logging.getLogger(__name__)
MAX_LIMIT = 100


def _events_text(events: Sequence[str]) -> str:
    """Stored as ``,article.processed,claim.verified,`` so a LIKE filter finds one event."""
    unknown = [e for e in events if e not in WEBHOOK_EVENTS]
    if unknown or not events:
        raise InvalidInput(f"events must be among {', '.join(WEBHOOK_EVENTS)}",
                           choices=list(WEBHOOK_EVENTS))
    return "," + ",".join(e for e in WEBHOOK_EVENTS if e in events) + ","


def create_webhook(session: Session, *, org_id: str, url: str, events: Sequence[str],
                   allow_private: bool = False) -> tuple[Webhook, str]:
    """A new webhook of ``org_id``, after checking its target (``service.webhooks``).

    A host name that does not resolve now is accepted: every delivery checks it again.

    :raise WebhookTargetRefused: a URL the service will not send to.
    :returns: the stored row and its signing secret (shown to the caller once).
    """
    check_target(url, allow_private)
    secret = new_secret()
    row = Webhook(id=new_id("whk"), org_id=org_id, url=url, events_text=_events_text(events),
                  secret=secret, created_at=utcnow())
    session.add(row)
    session.flush()
    return row, secret


def list_webhooks(session: Session, *, org_id: str) -> list[Webhook]:
    """The organisation's live webhooks, oldest first."""
    query = select(Webhook).where(Webhook.org_id == org_id, Webhook.deleted_at.is_(None))
    return list(session.scalars(query.order_by(Webhook.created_at, Webhook.id)))


def get_webhook(session: Session, *, org_id: str, webhook_id: str) -> Webhook:
    """:raise NotFound: no such live webhook in this organisation."""
    row = session.get(Webhook, webhook_id)
    if row is None or row.org_id != org_id or row.deleted_at is not None:
        raise NotFound(f"webhook {webhook_id} not found")
    return row


def delete_webhook(session: Session, *, org_id: str, webhook_id: str) -> Webhook:
    """Delete a webhook (kept, marked deleted): nothing more is sent to it, and its pending
    deliveries end ``failed``."""
    row = get_webhook(session, org_id=org_id, webhook_id=webhook_id)
    row.deleted_at = utcnow()
    for delivery in session.scalars(select(WebhookDelivery).where(
        WebhookDelivery.org_id == org_id, WebhookDelivery.webhook_id == webhook_id,
        WebhookDelivery.state == "pending",
    )):
        delivery.state = "failed"
    return row


def list_deliveries(session: Session, *, org_id: str, webhook_id: str,
                    cursor: str | None = None, limit: int = 50) -> Page[WebhookDeliveryOut]:
    """A webhook's deliveries, newest first."""
    get_webhook(session, org_id=org_id, webhook_id=webhook_id)
    limit = max(1, min(limit, MAX_LIMIT))
    query = select(WebhookDelivery).where(WebhookDelivery.org_id == org_id,
                                          WebhookDelivery.webhook_id == webhook_id)
    if cursor:
        (last_id,) = decode_cursor(cursor, kinds=(str,))
        query = query.where(WebhookDelivery.id < str(last_id))
    rows = list(session.scalars(query.order_by(WebhookDelivery.id.desc()).limit(limit + 1)))
    more, rows = len(rows) > limit, rows[:limit]
    return Page[WebhookDeliveryOut](items=[to_delivery_out(r) for r in rows],
                                    next_cursor=encode_cursor([rows[-1].id]) if more else None)


def get_delivery(session: Session, *, org_id: str, delivery_id: str) -> WebhookDelivery:
    """:raise NotFound: no such delivery in this organisation."""
    row = session.get(WebhookDelivery, delivery_id)
    if row is None or row.org_id != org_id:
        raise NotFound(f"webhook delivery {delivery_id} not found")
    return row


def event_payload(event: str, data: dict[str, Any], at: datetime) -> dict[str, Any]:
    """The Standard Webhooks body: ``type``, ``timestamp`` (RFC 3339) and ``data``."""
    stamp = at.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return {"type": event, "timestamp": stamp, "data": data}


def record_event(session: Session, *, org_id: str, event: str,
                 data: dict[str, Any]) -> list[str]:
    """One ``pending`` delivery of ``event`` per live webhook of ``org_id`` that wants it, in
    the caller's transaction; queue the returned ids once it commits
    (``service.store.queue.queue_deliveries``)."""
    if event not in WEBHOOK_EVENTS:
        raise InvalidInput(f"unknown webhook event {event!r}", choices=list(WEBHOOK_EVENTS))
    hooks = session.scalars(select(Webhook).where(
        Webhook.org_id == org_id, Webhook.deleted_at.is_(None),
        Webhook.events_text.contains(f",{event},"),
    ).order_by(Webhook.created_at, Webhook.id)).all()
    now = utcnow()
    rows = [WebhookDelivery(id=new_id("msg"), org_id=org_id, webhook_id=hook.id, event=event,
                            payload=event_payload(event, data, now), state="pending",
                            attempts=[], created_at=now)
            for hook in hooks]
    session.add_all(rows)
    session.flush()
    return [row.id for row in rows]


def article_processed_data(article: Article, *, claim_count: int) -> dict[str, Any]:
    """The ``data`` of an ``article.processed`` event."""
    return {"article_id": article.id, "state": article.state, "title": article.title,
            "url": article.url, "claim_count": claim_count,
            "location": f"/v1/articles/{article.id}"}


def claim_verified_data(claim: Claim) -> dict[str, Any]:
    """The ``data`` of a ``claim.verified`` event."""
    reviewed_at = as_utc(claim.reviewed_at)
    return {"claim_id": claim.id, "article_id": claim.article_id, "state": claim.state,
            "verdict": claim.verdict, "statement": claim.statement, "version": claim.version,
            "reviewed_at": rfc3339(reviewed_at) if reviewed_at else None,
            "location": f"/v1/claims/{claim.id}",
            "claimreview": f"/v1/claims/{claim.id}/claimreview"}


@dataclass(frozen=True)
class Outgoing:
    """What a delivery attempt sends: where, signed with what, which bytes."""

    delivery_id: str
    url: str
    secret: str
    body: bytes


def outgoing(session: Session, *, org_id: str, delivery_id: str) -> Outgoing | None:
    """The message to send for a pending delivery; None (nothing to send) when it is no
    longer pending or its webhook was deleted (the delivery then ends ``failed``)."""
    row = get_delivery(session, org_id=org_id, delivery_id=delivery_id)
    if row.state != "pending":
        return None
    hook = session.get(Webhook, row.webhook_id)
    if hook is None or hook.deleted_at is not None:
        row.state = "failed"
        return None
    return Outgoing(delivery_id=row.id, url=hook.url, secret=hook.secret,
                    body=encode_body(row.payload))


def record_attempt(session: Session, *, org_id: str, delivery_id: str,
                   attempt: dict[str, Any], delivered: bool,
                   final: bool = False) -> WebhookDelivery:
    """Append one attempt (``{"at", "status_code", "error", "duration_ms"}``) to the log; a
    ``delivered`` one ends the delivery ``delivered``, a ``final`` failed one ``failed``."""
    row = get_delivery(session, org_id=org_id, delivery_id=delivery_id)
    row.attempts = [*row.attempts, attempt]  # a new list, so the JSON column is written
    if delivered:
        row.state, row.delivered_at = "delivered", utcnow()
    elif final and row.state == "pending":
        row.state = "failed"
    return row


def mark_failed(session: Session, *, org_id: str, delivery_id: str) -> WebhookDelivery:
    """No retry is left: a still pending delivery ends ``failed``."""
    row = get_delivery(session, org_id=org_id, delivery_id=delivery_id)
    if row.state == "pending":
        row.state = "failed"
    return row


def find_unqueued_deliveries(session: Session, *, created_before: datetime,
                             limit: int = 100) -> list[tuple[str, str]]:
    """Operator-wide: ``(org_id, delivery_id)`` of deliveries still pending that were created
    before ``created_before``, oldest first (the sweeper checks Redis for their jobs)."""
    query = (select(WebhookDelivery.org_id, WebhookDelivery.id)
             .where(WebhookDelivery.state == "pending",
                    WebhookDelivery.created_at <= created_before)
             .order_by(WebhookDelivery.created_at, WebhookDelivery.id).limit(limit))
    return [(r.org_id, r.id) for r in session.execute(query)]


def resend_pending_deliveries(factory: sessionmaker[Session], queue: Queue, *,
                              grace: timedelta, settings: Settings) -> int:
    """Queue pending deliveries older than ``grace`` whose job Redis does not hold (the
    enqueue after the commit failed, or Redis lost it); how many were queued."""
    with factory() as session:
        candidates = find_unqueued_deliveries(session, created_before=utcnow() - grace)
    sent = 0
    for org_id, delivery_id in candidates:
        try:
            if webhook_job_exists(queue, delivery_id):
                continue
        except RedisError:
            return sent
        if not queue_deliveries(queue, org_id=org_id, delivery_ids=[delivery_id],
                                settings=settings):
            return sent
        sent += 1
    return sent


def to_webhook_out(row: Webhook) -> WebhookOut:
    return WebhookOut(id=row.id, url=row.url, events=row.events,  # type: ignore[arg-type]
                      created_at=as_utc(row.created_at))


def to_delivery_out(row: WebhookDelivery) -> WebhookDeliveryOut:
    return WebhookDeliveryOut(
        id=row.id, webhook_id=row.webhook_id, event=row.event,  # type: ignore[arg-type]
        state=row.state, payload=row.payload,  # type: ignore[arg-type]
        attempts=[DeliveryAttempt.model_validate(a) for a in row.attempts],
        created_at=as_utc(row.created_at), delivered_at=as_utc(row.delivered_at),
    )
