"""``claimdesk keys``: create prints the key alone, list never shows it, revoke ends it."""

from __future__ import annotations

import hashlib

from fastapi.testclient import TestClient

from service.store.models import ApiKey
from tests.conftest import bearer
from tests.test_cli import claimdesk


def test_keys_create_prints_only_the_key_and_it_works_for_its_new_org(
        settings, client: TestClient) -> None:
    env = {"DATABASE_URL": settings.resolved_database_url()}
    result = claimdesk("keys", "create", "--org", "org_tidewater", "--role", "reviewer",
                       "--name", "Ana", env=env)
    assert result.returncode == 0, result.stderr
    key = result.stdout.strip()
    assert result.stdout == key + "\n" and key.startswith("cdk_")
    assert "org_tidewater" in result.stderr
    mine = client.get("/v1/claims", headers=bearer(key))
    assert mine.status_code == 200 and mine.json()["items"] == []
    assert client.get("/v1/keys", headers=bearer(key)).status_code == 403


def test_keys_list_shows_prefixes_never_keys_and_revoke_ends_a_key(settings,
                                                                   client: TestClient) -> None:
    env = {"DATABASE_URL": settings.resolved_database_url()}
    key = claimdesk("keys", "create", "--role", "submitter", env=env).stdout.strip()
    listing = claimdesk("keys", "list", env=env)
    assert listing.returncode == 0 and key not in listing.stdout
    (line,) = [row for row in listing.stdout.splitlines() if key[:10] in row]
    key_id = line.split()[0]
    assert "submitter" in line and "active" in line
    assert claimdesk("keys", "revoke", key_id, env=env).returncode == 0
    assert client.get("/v1/articles", headers=bearer(key)).status_code == 401
    assert "revoked" in claimdesk("keys", "list", env=env).stdout.split(key_id)[1].splitlines()[0]


def test_keys_create_refuses_an_unknown_role_and_revoke_an_unknown_id(settings) -> None:
    env = {"DATABASE_URL": settings.resolved_database_url()}
    assert claimdesk("keys", "create", "--role", "owner", env=env).returncode == 2
    missing = claimdesk("keys", "revoke", "key_nope", env=env)
    assert missing.returncode == 2 and "not found" in missing.stderr


def test_admins_manage_keys_over_the_api(client: TestClient) -> None:
    created = client.post("/v1/keys", json={"role": "reviewer", "name": "Ben"})
    assert created.status_code == 201
    key, key_id = created.json()["key"], created.json()["id"]
    listed = client.get("/v1/keys").json()
    assert key not in str(listed) and any(k["id"] == key_id for k in listed)
    assert client.get("/v1/claims", headers=bearer(key)).status_code == 200
    assert client.delete(f"/v1/keys/{key_id}").json()["revoked_at"]
    assert client.get("/v1/claims", headers=bearer(key)).status_code == 401


def test_keys_are_stored_hashed_never_in_clear(client: TestClient, session) -> None:
    key = client.post("/v1/keys", json={"role": "submitter"}).json()["key"]
    stored = [(row.secret_hash, row.prefix) for row in session.query(ApiKey)]
    assert all(key not in value for pair in stored for value in pair)
    assert (hashlib.sha256(key.encode()).hexdigest(), key[:10]) in stored


def test_a_key_with_an_unknown_role_is_refused_over_the_api(client: TestClient) -> None:
    response = client.post("/v1/keys", json={"role": "owner"})
    assert response.status_code == 422 and response.json()["errors"][0]["loc"][-1] == "role"
