"""``/v1/webhooks``: register endpoints (secret shown once), refuse private targets, read the
delivery log, admins of the organisation only."""

from __future__ import annotations

import base64
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.store import webhooks
from service.store.models import WebhookDelivery
from tests.conftest import bearer
from tests.support.observed import watch

PUBLIC = "https://93.184.215.14/hooks/claimdesk"  # a public address: no DNS needed
REFUSED = "https://claimdesk.dev/problems/webhook-target-refused"


@pytest.fixture
def hooks(settings, session_factory, make_key) -> Iterator[TestClient]:
    """The app with private targets refused (the default), calling as an admin."""
    strict = settings.model_copy(update={"webhook_allow_private": False})
    with TestClient(create_app(strict)) as client:
        watch(client)
        client.headers.update(bearer(make_key("admin", name="hooks admin")))
        yield client


def create(client: TestClient, url: str = PUBLIC,
           events: tuple[str, ...] = ("article.processed",)) -> dict:
    response = client.post("/v1/webhooks", json={"url": url, "events": list(events)})
    assert response.status_code == 201, response.text
    return response.json()


def test_create_webhook_returns_201_location_and_the_secret(hooks: TestClient) -> None:
    response = hooks.post("/v1/webhooks", json={"url": PUBLIC,
                                                "events": ["claim.verified", "article.processed"]})
    assert response.status_code == 201
    body = response.json()
    assert response.headers["Location"] == f"/v1/webhooks/{body['id']}"
    assert body["id"].startswith("whk_") and body["url"] == PUBLIC
    assert body["events"] == ["article.processed", "claim.verified"]
    assert body["secret"].startswith("whsec_")
    assert len(base64.b64decode(body["secret"].removeprefix("whsec_"))) == 32


def test_the_secret_is_shown_only_once(hooks: TestClient) -> None:
    created = create(hooks)
    listed = hooks.get("/v1/webhooks").json()
    one = hooks.get(f"/v1/webhooks/{created['id']}").json()
    assert [hook["id"] for hook in listed] == [created["id"]]
    assert "secret" not in listed[0] and "secret" not in one
    assert created["secret"] not in hooks.get("/v1/webhooks").text
    assert one == {k: v for k, v in created.items() if k != "secret"}


def test_two_webhooks_get_different_secrets(hooks: TestClient) -> None:
    assert create(hooks)["secret"] != create(hooks)["secret"]


def test_a_host_name_that_does_not_resolve_yet_is_accepted(hooks: TestClient) -> None:
    # every delivery checks the address again, so a name is judged when it is used
    create(hooks, url="https://hooks.example.invalid/claimdesk")


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:8080/hook",  # loopback
    "http://localhost/hook",  # loopback, by name
    "http://api.localhost/hook",  # *.localhost is loopback too
    "http://[::1]/hook",  # IPv6 loopback
    "http://2130706433/hook",  # 127.0.0.1 written as one number
    "http://[::ffff:127.0.0.1]/hook",  # IPv4-mapped loopback
    "http://10.1.2.3/hook",  # private
    "http://192.168.0.10/hook",  # private
    "http://172.16.5.4/hook",  # private
    "http://[fd00::1]/hook",  # IPv6 unique local
    "http://169.254.169.254/latest/meta-data/",  # link-local: cloud metadata
    "http://[fe80::1]/hook",  # IPv6 link-local
    "http://0.0.0.0/hook",  # unspecified
    "http://100.64.0.1/hook",  # shared address space (carrier NAT)
    "http://224.0.0.1/hook",  # multicast
])
def test_targets_on_non_public_addresses_are_refused(hooks: TestClient, url: str) -> None:
    response = hooks.post("/v1/webhooks", json={"url": url, "events": ["claim.verified"]})
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == REFUSED
    assert "public address" in response.json()["detail"] or "loopback" in response.json()["detail"]
    assert hooks.get("/v1/webhooks").json() == []


@pytest.mark.parametrize("url", [
    "ftp://93.184.215.14/hook",  # not http(s)
    "file:///etc/passwd",  # not http(s)
    "https://user:secret@93.184.215.14/hook",  # credentials in the URL
])
def test_urls_that_are_not_plain_http_targets_are_refused(hooks: TestClient, url: str) -> None:
    response = hooks.post("/v1/webhooks", json={"url": url, "events": ["claim.verified"]})
    assert response.status_code == 422 and response.json()["type"] == REFUSED


@pytest.mark.parametrize("body", [
    {"url": PUBLIC, "events": ["article.deleted"]},  # unknown event
    {"url": PUBLIC, "events": []},  # no event
    {"url": PUBLIC},  # no events at all
    {"url": "https://93.184.215.14/" + "a" * 2000, "events": ["claim.verified"]},  # too long
    {"url": PUBLIC, "events": ["claim.verified"], "secret": "mine"},  # unknown field
])
def test_invalid_bodies_are_422(hooks: TestClient, body: dict) -> None:
    response = hooks.post("/v1/webhooks", json=body)
    assert response.status_code == 422
    assert response.json()["type"] == "https://claimdesk.dev/problems/invalid-input"


