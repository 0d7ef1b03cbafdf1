"""The review workflow over HTTP: assign, PATCH with If-Match, history, verified claims become
fact-checks, and nothing is overwritten unseen."""

from __future__ import annotations

import threading

from fastapi.testclient import TestClient
from rq import Queue, SimpleWorker

from service.store.models import Source
from service.store.verdicts import claim_source_url
from tests.conftest import bearer
from tests.factories import make_article, make_claim_record, store_claims

PROBLEM = "https://claimdesk.dev/problems/"
TEXT = "Exports rose 4 percent in 2023. Imports fell. The port handled 2.1 million containers."


def seed(session, org: str = "org_default") -> list[str]:
    """A processed article with three claims; their ids, most check-worthy first."""
    article = make_article(session, text=TEXT, org_id=org)
    parts = [("Exports rose 4 percent in 2023.", 0.9), ("The port handled 2.1 million "
                                                        "containers.", 0.8),
             ("Imports fell.", 0.4)]
    store_claims(session, article, [make_claim_record(t, TEXT.index(t), score=s,
                                                      types=["quantity"]) for t, s in parts])
    from service.store import claims

    return [c.id for c in claims.list_claims(session, org_id=org).items]


def reviewer_client(client: TestClient, make_key, name: str = "Ana") -> dict[str, str]:
    return bearer(make_key("reviewer", name=name))


def test_every_claim_answer_carries_its_etag(client: TestClient, session) -> None:
    first, *_ = seed(session)
    response = client.get(f"/v1/claims/{first}")
    assert response.headers["ETag"] == '"1"'
    assert response.json()["verification"]["version"] == 1


def test_assign_moves_a_queued_claim_into_review_for_the_caller(client, session,
                                                               make_key) -> None:
    first, *_ = seed(session)
    ana = reviewer_client(client, make_key)
    response = client.post(f"/v1/claims/{first}/assign", headers=ana)
    assert response.status_code == 200, response.text
    verification = response.json()["verification"]
    assert verification["state"] == "in_review" and verification["assignee"].startswith("key_")
    assert response.headers["ETag"] == '"2"'
    mine = client.get("/v1/claims", params={"assignee": "me"}, headers=ana).json()["items"]
    assert [c["id"] for c in mine] == [first]


def test_a_reviewer_cannot_take_a_claim_someone_else_is_reviewing(client, session,
                                                                 make_key) -> None:
    first, *_ = seed(session)
    client.post(f"/v1/claims/{first}/assign", headers=reviewer_client(client, make_key, "Ana"))
    taken = client.post(f"/v1/claims/{first}/assign",
                        headers=reviewer_client(client, make_key, "Ben"))
    assert taken.status_code == 403 and taken.json()["type"] == PROBLEM + "forbidden"


def test_an_admin_assigns_to_a_reviewer_of_the_organisation_only(client, session,
                                                                make_key) -> None:
    first, second, _ = seed(session)
    ana_key = make_key("reviewer", name="Ana")
    ana_id = client.get("/v1/keys").json()[-1]["id"]
    done = client.post(f"/v1/claims/{first}/assign", json={"assignee": ana_id})
    assert done.json()["verification"]["assignee"] == ana_id
    assert client.post(f"/v1/claims/{second}/assign",
                       json={"assignee": "key_nobody"}).status_code == 422
    by_reviewer = client.post(f"/v1/claims/{second}/assign", json={"assignee": ana_id},
                              headers=bearer(make_key("reviewer", name="Ben")))
    assert by_reviewer.status_code == 403
    assert ana_key


def verify(client, claim_id: str, headers: dict[str, str], etag: str, **body):
    return client.patch(f"/v1/claims/{claim_id}", json=body,
                        headers=headers | {"If-Match": etag})


def test_verifying_needs_a_verdict_from_the_scale(client, session, make_key) -> None:
    first, *_ = seed(session)
    ana = reviewer_client(client, make_key)
    etag = client.post(f"/v1/claims/{first}/assign", headers=ana).headers["ETag"]
    missing = verify(client, first, ana, etag, state="verified")
    assert missing.status_code == 422 and "verdict" in missing.json()["detail"]
    unknown = verify(client, first, ana, etag, state="verified", verdict="pants_on_fire")
    assert unknown.status_code == 422 and "mostly_true" in unknown.json()["choices"]
    done = verify(client, first, ana, etag, state="verified", verdict="mostly_true",
                  rationale="ONS trade figures show 3.9%.",
                  evidence=[{"url": "https://ons.example/trade", "note": "table 2"}])
    assert done.status_code == 200, done.text
    verification = done.json()["verification"]
    assert verification["state"] == "verified" and verification["verdict"] == "mostly_true"
    assert verification["rationale"] == "ONS trade figures show 3.9%."
    (cited,) = verification["review_evidence"]
    assert cited["url"] == "https://ons.example/trade" and cited["note"] == "table 2"
    assert verification["reviewed_at"] and done.headers["ETag"] == '"3"'


