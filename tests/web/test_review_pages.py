"""The review page over HTTP: sign-in, cookies, CSRF, roles, organisations, stale forms."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from service.app import create_app
from service.store import keys
from service.store.models import Claim, ClaimEvent, WebSession
from service.store.settings import Settings
from tests.factories import make_article, make_claim_record, store_claims

ORG = "org_default"
TEXT = ("Acme Corp said it cut 400 jobs in 2023. Unemployment fell to 3.9% in May. "
        "The weather was pleasant.")


@pytest.fixture
def pages(settings: Settings, session_factory: object) -> Iterator[TestClient]:
    """The app with no API key: the page signs in with its own form."""
    with TestClient(create_app(settings)) as client:
        yield client


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF field in the page"
    return found.group(1)


def version_of(html: str) -> str:
    found = re.search(r'name="version" value="(\d+)"', html)
    assert found, "no version field in the page"
    return found.group(1)


def sign_in(client: TestClient, key: str) -> TestClient:
    form = client.get("/review/login")
    answer = client.post("/review/login", data={"key": key, "csrf": csrf_of(form.text)},
                         follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return client


@pytest.fixture
def article_claims(session_factory) -> list[str]:
    """Two claims of one article, the second more check-worthy; their ids, queue order."""
    with session_factory() as session:
        article = make_article(session, text=TEXT)
        first = make_claim_record("Acme Corp said it cut 400 jobs in 2023.", 0, score=0.6,
                                  types=["quantity"])
        second = make_claim_record("Unemployment fell to 3.9% in May.", TEXT.index("Unemp"),
                                   score=0.9, types=["quantity", "temporal"])
        store_claims(session, article, [first, second])
        rows = session.scalars(select(Claim).order_by(Claim.checkworthiness.desc())).all()
        return [row.id for row in rows]


def test_sign_in_sets_an_http_only_same_site_cookie(pages, make_key) -> None:
    form = pages.get("/review/login")
    answer = pages.post("/review/login", data={"key": make_key("reviewer"),
                                               "csrf": csrf_of(form.text)},
                        follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/review"
    (cookie,) = [c for c in answer.headers.get_list("set-cookie")
                 if c.startswith("claimdesk_session=")]
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
    assert {"httponly", "samesite", "path", "max-age"} <= attributes
    assert "samesite=lax" in cookie.lower() and "path=/review" in cookie.lower()
    assert "secure" not in attributes  # plain http here; https requests get Secure
    assert pages.get("/review").status_code == 200


def test_over_https_the_cookie_is_secure(settings, session_factory, make_key) -> None:
    with TestClient(create_app(settings), base_url="https://testserver") as client:
        form = client.get("/review/login")
        answer = client.post("/review/login", data={"key": make_key("reviewer"),
                                                    "csrf": csrf_of(form.text)},
                             follow_redirects=False)
    (cookie,) = [c for c in answer.headers.get_list("set-cookie")
                 if c.startswith("claimdesk_session=")]
    assert "secure" in {part.strip().lower() for part in cookie.split(";")}


def test_the_session_is_stored_hashed(pages, make_key, session_factory) -> None:
    sign_in(pages, make_key("reviewer"))
    token = pages.cookies.get("claimdesk_session")
    with session_factory() as session:
        (row,) = session.scalars(select(WebSession)).all()
    assert token and row.token_hash != token and len(row.token_hash) == 64


def test_a_wrong_key_shows_the_form_again_with_an_error_and_no_cookie(pages) -> None:
    form = pages.get("/review/login")
    answer = pages.post("/review/login", data={"key": "cdk_not-a-key",
                                               "csrf": csrf_of(form.text)},
                        follow_redirects=False)
    assert answer.status_code == 401
    assert "That key is not valid" in answer.text and 'name="key"' in answer.text
    assert not any(c.startswith("claimdesk_session=")
                   for c in answer.headers.get_list("set-cookie"))


def test_sign_in_without_the_form_token_is_refused(pages, make_key) -> None:
    answer = pages.post("/review/login", data={"key": make_key("reviewer")},
                        follow_redirects=False)
    assert answer.status_code == 403 and "claimdesk_session" not in pages.cookies


@pytest.mark.parametrize("path", ["/review", "/review/claims/clm_anything"])
def test_pages_send_a_visitor_without_a_session_to_the_form(pages, path) -> None:
    answer = pages.get(path, follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/review/login")


def test_an_api_key_header_does_not_sign_in_the_page(client) -> None:
    assert client.get("/review", follow_redirects=False).status_code == 303


def test_sign_in_returns_to_the_page_asked_for_and_never_elsewhere(pages, make_key) -> None:
    key = make_key("reviewer")
    for asked, landed in [("/review/claims/clm_1", "/review/claims/clm_1"),
                          ("https://evil.example/", "/review"), ("//evil.example", "/review")]:
        pages.cookies.clear()
        form = pages.get("/review/login", params={"next": asked})
        answer = pages.post("/review/login", data={"key": key, "csrf": csrf_of(form.text),
                                                   "next": asked}, follow_redirects=False)
        assert answer.headers["location"] == landed


def test_the_queue_lists_claims_most_check_worthy_first(pages, make_key,
                                                       article_claims) -> None:
    page = sign_in(pages, make_key("reviewer")).get("/review")
    assert page.status_code == 200
    positions = [page.text.index(f"/review/claims/{claim_id}") for claim_id in article_claims]
    assert positions == sorted(positions)
    assert "0.90" in page.text and "temporal" in page.text and "no evidence" in page.text
    assert page.headers["content-security-policy"].startswith("default-src 'none'")


def test_the_queue_filters_by_type_and_state(pages, make_key, article_claims) -> None:
    sign_in(pages, make_key("reviewer"))
    temporal = pages.get("/review", params={"type": "temporal"}).text
    assert article_claims[0] in temporal and article_claims[1] not in temporal
    verified = pages.get("/review", params={"state": "verified"}).text
    assert "No claims match" in verified


def test_the_claim_page_highlights_the_claim_and_its_spans(pages, make_key,
                                                           article_claims) -> None:
    page = sign_in(pages, make_key("reviewer")).get(f"/review/claims/{article_claims[0]}")
    assert page.status_code == 200
    claim = re.search(r'<mark class="claim" id="claim">(.*?)</mark>', page.text, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", claim) == "Unemployment fell to 3.9% in May."
    assert re.search(r'<span class="span span-entity"\s+title="entity ORG">Unemployment</span>',
                     claim)


def test_verifying_a_queued_claim_assigns_and_verifies_it(pages, make_key, article_claims,
                                                         session_factory) -> None:
    claim_id = article_claims[0]
    page = sign_in(pages, make_key("reviewer", name="Ana")).get(f"/review/claims/{claim_id}")
    answer = pages.post(f"/review/claims/{claim_id}", data={
        "csrf": csrf_of(page.text), "version": version_of(page.text), "action": "verify",
        "verdict": "mostly_true", "rationale": "BLS figures say 3.9%."}, follow_redirects=False)
    assert answer.status_code == 303
    with session_factory() as session:
        row = session.get(Claim, claim_id)
        actions = session.scalars(select(ClaimEvent.action).order_by(ClaimEvent.id)).all()
    assert (row.state, row.verdict, row.rationale) == ("verified", "mostly_true",
                                                       "BLS figures say 3.9%.")
    assert actions == ["assign", "review"]
    shown = pages.get(answer.headers["location"]).text
    assert "Verified." in shown and "Mostly true" in shown and "Ana (you)" in shown
    assert claim_id in pages.get("/review", params={"state": "verified"}).text


def test_dismissing_without_a_reason_keeps_the_form(pages, make_key, article_claims) -> None:
    claim_id = article_claims[0]
    page = sign_in(pages, make_key("reviewer")).get(f"/review/claims/{claim_id}")
    answer = pages.post(f"/review/claims/{claim_id}", data={
        "csrf": csrf_of(page.text), "version": version_of(page.text), "action": "dismiss",
        "rationale": "half-typed"})
    assert answer.status_code == 422
    assert "reason" in answer.text and ">half-typed</textarea>" in answer.text


def test_a_post_without_the_csrf_token_is_refused(pages, make_key, article_claims,
                                                  session_factory) -> None:
    claim_id = article_claims[0]
    sign_in(pages, make_key("reviewer"))
    for token in ("", "forged"):
        answer = pages.post(f"/review/claims/{claim_id}",
                            data={"csrf": token, "version": "1", "action": "assign"})
        assert answer.status_code == 403
    assert pages.post("/review/logout", data={}).status_code == 403
    with session_factory() as session:
        assert session.get(Claim, claim_id).state == "queued"


def test_a_post_without_a_session_is_refused(pages, article_claims) -> None:
    answer = pages.post(f"/review/claims/{article_claims[0]}",
                        data={"csrf": "x", "version": "1", "action": "assign"},
                        follow_redirects=False)
    assert answer.status_code == 403


def test_a_submitter_sees_the_claim_but_cannot_review_it(pages, make_key, article_claims,
                                                         session_factory) -> None:
    claim_id = article_claims[0]
    page = sign_in(pages, make_key("submitter")).get(f"/review/claims/{claim_id}")
    assert page.status_code == 200 and 'name="verdict"' not in page.text
    answer = pages.post(f"/review/claims/{claim_id}", data={
        "csrf": csrf_of(page.text), "version": "1", "action": "verify", "verdict": "true"})
    assert answer.status_code == 403 and "submitter key" in answer.text
    with session_factory() as session:
        assert session.get(Claim, claim_id).state == "queued"


def test_another_organisations_claim_is_not_found(pages, make_key, article_claims) -> None:
    sign_in(pages, make_key("reviewer", org="org_other"))
    page = pages.get(f"/review/claims/{article_claims[0]}")
    assert page.status_code == 404 and "Not found" in page.text
    assert article_claims[0] not in pages.get("/review").text
    csrf = csrf_of(page.text)
    answer = pages.post(f"/review/claims/{article_claims[0]}",
                        data={"csrf": csrf, "version": "1", "action": "assign"})
    assert answer.status_code == 404


def test_a_stale_form_shows_their_change_and_overwrites_nothing(
        settings, make_key, article_claims, session_factory) -> None:
    claim_id = article_claims[0]
    with TestClient(create_app(settings)) as ana, TestClient(create_app(settings)) as ben:
        sign_in(ana, make_key("reviewer", name="Ana"))
        sign_in(ben, make_key("reviewer", name="Ben"))
        ben_page = ben.get(f"/review/claims/{claim_id}").text
        ana_page = ana.get(f"/review/claims/{claim_id}").text
        ana.post(f"/review/claims/{claim_id}", data={
            "csrf": csrf_of(ana_page), "version": version_of(ana_page), "action": "verify",
            "verdict": "false", "rationale": "Ana's reading."})
        answer = ben.post(f"/review/claims/{claim_id}", data={
            "csrf": csrf_of(ben_page), "version": version_of(ben_page), "action": "verify",
            "verdict": "true", "rationale": "Ben's <b>typed</b> text."})
    assert answer.status_code == 409
    assert "Someone else changed this claim" in answer.text
    notice = answer.text.split("Someone else changed this claim", 1)[1].split("</section>")[0]
    assert "Ana" in notice and "<ins>False</ins>" in notice and "Ana&#39;s reading." in notice
    assert "Ben&#39;s &lt;b&gt;typed&lt;/b&gt; text.</textarea>" in answer.text
    assert version_of(answer.text) == "3"
    with session_factory() as session:
        row = session.get(Claim, claim_id)
    assert (row.verdict, row.rationale, row.version) == ("false", "Ana's reading.", 3)


def test_user_text_is_escaped(pages, make_key, session_factory) -> None:
    text = ('Mayor <script>alert(1)</script> said <img src=x onerror="alert(2)"> '
            "that 40 parks opened.")
    with session_factory() as session:
        article = make_article(session, text=text)
        store_claims(session, article, [make_claim_record(text, 0, score=0.8,
                                                          types=["quantity"])])
    sign_in(pages, make_key("reviewer"))
    queue = pages.get("/review").text
    (claim_id,) = re.findall(r'href="/review/claims/([^"]+)"', queue)
    page = pages.get(f"/review/claims/{claim_id}").text
    for html in (queue, page):
        assert "<script>" not in html and "<img" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "&lt;img src=x onerror=&#34;alert(2)&#34;&gt;" in html


def test_sign_out_ends_the_session(pages, make_key, session_factory) -> None:
    page = sign_in(pages, make_key("reviewer")).get("/review")
    answer = pages.post("/review/logout", data={"csrf": csrf_of(page.text)},
                        follow_redirects=False)
    assert answer.status_code == 303
    with session_factory() as session:
        assert session.scalars(select(WebSession)).all() == []
    assert pages.get("/review", follow_redirects=False).status_code == 303


def test_a_revoked_keys_session_stops_working(pages, make_key, session_factory) -> None:
    sign_in(pages, make_key("reviewer", name="leaving"))
    assert pages.get("/review", follow_redirects=False).status_code == 200
    with session_factory() as session:
        (key,) = [k for k in keys.list_keys(session, org_id=ORG) if k.name == "leaving"]
        keys.revoke_key(session, org_id=ORG, key_id=key.id)
        session.commit()
    assert pages.get("/review", follow_redirects=False).status_code == 303


def test_the_stylesheet_is_served_from_the_package(pages) -> None:
    answer = pages.get("/review/static/review.css")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/css")
    assert "http" not in answer.text  # no outside asset


def test_every_button_moves_the_claim_through_the_workflow(pages, make_key, article_claims,
                                                          session_factory) -> None:
    claim_id = article_claims[0]
    sign_in(pages, make_key("reviewer"))

    def press(action: str, **fields: str) -> str:
        page = pages.get(f"/review/claims/{claim_id}").text
        assert f'value="{action}"' in page, f"no {action} button"
        answer = pages.post(f"/review/claims/{claim_id}", data={
            "csrf": csrf_of(page), "version": version_of(page), "action": action, **fields},
            follow_redirects=False)
        assert answer.status_code == 303, answer.text
        with session_factory() as session:
            return session.get(Claim, claim_id).state

    assert press("assign") == "in_review"
    assert press("release") == "queued"
    assert press("verify", verdict="false") == "verified"
    assert press("dismiss", reason="a duplicate of another claim") == "dismissed"
    assert press("reopen") == "in_review"
    with session_factory() as session:
        events = session.scalars(select(ClaimEvent).order_by(ClaimEvent.id)).all()
    assert [e.version for e in events] == list(range(2, 2 + len(events)))
    history = pages.get(f"/review/claims/{claim_id}").text.split('id="history-heading"')[1]
    assert "a duplicate of another claim" in history and "<ins>dismissed</ins>" in history


def test_an_unknown_review_path_is_an_html_page_not_json(pages) -> None:
    response = pages.get("/review/no-such-page")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "/review" in response.text and "problem" not in response.headers["content-type"]


def test_an_unknown_api_path_stays_a_problem_document(pages) -> None:
    response = pages.get("/v1/no-such-route")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
