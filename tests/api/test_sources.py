"""/v1/sources: store, read, delete and search evidence sources over HTTP."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from rq import Queue

from service.app import create_app
from tests.conftest import bearer
from tests.support.servers import free_port

PROBLEM = "https://claimdesk.dev/problems/"
REPORT = {
    "kind": "document", "title": "Labour market, March", "publisher": "Statistics Office",
    "url": "https://stats.example/labour-march", "published_at": "2024-04-05",
    "text": ("Unemployment fell to 3.5 percent in March. Employers added 7,800 jobs. "
             "Wages grew by 4.1 percent.\n\nThe next release is due in May."),
}
CHECK = {
    "kind": "fact_check", "url": "https://checks.example/record-high",
    "claim_reviewed": "Unemployment is at a record high.", "claimant": "A senator",
    "publisher": "Checks", "rating_text": "False", "rating_value": 1, "best_rating": 5,
    "worst_rating": 1, "published_at": "2024-04-06T10:00:00Z",
}


def post(client: TestClient, body: Any):
    return client.post("/v1/sources", json=body)


def test_create_document_returns_201_location_and_passages(client: TestClient) -> None:
    response = post(client, REPORT)
    assert response.status_code == 201
    body = response.json()
    assert body["id"].startswith("src_")
    assert response.headers["Location"] == f"/v1/sources/{body['id']}"
    assert [p["text"] for p in body["passages"]] == [
        "Unemployment fell to 3.5 percent in March. Employers added 7,800 jobs. "
        "Wages grew by 4.1 percent.",
        "The next release is due in May.",
    ]
    for passage in body["passages"]:
        assert body["text"][passage["start"] : passage["end"]] == passage["text"]
    assert body["published_at"].startswith("2024-04-05T00:00:00")


def test_read_source_returns_what_was_stored(client: TestClient) -> None:
    source_id = post(client, CHECK).json()["id"]
    body = client.get(f"/v1/sources/{source_id}").json()
    assert {k: body[k] for k in ("kind", "claim_reviewed", "rating_text", "claimant")} == {
        "kind": "fact_check", "claim_reviewed": "Unemployment is at a record high.",
        "rating_text": "False", "claimant": "A senator"}
    assert body["rating_value"] == 1.0 and body["best_rating"] == 5.0
    assert [p["text"] for p in body["passages"]] == ["Unemployment is at a record high."]


def test_posting_a_known_url_again_updates_the_same_source(client: TestClient) -> None:
    first = post(client, CHECK).json()
    again = post(client, {**CHECK, "rating_text": "Mostly false"})
    assert again.status_code == 200 and again.json()["id"] == first["id"]
    assert client.get(f"/v1/sources/{first['id']}").json()["rating_text"] == "Mostly false"


def test_posting_a_list_stores_each_source(client: TestClient) -> None:
    response = post(client, [REPORT, CHECK, {"kind": "document", "text": "No URL here."}])
    assert response.status_code == 200
    assert [s["kind"] for s in response.json()] == ["document", "fact_check", "document"]
    hits = client.get("/v1/sources/search", params={"q": "unemployment"}).json()["items"]
    assert len(hits) == 2


def test_delete_source_removes_it_and_its_passages(client: TestClient) -> None:
    source_id = post(client, REPORT).json()["id"]
    assert client.delete(f"/v1/sources/{source_id}").status_code == 204
    assert client.get(f"/v1/sources/{source_id}").status_code == 404
    assert client.get("/v1/sources/search", params={"q": "wages"}).json()["items"] == []
    assert client.delete(f"/v1/sources/{source_id}").json()["type"] == PROBLEM + "not-found"


def test_search_returns_ranked_hits_with_snippets(client: TestClient) -> None:
    post(client, [REPORT, CHECK])
    body = client.get("/v1/sources/search",
                      params={"q": "Unemployment hit a record high in March"}).json()
    assert body["terms"] == ["unemployment", "hit", "record", "high", "march"]
    first, second = body["items"]
    assert first["kind"] == "fact_check" and first["rating_text"] == "False"
    assert first["score"] >= second["score"]
    assert second["snippet"].startswith("Unemployment fell to 3.5 percent")
    assert second["url"] == REPORT["url"] and second["publisher"] == "Statistics Office"


def test_search_snippet_of_a_long_passage_is_shortened_around_a_match(client: TestClient) -> None:
    filler = "Officials described the regional outlook in general terms " * 6
    post(client, {"kind": "document", "text": filler + "before inflation reached nine percent."})
    [hit] = client.get("/v1/sources/search", params={"q": "inflation"}).json()["items"]
    assert len(hit["snippet"]) <= 302 and "inflation" in hit["snippet"]
    assert hit["snippet"].startswith("\u2026")


def test_search_filters_by_kind_and_limit(client: TestClient) -> None:
    post(client, [REPORT, CHECK])
    kinds = client.get("/v1/sources/search",
                       params={"q": "unemployment", "kind": "document"}).json()["items"]
    assert [h["kind"] for h in kinds] == ["document"]
    limited = client.get("/v1/sources/search", params={"q": "unemployment", "limit": 1})
    assert len(limited.json()["items"]) == 1


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "document", "title": "No text"},  # a document needs text
        {"kind": "fact_check", "url": "https://x.example"},  # a fact check needs its claim
        {"kind": "fact_check", "claim_reviewed": "X.", "text": "write-up"},  # text is for documents
        {"kind": "opinion", "text": "Hello."},  # unknown kind
        {"kind": "document", "text": "Hi.", "colour": "red"},  # unknown field
        [REPORT, {"kind": "document"}],  # one bad item fails the whole request
    ],
)
def test_invalid_sources_are_422(client: TestClient, body: Any) -> None:
    response = post(client, body)
    assert response.status_code == 422
    assert response.json()["type"] == PROBLEM + "invalid-input"
    assert client.get("/v1/sources/search", params={"q": "unemployment"}).json()["items"] == []


def test_search_without_a_query_is_422(client: TestClient) -> None:
    assert client.get("/v1/sources/search").status_code == 422


def test_unknown_source_is_404(client: TestClient) -> None:
    response = client.get("/v1/sources/src_nope")
    assert response.status_code == 404 and response.json()["type"] == PROBLEM + "not-found"


def relink_scopes(redis: Any) -> list[dict[str, Any]]:
    """The scopes of the relink jobs waiting in the queue, oldest first."""
    queue = Queue("claimdesk", connection=redis)
    jobs = [queue.fetch_job(job_id) for job_id in queue.get_job_ids()]
    return [job.kwargs["scope"] for job in jobs
            if job is not None and job.func_name == "workers.jobs.relink_claims"]


def test_a_new_source_queues_relinking_of_the_claims_it_could_affect(client: TestClient,
                                                                     redis: Any) -> None:
    source_id = post(client, REPORT).json()["id"]
    [scope] = relink_scopes(redis)
    assert scope["source_ids"] == [source_id] and scope["linked_before"]


def test_a_list_queues_one_relink_for_its_new_and_changed_sources_only(client: TestClient,
                                                                       redis: Any) -> None:
    check_id = post(client, CHECK).json()["id"]
    redis.flushdb()
    stored = post(client, [REPORT, CHECK]).json()
    [scope] = relink_scopes(redis)
    assert scope["source_ids"] == [stored[0]["id"]] and check_id == stored[1]["id"]


def test_an_unchanged_source_queues_nothing(client: TestClient, redis: Any) -> None:
    post(client, CHECK)
    redis.flushdb()
    assert post(client, CHECK).status_code == 200
    assert relink_scopes(redis) == []


def test_deleting_a_source_queues_relinking_of_the_claims_citing_it(client: TestClient,
                                                                    redis: Any) -> None:
    source_id = post(client, REPORT).json()["id"]
    redis.flushdb()
    client.delete(f"/v1/sources/{source_id}")
    assert [scope["source_ids"] for scope in relink_scopes(redis)] == [[source_id]]


def test_a_source_is_stored_when_redis_is_down(settings: Any, session_factory: Any,
                                                make_key: Any) -> None:
    unreachable = settings.model_copy(update={"redis_url": f"redis://127.0.0.1:{free_port()}/0"})
    with TestClient(create_app(unreachable), headers=bearer(make_key())) as client:
        response = post(client, REPORT)
        assert response.status_code == 201
        assert client.get(response.headers["Location"]).status_code == 200
        assert client.delete(response.headers["Location"]).status_code == 204