def test_dismissing_needs_a_reason(client, session, make_key) -> None:
    first, *_ = seed(session)
    ana = reviewer_client(client, make_key)
    etag = client.post(f"/v1/claims/{first}/assign", headers=ana).headers["ETag"]
    assert verify(client, first, ana, etag, state="dismissed").status_code == 422
    done = verify(client, first, ana, etag, state="dismissed", reason="an opinion")
    assert done.json()["verification"]["dismiss_reason"] == "an opinion"


def test_a_stale_if_match_is_412_with_the_current_claim_and_writes_nothing(client, session,
                                                                          make_key) -> None:
    first, *_ = seed(session)
    ana, ben = reviewer_client(client, make_key, "Ana"), reviewer_client(client, make_key, "Ben")
    etag = client.post(f"/v1/claims/{first}/assign", headers=ana).headers["ETag"]
    assert verify(client, first, ana, etag, rationale="Ana's notes").status_code == 200
    stale = verify(client, first, ben, etag, state="verified", verdict="false",
                   rationale="Ben's notes")
    assert stale.status_code == 412
    assert stale.headers["content-type"] == "application/problem+json"
    assert stale.json()["type"] == PROBLEM + "stale-version"
    assert stale.json()["current"]["verification"]["rationale"] == "Ana's notes"
    now = client.get(f"/v1/claims/{first}").json()["verification"]
    assert now["rationale"] == "Ana's notes" and now["state"] == "in_review"


def test_a_patch_without_if_match_is_428(client, session, make_key) -> None:
    first, *_ = seed(session)
    response = client.patch(f"/v1/claims/{first}", json={"rationale": "x"},
                            headers=reviewer_client(client, make_key))
    assert response.status_code == 428 and response.json()["type"] == PROBLEM + "if-match-required"
    star = client.patch(f"/v1/claims/{first}", json={"rationale": "x"},
                        headers=reviewer_client(client, make_key) | {"If-Match": "*"})
    assert star.status_code == 428


def test_an_impossible_transition_is_409(client, session, make_key) -> None:
    first, *_ = seed(session)
    ana = reviewer_client(client, make_key)
    response = verify(client, first, ana, '"1"', state="verified", verdict="true")
    assert response.status_code == 409
    assert response.json()["type"] == PROBLEM + "invalid-transition"
    assert response.json()["allowed"] == ["in_review"]
    assert client.get(f"/v1/claims/{first}").json()["verification"]["state"] == "queued"


