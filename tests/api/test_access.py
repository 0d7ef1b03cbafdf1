"""Who may call what: every /v1 route walked with no key, a revoked key, each role of the
organisation, and an admin of another organisation (who must see nothing: 404, not 403)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from service.store import keys as key_store
from service.store.models import Webhook
from tests.conftest import bearer
from tests.factories import make_article, make_claim_record, store_claims

# The least role each route needs; a new route must be added here (the test checks).
NEEDS: dict[tuple[str, str], str] = {
    ("GET", "/v1/articles"): "submitter",
    ("POST", "/v1/articles"): "submitter",
    ("POST", "/v1/articles/batch"): "submitter",
    ("GET", "/v1/articles/{article_id}"): "submitter",
    ("GET", "/v1/articles/{article_id}/claims"): "submitter",
    ("POST", "/v1/articles/{article_id}/relink"): "reviewer",
    ("GET", "/v1/claims"): "submitter",
    ("GET", "/v1/claims/{claim_id}"): "submitter",
    ("PATCH", "/v1/claims/{claim_id}"): "reviewer",
    ("POST", "/v1/claims/{claim_id}/assign"): "reviewer",
    ("GET", "/v1/claims/{claim_id}/history"): "submitter",
    ("GET", "/v1/claims/{claim_id}/claimreview"): "submitter",
    ("GET", "/v1/exports/claimreview"): "submitter",
    ("GET", "/v1/exports/claims.csv"): "submitter",
    ("GET", "/v1/sources/search"): "submitter",
    ("GET", "/v1/sources/{source_id}"): "submitter",
    ("POST", "/v1/sources"): "admin",
    ("DELETE", "/v1/sources/{source_id}"): "admin",
    ("GET", "/v1/keys"): "admin",
    ("POST", "/v1/keys"): "admin",
    ("DELETE", "/v1/keys/{key_id}"): "admin",
    ("GET", "/v1/webhooks"): "admin",
    ("POST", "/v1/webhooks"): "admin",
    ("GET", "/v1/webhooks/{webhook_id}"): "admin",
    ("DELETE", "/v1/webhooks/{webhook_id}"): "admin",
    ("GET", "/v1/webhooks/{webhook_id}/deliveries"): "admin",
    ("GET", "/v1/rating-scale"): "submitter",
    ("PUT", "/v1/rating-scale"): "admin",
}
BODIES: dict[tuple[str, str], Any] = {
    ("POST", "/v1/articles"): {"text": "Exports rose 4 percent in 2023."},
    ("POST", "/v1/articles/batch"): {"articles": [{"text": "Exports rose 4 percent in 2023."}]},
    ("PATCH", "/v1/claims/{claim_id}"): {"rationale": "checked"},
    ("POST", "/v1/sources"): {"kind": "document", "text": "Exports rose 4 percent."},
    ("POST", "/v1/keys"): {"role": "submitter"},
    ("POST", "/v1/webhooks"): {"url": "https://hooks.example.org/claimdesk",
                               "events": ["claim.verified"]},
    ("PUT", "/v1/rating-scale"): {"levels": [{"name": "true", "label": "True", "value": 5}]},
}
QUERIES: dict[tuple[str, str], dict[str, str]] = {("GET", "/v1/sources/search"): {"q": "exports"}}
ROLES = ("submitter", "reviewer", "admin")


def v1_routes(client: TestClient) -> list[tuple[str, str]]:
    """Every /v1 operation, as the API documents them."""
    paths = client.get("/openapi.json").json()["paths"]
    return sorted((method.upper(), path) for path, operations in paths.items()
                  if path.startswith("/v1/") for method in operations
                  if method in ("get", "post", "put", "patch", "delete"))


@pytest.fixture
def owned(client: TestClient, session, session_factory) -> dict[str, str]:
    """One row of each kind in org_default (the organisation under test), by path parameter."""
    text = "Exports rose 4 percent in 2023."
    article = make_article(session, text=text)
    store_claims(session, article, [make_claim_record(text, 0, score=0.9, types=["quantity"])])
    claim_id = client.get("/v1/claims").json()["items"][0]["id"]
    source = client.post("/v1/sources", json={"kind": "document", "text": "Imports fell."})
    key_row, _ = key_store.create_key(session, org_id="org_default", role="submitter")
    hook = Webhook(id="whk_access", org_id="org_default", url="https://hooks.example.org/x",
                   events_text=",claim.verified,", secret="whsec_c2VjcmV0")
    session.add(hook)
    session.commit()
    return {"article_id": article.id, "claim_id": claim_id, "source_id": source.json()["id"],
            "key_id": key_row.id, "webhook_id": hook.id}


def call(client: TestClient, method: str, path: str, ids: dict[str, str],
         headers: dict[str, str]) -> Any:
    url = path.format(**ids)
    extra = {"If-Match": '"1"'} if method == "PATCH" else {}
    return client.request(method, url, json=BODIES.get((method, path)),
                          params=QUERIES.get((method, path)), headers=headers | extra)


def test_every_v1_route_is_in_the_access_table(client: TestClient) -> None:
    assert set(v1_routes(client)) == set(NEEDS)


def test_every_v1_route_needs_a_valid_key(client: TestClient, owned, session) -> None:
    revoked_row, revoked = key_store.create_key(session, org_id="org_default", role="admin")
    key_store.revoke_key(session, org_id="org_default", key_id=revoked_row.id)
    session.commit()
    for method, path in v1_routes(client):
        for headers in ({"Authorization": ""}, bearer("cdk_not-a-key"), bearer(revoked),
                        {"Authorization": "Basic dXNlcjpwYXNz"}):
            response = call(client, method, path, owned, headers)
            assert response.status_code == 401, (method, path, headers, response.text)
            assert response.headers["WWW-Authenticate"].startswith("Bearer")
            assert response.json()["type"].endswith("/unauthorized")


def test_each_role_gets_403_exactly_on_the_routes_above_it(client: TestClient, owned,
                                                          make_key) -> None:
    for role in ROLES:
        headers = bearer(make_key(role))
        for method, path in v1_routes(client):
            response = call(client, method, path, owned, headers)
            allowed = ROLES.index(role) >= ROLES.index(NEEDS[(method, path)])
            if allowed:
                assert response.status_code != 403, (role, method, path, response.text)
                assert response.status_code < 500, (role, method, path, response.text)
            else:
                assert response.status_code == 403, (role, method, path, response.text)
                assert response.json()["type"].endswith("/forbidden")


def test_another_organisation_sees_nothing_of_this_one(client: TestClient, owned,
                                                       make_key) -> None:
    outsider = bearer(make_key("admin", org="org_other"))
    for method, path in v1_routes(client):
        response = call(client, method, path, owned, outsider)
        if "{" in path:
            assert response.status_code == 404, (method, path, response.text)
            assert response.json()["type"].endswith("/not-found")
        else:
            assert response.status_code < 400 or response.status_code == 422, (method, path)
            leaked = [v for v in owned.values() if v in response.text]
            assert not leaked, (method, path, leaked)
