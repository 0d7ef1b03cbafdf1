"""The webhook store: events become pending deliveries; attempts are logged."""

from __future__ import annotations

from sqlalchemy.orm import Session

from service.store import claims, webhooks
from service.store.clock import utcnow
from service.store.models import WebhookDelivery
from tests.factories import make_article, make_claim_record, store_claims

ORG = "org_default"


def test_claim_verified_data_names_the_claim_and_its_verdict(session: Session) -> None:
    text = "Exports rose 4 percent in 2023."
    article = make_article(session, text=text)
    store_claims(session, article, [make_claim_record(text, 0, score=0.9, types=["quantity"])])
    (row,) = claims.article_claim_rows(session, org_id=ORG, article_id=article.id)
    row.state, row.verdict, row.reviewed_at, row.version = "verified", "true", utcnow(), 3
    hook, _ = webhooks.create_webhook(session, org_id=ORG, url="https://93.184.215.14/h",
                                      events=["claim.verified"])
    (delivery_id,) = webhooks.record_event(session, org_id=ORG, event="claim.verified",
                                           data=webhooks.claim_verified_data(row))
    session.commit()
    delivery = session.get(WebhookDelivery, delivery_id)
    assert delivery is not None and delivery.webhook_id == hook.id
    data = delivery.payload["data"]
    assert data["claim_id"] == row.id and data["article_id"] == article.id
    assert (data["state"], data["verdict"], data["version"]) == ("verified", "true", 3)
    assert data["location"] == f"/v1/claims/{row.id}" and data["reviewed_at"]


def test_attempts_are_appended_and_a_2xx_one_delivers(session: Session) -> None:
    webhooks.create_webhook(session, org_id=ORG, url="https://93.184.215.14/h",
                            events=["article.processed"])
    (delivery_id,) = webhooks.record_event(session, org_id=ORG, event="article.processed",
                                           data={})
    session.commit()
    for status in (500, 204):
        webhooks.record_attempt(session, org_id=ORG, delivery_id=delivery_id,
                                attempt={"at": utcnow().isoformat(), "status_code": status,
                                         "error": None, "duration_ms": 3},
                                delivered=status == 204)
        session.commit()
    session.expire_all()
    row = session.get(WebhookDelivery, delivery_id)
    assert row is not None and row.state == "delivered"
    assert [a["status_code"] for a in row.attempts] == [500, 204]
