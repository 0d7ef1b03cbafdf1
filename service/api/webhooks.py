"""``/v1/webhooks``: an admin registers endpoints for events and reads their delivery log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from schemas.pages import Page
from schemas.webhooks import WebhookCreate, WebhookCreated, WebhookDeliveryOut, WebhookOut
from service.api.deps import AdminOnly, JsonBody, OrgDep, SessionDep, SettingsDep
from service.store import webhooks

router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"], dependencies=[AdminOnly])


@router.post("", status_code=201, dependencies=[JsonBody], response_model=WebhookCreated)
def create_webhook(body: WebhookCreate, session: SessionDep, org: OrgDep,
                   settings: SettingsDep, response: Response) -> WebhookCreated:
    """Register an endpoint; the answer is the only time its signing secret is shown."""
    row, secret = webhooks.create_webhook(session, org_id=org, url=body.url, events=body.events,
                                          allow_private=settings.webhook_allow_private)
    session.commit()
    response.headers["Location"] = f"/v1/webhooks/{row.id}"
    return WebhookCreated(**webhooks.to_webhook_out(row).model_dump(), secret=secret)


@router.get("", response_model=list[WebhookOut])
def read_webhooks(session: SessionDep, org: OrgDep) -> list[WebhookOut]:
    """The organisation's webhooks, oldest first (never their secrets)."""
    return [webhooks.to_webhook_out(row) for row in webhooks.list_webhooks(session, org_id=org)]


@router.get("/{webhook_id}", response_model=WebhookOut)
def read_webhook(webhook_id: str, session: SessionDep, org: OrgDep) -> WebhookOut:
    """One webhook (not its secret)."""
    row = webhooks.get_webhook(session, org_id=org, webhook_id=webhook_id)
    return webhooks.to_webhook_out(row)


@router.delete("/{webhook_id}", status_code=204, response_class=Response)
def delete_webhook(webhook_id: str, session: SessionDep, org: OrgDep) -> Response:
    """Delete a webhook: nothing more is sent to it, and its pending deliveries end failed."""
    webhooks.delete_webhook(session, org_id=org, webhook_id=webhook_id)
    session.commit()
    return Response(status_code=204)


@router.get("/{webhook_id}/deliveries", response_model=Page[WebhookDeliveryOut])
def read_deliveries(webhook_id: str, session: SessionDep, org: OrgDep, cursor: str | None = None,
                    limit: Annotated[int, Query(ge=1, le=100)] = 50) -> Page[WebhookDeliveryOut]:
    """The webhook's deliveries, newest first, with every attempt."""
    return webhooks.list_deliveries(session, org_id=org, webhook_id=webhook_id, cursor=cursor,
                                    limit=limit)