def test_private_targets_are_accepted_when_the_operator_allows_them(settings, session_factory,
                                                                    make_key) -> None:
    allowing = settings.model_copy(update={"webhook_allow_private": True})
    with TestClient(create_app(allowing)) as client:
        watch(client)
        client.headers.update(bearer(make_key("admin")))
        create(client, url="http://127.0.0.1:9/hook")
        refused = client.post("/v1/webhooks", json={"url": "ftp://127.0.0.1/",
                                                    "events": ["claim.verified"]})
    assert refused.status_code == 422  # the scheme rule still holds


@pytest.mark.parametrize("role", ["submitter", "reviewer"])
def test_webhooks_need_an_admin_key(hooks: TestClient, make_key, role: str) -> None:
    created = create(hooks)
    headers = bearer(make_key(role))
    for method, path in [("GET", "/v1/webhooks"), ("POST", "/v1/webhooks"),
                         ("GET", f"/v1/webhooks/{created['id']}"),
                         ("GET", f"/v1/webhooks/{created['id']}/deliveries"),
                         ("DELETE", f"/v1/webhooks/{created['id']}")]:
        response = hooks.request(method, path, headers=headers,
                                 json={"url": PUBLIC, "events": ["claim.verified"]}
                                 if method == "POST" else None)
        assert response.status_code == 403, (method, path, response.text)
        assert response.json()["type"] == "https://claimdesk.dev/problems/forbidden"
    assert hooks.get(f"/v1/webhooks/{created['id']}").status_code == 200


def test_another_organisation_gets_404_for_the_webhook_and_its_deliveries(
        hooks: TestClient, make_key) -> None:
    created = create(hooks)
    outsider = bearer(make_key("admin", org="org_other"))
    for method, path in [("GET", f"/v1/webhooks/{created['id']}"),
                         ("GET", f"/v1/webhooks/{created['id']}/deliveries"),
                         ("DELETE", f"/v1/webhooks/{created['id']}")]:
        response = hooks.request(method, path, headers=outsider)
        assert response.status_code == 404, (method, path)
        assert response.json()["type"] == "https://claimdesk.dev/problems/not-found"
    assert hooks.get("/v1/webhooks", headers=outsider).json() == []
    assert hooks.get(f"/v1/webhooks/{created['id']}").status_code == 200


def test_delete_is_204_then_404_and_ends_pending_deliveries(hooks: TestClient,
                                                            session_factory) -> None:
    created = create(hooks)
    with session_factory() as session:
        (delivery_id,) = webhooks.record_event(session, org_id="org_default",
                                               event="article.processed", data={"n": 1})
        session.commit()
    assert hooks.delete(f"/v1/webhooks/{created['id']}").status_code == 204
    assert hooks.get(f"/v1/webhooks/{created['id']}").status_code == 404
    assert hooks.delete(f"/v1/webhooks/{created['id']}").status_code == 404
    assert hooks.get("/v1/webhooks").json() == []
    with session_factory() as session:
        assert session.get(WebhookDelivery, delivery_id).state == "failed"
        assert webhooks.record_event(session, org_id="org_default", event="article.processed",
                                     data={"n": 2}) == []


def test_deliveries_are_listed_newest_first_a_page_at_a_time(hooks: TestClient,
                                                             session_factory) -> None:
    created = create(hooks, events=("article.processed", "claim.verified"))
    ids = []
    with session_factory() as session:
        for n in range(5):
            event = "claim.verified" if n % 2 else "article.processed"
            ids += webhooks.record_event(session, org_id="org_default", event=event,
                                         data={"n": n})
        session.commit()
    seen, cursor = [], None
    while True:
        page = hooks.get(f"/v1/webhooks/{created['id']}/deliveries",
                         params={"limit": 2} | ({"cursor": cursor} if cursor else {})).json()
        seen += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert [d["id"] for d in seen] == list(reversed(ids))
    newest = seen[0]
    assert newest["state"] == "pending" and newest["attempts"] == []
    assert newest["webhook_id"] == created["id"] and newest["event"] == "article.processed"
    assert newest["payload"]["type"] == "article.processed"
    assert newest["payload"]["data"] == {"n": 4}
    assert newest["payload"]["timestamp"].endswith("Z")


def test_a_cursor_this_service_did_not_issue_is_422(hooks: TestClient) -> None:
    created = create(hooks)
    response = hooks.get(f"/v1/webhooks/{created['id']}/deliveries",
                         params={"cursor": "not-a-cursor"})
    assert response.status_code == 422
    assert response.json()["type"] == "https://claimdesk.dev/problems/invalid-cursor"


def test_events_reach_only_the_webhooks_that_want_them(hooks: TestClient,
                                                       session_factory) -> None:
    processed = create(hooks, events=("article.processed",))
    verified = create(hooks, events=("claim.verified",))
    with session_factory() as session:
        webhooks.record_event(session, org_id="org_default", event="claim.verified",
                              data={"claim_id": "clm_1"})
        webhooks.record_event(session, org_id="org_other", event="claim.verified",
                              data={"claim_id": "clm_2"})
        session.commit()
    assert hooks.get(f"/v1/webhooks/{processed['id']}/deliveries").json()["items"] == []
    (only,) = hooks.get(f"/v1/webhooks/{verified['id']}/deliveries").json()["items"]
    assert only["payload"]["data"] == {"claim_id": "clm_1"}
