"""POST /v1/articles/batch: each article accepted or refused on its own, the good ones queued."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from rq import Queue

from service.app import create_app
from tests.conftest import bearer
from tests.support.servers import free_port

PROBLEM = "https://claimdesk.dev/problems/"
BATCH = "/v1/articles/batch"


def post_batch(client: TestClient, articles: list, **headers: str):
    """Sent as ASCII JSON, so a lone surrogate goes as the escape ``\\ud800``."""
    return client.post(BATCH, content=json.dumps({"articles": articles}),
                       headers={"Content-Type": "application/json", **headers})


def test_batch_stores_and_queues_every_good_article(client: TestClient, redis) -> None:
    response = post_batch(client, [{"text": "Exports rose 4 percent in 2023."},
                                   {"html": "<p>Imports fell 2 percent in May.</p>"}])
    assert response.status_code == 202
    body = response.json()
    assert body["accepted"] == 2 and body["refused"] == 0
    queue = Queue("claimdesk", connection=redis)
    for index, item in enumerate(body["items"]):
        assert item["index"] == index and item["state"] == "queued"
        assert item["location"] == f"/v1/articles/{item['id']}"
        job = queue.fetch_job(f"process-article-{item['id']}")
        assert job is not None and job.kwargs == {"article_id": item["id"],
                                                  "org_id": "org_default"}
    assert len(queue) == 2
    stored = client.get(body["items"][1]["location"]).json()
    assert stored["text"] == "Imports fell 2 percent in May." and stored["state"] == "queued"


def test_batch_queues_the_good_articles_whatever_the_bad_ones_hold(client: TestClient,
                                                                  redis, settings) -> None:
    articles = [
        {"text": "Exports rose 4 percent in 2023."},  # 0 good
        {"text": ""},  # 1 empty
        {"text": "\x00\x01\x02PK\x03\x04\x05\x06"},  # 2 binary
        {"text": "Hola a todos.", "language": "es"},  # 3 unknown language
        {"text": "Sales rose \ud800 12 percent."},  # 4 lone surrogate
        {"title": "No body"},  # 5 neither text nor html
        {"text": "x" * (settings.max_article_chars + 1)},  # 6 too long
        "not an object",  # 7
        {"text": "Unemployment fell to 3.5 percent.", "colour": "red"},  # 8 unknown field
        {"text": "Imports fell 2 percent in May.", "idempotency_key": "k1"},  # 9 good
    ]
    response = post_batch(client, articles)
    assert response.status_code == 202
    body = response.json()
    assert body["accepted"] == 2 and body["refused"] == 8
    items = body["items"]
    assert [item["index"] for item in items] == list(range(len(articles)))
    expected = {1: "empty-text", 2: "binary-text", 3: "unsupported-language",
                4: "invalid-input", 5: "invalid-input", 6: "article-too-long",
                7: "invalid-input", 8: "invalid-input"}
    for index, kind in expected.items():
        problem = items[index]["problem"]
        assert problem["type"] == PROBLEM + kind, (index, problem)
        assert problem["status"] == 422 and problem["detail"]
        assert "id" not in items[index]
    assert items[3]["problem"]["supported"] == ["en"]
    assert items[6]["problem"]["max_chars"] == settings.max_article_chars
    assert items[5]["problem"]["errors"][0]["loc"][:2] == ["articles", "5"]
    queued = {job.kwargs["article_id"] for job in Queue("claimdesk", connection=redis).jobs}
    assert queued == {items[0]["id"], items[9]["id"]}


def test_batch_item_idempotency_keys_as_the_header_is_for_one_article(client: TestClient,
                                                                      redis) -> None:
    single = client.post("/v1/articles", json={"text": "Sales rose 12 percent."},
                         headers={"Idempotency-Key": "story-1"}).json()
    response = post_batch(client, [
        {"text": "Sales rose 12 percent.", "idempotency_key": "story-1"},  # same: same article
        {"text": "Something else.", "idempotency_key": "story-1"},  # other body: 409
        {"text": "Costs fell.", "idempotency_key": "story-2"},
        {"text": "Costs fell.", "idempotency_key": "story-2"},  # repeated in the batch
        {"text": "Costs fell.", "idempotency_key": ""},  # empty key
    ])
    items = response.json()["items"]
    assert items[0]["id"] == single["id"]
    assert items[1]["problem"]["type"] == PROBLEM + "idempotency-conflict"
    assert items[1]["problem"]["status"] == 409
    assert items[2]["id"] == items[3]["id"]
    assert items[4]["problem"]["type"] == PROBLEM + "invalid-input"
    assert len(Queue("claimdesk", connection=redis)) == 2  # story-1 once, story-2 once


def test_batch_with_every_article_refused_is_200_and_queues_nothing(client: TestClient,
                                                                   redis) -> None:
    response = post_batch(client, [{"text": " "}, {"text": "Hola.", "language": "es"}])
    assert response.status_code == 200
    assert response.json()["accepted"] == 0 and response.json()["refused"] == 2
    assert len(Queue("claimdesk", connection=redis)) == 0


def test_batch_over_the_limit_is_422_for_the_whole_request(client: TestClient, settings,
                                                          redis) -> None:
    articles = [{"text": f"Exports rose {i} percent."} for i in range(settings.max_batch_articles
                                                                       + 1)]
    response = post_batch(client, articles)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == PROBLEM + "invalid-input"
    assert response.json()["max_articles"] == settings.max_batch_articles
    assert len(Queue("claimdesk", connection=redis)) == 0
    assert client.get("/v1/articles").json()["items"] == []


def test_batch_of_the_largest_size_is_accepted(client: TestClient, settings, redis) -> None:
    articles = [{"text": f"Exports rose {i} percent."} for i in range(settings.max_batch_articles)]
    response = post_batch(client, articles)
    assert response.status_code == 202
    assert response.json()["accepted"] == settings.max_batch_articles
    assert len(Queue("claimdesk", connection=redis)) == settings.max_batch_articles


def test_batch_body_shape_is_checked(client: TestClient) -> None:
    for body in ({"articles": []}, {"articles": {"text": "a"}}, [{"text": "a"}], {}):
        response = client.post(BATCH, json=body)
        assert response.status_code == 422, body
        assert response.json()["type"] == PROBLEM + "invalid-input"
    not_json = client.post(BATCH, content=b"articles=1",
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert not_json.status_code == 415
    assert not_json.json()["type"] == PROBLEM + "unsupported-media-type"


def test_batch_body_may_be_larger_than_one_article(settings, session_factory, make_key) -> None:
    small = settings.model_copy(update={"max_body_bytes": 2_000, "max_batch_body_bytes": 20_000})
    articles = [{"text": "Exports rose 4 percent in 2023. " * 10} for _ in range(20)]
    with TestClient(create_app(small), headers=bearer(make_key())) as client:
        assert client.post(BATCH, json={"articles": articles}).status_code == 202
        too_big = client.post(BATCH, json={"articles": articles * 10})
        assert too_big.status_code == 413
        assert too_big.json()["type"] == PROBLEM + "payload-too-large"
        assert too_big.json()["max_bytes"] == 20_000
        one = client.post("/v1/articles", json={"text": "Exports rose. " * 200})
        assert one.status_code == 413


def test_submitter_may_send_a_batch_and_sees_only_its_organisation(client: TestClient,
                                                                   make_key) -> None:
    key = bearer(make_key("submitter", org="org_batch"))
    response = client.post(BATCH, json={"articles": [{"text": "Exports rose."}]}, headers=key)
    assert response.status_code == 202
    location = response.json()["items"][0]["location"]
    assert client.get(location, headers=key).status_code == 200
    assert client.get(location).status_code == 404  # the admin of org_default


def test_batch_with_redis_down_stores_the_articles_for_the_sweeper(settings, session_factory,
                                                                   make_key) -> None:
    down = settings.model_copy(update={"redis_url": f"redis://127.0.0.1:{free_port()}/0"})
    with TestClient(create_app(down), headers=bearer(make_key())) as client:
        response = post_batch(client, [{"text": "Exports rose."}, {"text": "Imports fell."}])
        assert response.status_code == 202
        ids = [item["id"] for item in response.json()["items"]]
        assert [client.get(f"/v1/articles/{i}").json()["state"] for i in ids] == ["queued"] * 2
