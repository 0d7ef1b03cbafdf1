"""Health, readiness and the API description."""

from __future__ import annotations

from fastapi.testclient import TestClient
from rq import Queue

from service.app import create_app
from tests.support.servers import free_port


def test_healthz_answers_ok(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}


def test_readyz_checks_database_and_redis(client: TestClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "redis": "ok"}


def test_readyz_is_503_naming_redis_when_redis_is_down(settings, session_factory) -> None:
    down = settings.model_copy(update={"redis_url": f"redis://127.0.0.1:{free_port()}/0"})
    with TestClient(create_app(down)) as client:
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"].startswith("unavailable")
    assert response.json()["checks"]["database"] == "ok"


def test_openapi_and_docs_are_served(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert "/v1/articles" in spec["paths"] and "/v1/claims/{claim_id}" in spec["paths"]
    assert client.get("/docs").status_code == 200


def test_database_down_gives_503_problem_and_queues_nothing(settings, redis) -> None:
    down = settings.model_copy(
        update={"database_url": f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/none"}
    )
    with TestClient(create_app(down, migrate=False)) as client:
        response = client.post("/v1/articles", json={"text": "Exports fell 4 percent."},
                               headers={"Authorization": "Bearer cdk_any"})
        ready = client.get("/readyz")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "https://claimdesk.dev/problems/database-unavailable"
    assert Queue("claimdesk", connection=redis).count == 0
    assert ready.status_code == 503 and ready.json()["checks"]["redis"] == "ok"