def test_two_reviewers_saving_at_once_cannot_both_win(client, session, make_key) -> None:
    first, *_ = seed(session)
    keys = [reviewer_client(client, make_key, f"R{i}") for i in range(6)]
    etag = client.post(f"/v1/claims/{first}/assign", headers=keys[0]).headers["ETag"]
    codes: list[int] = []
    barrier = threading.Barrier(len(keys))

    def save(headers: dict[str, str], note: str) -> None:
        barrier.wait()
        codes.append(verify(client, first, headers, etag, rationale=note).status_code)

    threads = [threading.Thread(target=save, args=(k, f"note {i}")) for i, k in enumerate(keys)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(codes) == [200] + [412] * (len(keys) - 1)
    history = client.get(f"/v1/claims/{first}/history").json()["items"]
    assert [e["action"] for e in history] == ["assign", "review"]


def test_history_records_who_changed_what_from_what(client, session, make_key) -> None:
    first, *_ = seed(session)
    ana = reviewer_client(client, make_key, "Ana")
    etag = client.post(f"/v1/claims/{first}/assign", headers=ana).headers["ETag"]
    verify(client, first, ana, etag, state="verified", verdict="false", rationale="wrong year")
    history = client.get(f"/v1/claims/{first}/history").json()
    assign, review = history["items"]
    assert assign["changes"]["state"] == {"old": "queued", "new": "in_review"}
    assert review["actor_name"] == "Ana" and review["version"] == 3
    assert review["changes"]["verdict"] == {"old": None, "new": "false"}
    assert review["changes"]["state"] == {"old": "in_review", "new": "verified"}
    assert "reviewed_at" in review["changes"]


def test_a_verified_claim_becomes_a_fact_check_and_reopening_removes_it(
        client, session, make_key, redis) -> None:
    first, *_ = seed(session)
    ana = reviewer_client(client, make_key)
    etag = client.post(f"/v1/claims/{first}/assign", headers=ana).headers["ETag"]
    done = verify(client, first, ana, etag, state="verified", verdict="false")
    session.expire_all()
    fact_check = session.query(Source).filter_by(url=claim_source_url(first)).one()
    assert fact_check.kind == "fact_check" and fact_check.rating_text == "False"
    assert fact_check.claim_reviewed == "Exports rose 4 percent in 2023."
    relinks = [j for j in Queue("claimdesk", connection=redis).jobs
               if j.func_name == "workers.jobs.relink_claims"]
    assert relinks and relinks[-1].kwargs["scope"]["source_ids"] == [fact_check.id]
    reopened = verify(client, first, ana, done.headers["ETag"], state="in_review")
    assert reopened.json()["verification"]["state"] == "in_review"
    session.expire_all()
    assert session.query(Source).filter_by(url=claim_source_url(first)).count() == 0


def test_a_verdict_on_the_organisations_own_scale(client, session, make_key) -> None:
    first, *_ = seed(session)
    scale = {"levels": [{"name": "correct", "label": "Correct", "value": 5},
                        {"name": "wrong", "label": "Wrong", "value": 1}]}
    assert client.put("/v1/rating-scale", json=scale).status_code == 200
    ana = reviewer_client(client, make_key)
    assert client.get("/v1/rating-scale", headers=ana).json() == scale
    assert client.put("/v1/rating-scale", json=scale, headers=ana).status_code == 403
    etag = client.post(f"/v1/claims/{first}/assign", headers=ana).headers["ETag"]
    assert verify(client, first, ana, etag, state="verified",
                  verdict="false").status_code == 422
    assert verify(client, first, ana, etag, state="verified",
                  verdict="wrong").status_code == 200


def test_the_queue_filters_by_article_assignee_and_auto_assessment(client, session,
                                                                  make_key) -> None:
    ids = seed(session)
    other = make_article(session, text="Wages rose 2 percent.")
    store_claims(session, other, [make_claim_record("Wages rose 2 percent.", 0, score=0.99,
                                                    types=["quantity"])])
    queued = client.get("/v1/claims", params={"state": "queued"}).json()["items"]
    assert queued[0]["article_id"] == other.id
    by_article = client.get("/v1/claims", params={"article_id": other.id}).json()["items"]
    assert [c["text"] for c in by_article] == ["Wages rose 2 percent."]
    auto = client.get("/v1/claims", params={"auto": "no_evidence"}).json()["items"]
    assert len(auto) == 4
    assert client.get("/v1/claims", params={"auto": "supported"}).json()["items"] == []
    assert ids


def test_articles_list_newest_first_with_state_filter_and_cursor(client, session) -> None:
    made = [make_article(session, text=f"Story {i} says exports rose {i} percent.")
            for i in range(3)]
    made[0].state = "processed"
    session.commit()
    page = client.get("/v1/articles", params={"limit": 2}).json()
    assert [a["id"] for a in page["items"]] == [made[2].id, made[1].id]
    rest = client.get("/v1/articles", params={"cursor": page["next_cursor"]}).json()
    assert [a["id"] for a in rest["items"]] == [made[0].id] and rest["next_cursor"] is None
    processed = client.get("/v1/articles", params={"state": "processed"}).json()["items"]
    assert [a["id"] for a in processed] == [made[0].id]
    assert "text" not in processed[0] and processed[0]["received_at"]
    future = client.get("/v1/articles", params={"since": "2999-01-01T00:00:00Z"}).json()
    assert future["items"] == []


def test_a_verified_claim_is_never_its_own_evidence_when_linked_again(
        client, session, make_key, redis) -> None:
    first, *_ = seed(session)
    ana = reviewer_client(client, make_key)
    etag = client.post(f"/v1/claims/{first}/assign", headers=ana).headers["ETag"]
    verify(client, first, ana, etag, state="verified", verdict="false")
    queue = Queue("claimdesk", connection=redis)
    SimpleWorker([queue], connection=redis).work(burst=True)
    claim = client.get(f"/v1/claims/{first}").json()
    assert claim["verification"]["linked_at"] is not None
    assert claim_source_url(first) not in [e["url"] for e in claim["evidence"]]
    assert claim["verification"]["verdict"] == "false"


def test_a_decided_claim_cannot_be_assigned_until_reopened(client, session, make_key) -> None:
    first, *_ = seed(session)
    ana = reviewer_client(client, make_key)
    etag = client.post(f"/v1/claims/{first}/assign", headers=ana).headers["ETag"]
    verify(client, first, ana, etag, state="dismissed", reason="an opinion")
    again = client.post(f"/v1/claims/{first}/assign", headers=ana)
    assert again.status_code == 409 and again.json()["type"] == PROBLEM + "invalid-transition"


def test_a_rating_scale_naming_a_verdict_twice_is_refused(client) -> None:
    twice = {"levels": [{"name": "true", "label": "True", "value": 5},
                        {"name": "true", "label": "Also true", "value": 4}]}
    response = client.put("/v1/rating-scale", json=twice)
    assert response.status_code == 422 and "once" in response.json()["detail"]
    assert len(client.get("/v1/rating-scale").json()["levels"]) == 7
