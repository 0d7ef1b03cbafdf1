"""POST/GET /v1/articles against a real database and a real Redis queue."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from rq import Queue

from service.app import create_app
from service.store import articles
from tests.conftest import bearer
from tests.support.servers import free_port

PROBLEM = "https://claimdesk.dev/problems/"


def post(client: TestClient, body: dict, **headers: str):
    return client.post("/v1/articles", json=body, headers=headers)


def test_create_article_returns_202_and_location(client: TestClient) -> None:
    response = post(client, {"text": "Sales rose 12 percent in 2023.", "title": "Sales"})
    assert response.status_code == 202
    body = response.json()
    assert response.headers["Location"] == f"/v1/articles/{body['id']}"
    assert body["id"].startswith("art_") and body["state"] == "queued"


def test_created_article_is_stored_and_its_job_is_queued(client: TestClient, redis) -> None:
    article_id = post(client, {"text": "Sales rose 12 percent in 2023."}).json()["id"]
    stored = client.get(f"/v1/articles/{article_id}").json()
    assert stored["state"] == "queued" and stored["text"] == "Sales rose 12 percent in 2023."
    queue = Queue("claimdesk", connection=redis)
    job = queue.fetch_job(f"process-article-{article_id}")
    assert job is not None and job.func_name == "workers.jobs.process_article"
    assert job.kwargs == {"article_id": article_id, "org_id": "org_default"}
    assert job.retries_left == 3


def test_create_article_from_html_keeps_main_text_only(client: TestClient) -> None:
    html = ("<html><head><title>Page</title><style>p{color:red}</style></head><body>"
            "<nav>Home | World</nav><article><h1>Budget</h1><p>The deficit was "
            "<b>$1.7 trillion</b> in 2023.</p><script>track()</script></article></body></html>")
    article_id = post(client, {"html": html}).json()["id"]
    stored = client.get(f"/v1/articles/{article_id}").json()
    assert stored["text"] == "Budget\n\nThe deficit was $1.7 trillion in 2023."
    assert stored["title"] == "Page"


def test_create_article_same_key_same_body_is_the_same_article(client: TestClient,
                                                               redis) -> None:
    body = {"text": "Unemployment fell to 3.5 percent."}
    first = post(client, body, **{"Idempotency-Key": "abc"})
    second = post(client, body, **{"Idempotency-Key": "abc"})
    assert second.status_code == 202
    assert first.json()["id"] == second.json()["id"]
    assert len(Queue("claimdesk", connection=redis)) == 1


def test_create_article_reused_key_other_body_is_409(client: TestClient) -> None:
    first = post(client, {"text": "Unemployment fell to 3.5 percent."}, **{"Idempotency-Key": "k"})
    second = post(client, {"text": "Something else entirely."}, **{"Idempotency-Key": "k"})
    assert second.status_code == 409
    assert second.headers["content-type"] == "application/problem+json"
    assert second.json()["type"] == PROBLEM + "idempotency-conflict"
    assert client.get(first.headers["Location"]).json()["text"].startswith("Unemployment")


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        # empty text
        ({"text": ""}, "empty-text"),
        # whitespace only
        ({"text": " \n\t "}, "empty-text"),
        # html whose only content is a script
        ({"html": "<script>x()</script>"}, "empty-text"),
        # neither text nor html
        ({"title": "No body"}, "invalid-input"),
        # both text and html
        ({"text": "a", "html": "<p>a</p>"}, "invalid-input"),
        # binary bytes decoded as text
        ({"text": "\x00\x01\x02PK\x03\x04\x05\x06"}, "binary-text"),
        # a language the pipeline does not have
        ({"text": "Hola a todos.", "language": "es"}, "unsupported-language"),
        # a field the API does not know
        ({"text": "Sales rose.", "colour": "red"}, "invalid-input"),
    ],
)
def test_create_article_bad_body_is_422_problem(client: TestClient, body: dict,
                                                problem: str) -> None:
    response = post(client, body)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == PROBLEM + problem
    assert response.json()["status"] == 422


def test_unsupported_language_problem_names_supported_ones(client: TestClient) -> None:
    problem = post(client, {"text": "Bonjour.", "language": "fr"}).json()
    assert problem["supported"] == ["en"]
    assert "en" in problem["detail"]


def test_create_article_malformed_json_is_422_problem(client: TestClient) -> None:
    response = client.post("/v1/articles", content=b'{"text": "unterminated',
                           headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["type"] == PROBLEM + "malformed-json"


def test_create_article_wrong_content_type_is_415(client: TestClient) -> None:
    response = client.post("/v1/articles", content=b"text=hello",
                           headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 415
    assert response.json()["type"] == PROBLEM + "unsupported-media-type"


def test_create_article_over_size_limit_is_413(client: TestClient) -> None:
    text = "Sales rose 12 percent. " * 50_000
    response = post(client, {"text": text})
    assert response.status_code == 413
    assert response.json()["type"] == PROBLEM + "payload-too-large"


def test_read_unknown_article_is_404_problem(client: TestClient) -> None:
    response = client.get("/v1/articles/art_missing")
    assert response.status_code == 404
    assert response.json()["type"] == PROBLEM + "not-found"
    assert client.get("/v1/articles/art_missing/claims").status_code == 404


def test_redis_down_on_post_still_stores_and_answers_202(settings, session_factory,
                                                          make_key) -> None:
    unreachable = settings.model_copy(update={"redis_url": f"redis://127.0.0.1:{free_port()}/0"})
    with TestClient(create_app(unreachable), headers=bearer(make_key())) as client:
        response = post(client, {"text": "Exports fell 4 percent in March."})
        assert response.status_code == 202
        stored = client.get(response.headers["Location"]).json()
    assert stored["state"] == "queued"
    with session_factory() as session:
        row = articles.get_article(session, org_id="org_default", article_id=stored["id"])
        assert row.enqueued_at is None
