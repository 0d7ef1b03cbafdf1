"""POST /v1/articles/{id}/relink: queue linking an article's claims to the evidence stored now."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from rq import Queue

from service.app import create_app
from service.store.models import Organisation
from tests.conftest import bearer
from tests.factories import make_article, make_claim_record, store_claims
from tests.support.servers import free_port

PROBLEM = "https://claimdesk.dev/problems/"
SALES = "Sales rose 12 percent in 2023."


def processed_article(session_factory: Any, org_id: str = "org_default") -> str:
    with session_factory() as session:
        article = make_article(session, text=SALES, org_id=org_id)
        store_claims(session, article, [make_claim_record(SALES, 0, score=0.8,
                                                          types=["quantity"])])
        return article.id


def test_relink_answers_202_and_queues_a_job_for_the_article(
        client: TestClient, session_factory: Any, redis: Any) -> None:
    article_id = processed_article(session_factory)
    response = client.post(f"/v1/articles/{article_id}/relink")
    assert response.status_code == 202
    body = response.json()
    assert body["article_id"] == article_id and body["job_id"].startswith("relink_")
    job = Queue("claimdesk", connection=redis).fetch_job(body["job_id"])
    assert job is not None and job.func_name == "workers.jobs.relink_claims"
    assert job.kwargs["org_id"] == "org_default" and job.retries_left == 3
    assert job.kwargs["scope"]["article_id"] == article_id
    assert datetime.fromisoformat(job.kwargs["scope"]["linked_before"]) == (
        datetime.fromisoformat(body["linked_before"]))


def test_relink_of_an_unknown_article_is_404(client: TestClient) -> None:
    response = client.post("/v1/articles/art_missing/relink")
    assert response.status_code == 404 and response.json()["type"] == PROBLEM + "not-found"


def test_relink_of_another_organisations_article_is_404(client: TestClient,
                                                       session_factory: Any) -> None:
    with session_factory() as session:
        session.add(Organisation(id="org_other", name="Other newsroom"))
        session.commit()
    article_id = processed_article(session_factory, org_id="org_other")
    response = client.post(f"/v1/articles/{article_id}/relink")
    assert response.status_code == 404 and response.json()["type"] == PROBLEM + "not-found"


@pytest.mark.parametrize("state", ["queued", "processing", "failed"])
def test_relink_of_an_article_not_processed_is_409(client: TestClient, session_factory: Any,
                                                   redis: Any, state: str) -> None:
    with session_factory() as session:
        article_id = make_article(session, text=SALES, state=state).id
    response = client.post(f"/v1/articles/{article_id}/relink")
    assert response.status_code == 409
    assert response.json()["type"] == PROBLEM + "article-not-processed"
    assert response.json()["state"] == state
    assert Queue("claimdesk", connection=redis).count == 0


def test_relink_with_redis_down_is_503(settings: Any, session_factory: Any,
                                       make_key: Any) -> None:
    article_id = processed_article(session_factory)
    unreachable = settings.model_copy(update={"redis_url": f"redis://127.0.0.1:{free_port()}/0"})
    with TestClient(create_app(unreachable), headers=bearer(make_key())) as client:
        response = client.post(f"/v1/articles/{article_id}/relink")
    assert response.status_code == 503
    assert response.json()["type"] == PROBLEM + "queue-unavailable"
