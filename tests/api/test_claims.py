"""GET /v1/claims: one claim, the filtered queue, cursor pagination, organisation scoping."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.factories import make_article, make_claim_record, store_claims

PROBLEM = "https://claimdesk.dev/problems/"


def seed(session) -> list[str]:
    """One processed article with five claims of descending check-worthiness."""
    text = "Alpha rose. Beta fell. Gamma held. Delta won. Epsilon lost."
    article = make_article(session, text=text)
    sentences = [("Alpha rose.", 0.9, ["other"]), ("Beta fell.", 0.7, ["quantity"]),
                 ("Gamma held.", 0.5, ["quantity", "temporal"]), ("Delta won.", 0.3, ["other"]),
                 ("Epsilon lost.", 0.1, ["quantity"])]
    records = [make_claim_record(t, text.index(t), score=s, types=ty) for t, s, ty in sentences]
    store_claims(session, article, records)
    return [article.id]


def test_read_claim_returns_the_claim_record(client: TestClient, session) -> None:
    seed(session)
    first = client.get("/v1/claims").json()["items"][0]
    claim = client.get(f"/v1/claims/{first['id']}").json()
    assert claim["text"] == "Alpha rose." and claim["start"] == 0 and claim["end"] == 11
    assert claim["verification"]["state"] == "queued" and claim["verification"]["version"] == 1
    assert claim["spans"][0] == {"kind": "entity", "text": "Alpha", "start": 0, "end": 5,
                                 "label": "ORG"}


def test_read_claims_orders_by_checkworthiness(client: TestClient, session) -> None:
    seed(session)
    scores = [c["checkworthiness"] for c in client.get("/v1/claims").json()["items"]]
    assert scores == [0.9, 0.7, 0.5, 0.3, 0.1]


def test_read_claims_filters_by_score_and_type(client: TestClient, session) -> None:
    seed(session)
    page = client.get("/v1/claims", params={"min_checkworthiness": 0.4,
                                            "type": "quantity"}).json()
    assert [c["text"] for c in page["items"]] == ["Beta fell.", "Gamma held."]
    queued = client.get("/v1/claims", params={"state": "queued"}).json()["items"]
    assert len(queued) == 5
    assert client.get("/v1/claims", params={"state": "verified"}).json()["items"] == []


def test_read_claims_cursor_walks_every_claim_once(client: TestClient, session) -> None:
    seed(session)
    seen, cursor = [], None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = client.get("/v1/claims", params=params).json()
        seen += [c["text"] for c in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == ["Alpha rose.", "Beta fell.", "Gamma held.", "Delta won.", "Epsilon lost."]


def test_read_article_claims_pages_in_text_order(client: TestClient, session) -> None:
    (article_id,) = seed(session)
    page = client.get(f"/v1/articles/{article_id}/claims", params={"limit": 3}).json()
    assert [c["text"] for c in page["items"]] == ["Alpha rose.", "Beta fell.", "Gamma held."]
    rest = client.get(f"/v1/articles/{article_id}/claims",
                      params={"cursor": page["next_cursor"]}).json()
    assert [c["text"] for c in rest["items"]] == ["Delta won.", "Epsilon lost."]
    assert rest["next_cursor"] is None


def test_processed_article_embeds_its_claims(client: TestClient, session) -> None:
    (article_id,) = seed(session)
    article = client.get(f"/v1/articles/{article_id}").json()
    assert article["state"] == "processed" and article["claim_count"] == 5
    assert [c["start"] for c in article["claims"]] == sorted(c["start"] for c in article["claims"])


def test_read_unknown_claim_is_404_problem(client: TestClient) -> None:
    response = client.get("/v1/claims/clm_missing")
    assert response.status_code == 404
    assert response.json()["type"] == PROBLEM + "not-found"


def test_read_claims_bad_cursor_is_422_problem(client: TestClient) -> None:
    response = client.get("/v1/claims", params={"cursor": "not-a-cursor"})
    assert response.status_code == 422
    assert response.json()["type"] == PROBLEM + "invalid-cursor"


def test_claims_of_another_organisation_are_not_visible(client: TestClient, session) -> None:
    from service.store.models import Organisation

    session.add(Organisation(id="org_other", name="Other newsroom"))
    session.commit()
    other = make_article(session, text="Zeta grew.", org_id="org_other")
    store_claims(session, other, [make_claim_record("Zeta grew.", 0, score=0.8, types=["other"])])
    assert client.get("/v1/claims").json()["items"] == []
    assert client.get(f"/v1/articles/{other.id}").status_code == 404


def test_read_claims_treats_empty_filters_as_absent(client: TestClient, session) -> None:
    seed(session)
    response = client.get("/v1/claims?state=queued&min_checkworthiness=&type=")
    assert response.status_code == 200
    assert len(response.json()["items"]) == 5
