"""Bad input never reaches a 500: what a new user (or a fuzzer) sends gets a problem document.

The string fields are read from ``/openapi.json``, so a field or a route added later is
tried too: a route with a JSON body needs a valid body in ``VALID_BODIES`` (the test says
so), a field needs nothing.
"""

from __future__ import annotations

import copy
import json
import re
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.app import create_app
from service.store.cursors import encode_cursor
from service.store.models import ApiKey, Article, ClaimEvent, Organisation, Source, Webhook
from service.store.settings import Settings
from tests.factories import make_article, make_claim_record, store_claims

PROBLEM = "https://claimdesk.dev/problems/"
SURROGATE, NUL = "\ud800", "\x00"
PUBLIC_HOOK = "https://93.184.215.14/hooks/claimdesk"  # a public address: no DNS needed

# A valid body for each route with a JSON body; each string field is then spoiled in turn.
VALID_BODIES: dict[tuple[str, str], Any] = {
    ("POST", "/v1/articles"): {"text": "The council said it would spend 4 million pounds."},
    ("POST", "/v1/articles/batch"): {"articles": [{"text": "The council spent 4 million."}]},
    ("POST", "/v1/sources"): {"kind": "fact_check", "claim_reviewed": "Wages rose 5%."},
    ("POST", "/v1/keys"): {"role": "reviewer"},
    ("PUT", "/v1/rating-scale"): {"levels": [{"name": "true", "label": "True", "value": 5}]},
    ("POST", "/v1/claims/{claim_id}/assign"): {},
    ("PATCH", "/v1/claims/{claim_id}"): {},
    ("POST", "/v1/webhooks"): {"url": PUBLIC_HOOK, "events": ["article.processed"]},
}
# Routes that answer each item of a list on its own (a refused item is not a 422).
PER_ITEM = {("POST", "/v1/articles/batch")}
# Fields whose NUL a more specific problem refuses: article text that is binary data.
NUL_PROBLEM = {("POST", "/v1/articles", ("text",)): "binary-text",
               ("POST", "/v1/articles/batch", ("articles", 0, "text")): "binary-text"}


def _spec() -> dict[str, Any]:
    settings = Settings(database_url="sqlite://", redis_url="redis://127.0.0.1:1/0")
    return create_app(settings, migrate=False).openapi()


SPEC = _spec()


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = SPEC["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def string_paths(schema: dict[str, Any], path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place a string goes in a body of ``schema``: field names and list index 0; a
    free-form object (``metadata``) gets a key ``k``."""
    schema = _resolve(schema)
    members = [_resolve(m) for m in schema.get("anyOf", schema.get("oneOf", []))]
    if members:  # a union: the object member (a source), not the list of them
        objects = [m for m in members if m.get("type") == "object"]
        others = [m for m in members if m.get("type") not in ("null", "array")]
        chosen = objects or others or [m for m in members if m.get("type") == "array"]
        return string_paths(chosen[0], path) if chosen else []
    kind = schema.get("type")
    if kind == "string":
        return [path]
    if kind == "array":
        return string_paths(schema.get("items", {}), (*path, 0))
    if kind == "object" and "properties" in schema:
        found: list[tuple[Any, ...]] = []
        for name, field in schema["properties"].items():
            found += string_paths(field, (*path, name))
        return found
    if kind == "object":
        return [(*path, "k")]
    return []


def json_routes() -> list[tuple[str, str, dict[str, Any]]]:
    routes = []
    for path, item in SPEC["paths"].items():
        for method, operation in item.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                routes.append((method.upper(), path, content["application/json"]["schema"]))
    return sorted(routes, key=lambda r: (r[1], r[0]))


def field_cases() -> list[Any]:
    cases = []
    for method, path, schema in json_routes():
        for where in string_paths(schema):
            label = f"{method} {path} {'.'.join(map(str, where))}"
            cases.append(pytest.param(method, path, where, id=label))
    return cases


def spoil(body: Any, where: tuple[Any, ...], value: str) -> Any:
    """``body`` with ``value`` at ``where``, making the lists and objects on the way."""
    body = copy.deepcopy(body)
    node = body
    for part, after in zip(where, [*where[1:], None], strict=True):
        if after is None:
            node[part] = value
        elif isinstance(node, list) and part >= len(node):
            node.append([] if isinstance(after, int) else {})
            node = node[part]
        else:
            if isinstance(node, dict) and part not in node:
                node[part] = [] if isinstance(after, int) else {}
            node = node[part]
    return body


def field_of(where: tuple[Any, ...]) -> list[str]:
    """The ``loc`` naming the field of ``where``: a free-form object's keys and the indexes
    of a list of strings are inside the field, not fields."""
    parts = list(where)
    while parts and (parts[-1] == "k" or isinstance(parts[-1], int)):
        parts.pop()
    return [str(p) for p in parts]


def stored(session: Session) -> tuple[Any, ...]:
    session.expire_all()
    counts = tuple(session.scalar(select(func.count()).select_from(table))
                   for table in (Article, Source, ApiKey, Webhook, ClaimEvent))
    scale = session.scalar(select(Organisation.rating_scale)
                           .where(Organisation.id == "org_default"))
    return (*counts, scale)


def test_every_json_route_has_a_valid_body_to_spoil() -> None:
    routes = {(method, path) for method, path, _ in json_routes()}
    assert routes <= set(VALID_BODIES), f"add a valid body for {routes - set(VALID_BODIES)}"


@pytest.mark.parametrize(("method", "path", "where"), field_cases())
def test_an_unstorable_string_in_any_field_is_a_422_naming_it(
        client: TestClient, session: Session, method: str, path: str,
        where: tuple[Any, ...]) -> None:
    before = stored(session)
    for value in (SURROGATE, NUL):
        problem = _refused(client, method, path, spoil(VALID_BODIES[method, path], where,
                                                       f"a{value}b"))
        expected = NUL_PROBLEM.get((method, path, where)) if value == NUL else None
        assert problem["type"] == PROBLEM + (expected or "invalid-input"), problem
        if expected is None:
            loc = field_of(where)
            assert any(error["loc"][-len(loc):] == loc for error in problem["errors"]), problem
            assert ("lone surrogate (\\ud800)" if value == SURROGATE else "NUL") in \
                problem["detail"]
    assert stored(session) == before


def _refused(client: TestClient, method: str, path: str, body: Any) -> dict[str, Any]:
    """The problem a route answers ``body`` with (a per-item route: its item's problem)."""
    response = client.request(method, path.replace("{claim_id}", "clm_missing"),
                              content=json.dumps(body),  # ASCII: "\\ud800" escaped, as sent
                              headers={"Content-Type": "application/json"})
    problem: dict[str, Any] = response.json()
    if (method, path) in PER_ITEM:
        assert response.status_code == 200, response.text
        return problem["items"][0]["problem"]  # type: ignore[no-any-return]
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return problem


BAD_BYTES = {
    "latin-1": b'{"text": "caf\xe9 au lait"}',
    "invalid-sequence": b'{"text": "\xc3\x28"}',
    "encoded-surrogate": b'{"text": "\xed\xa0\x80"}',  # what Python's reader would accept
    "random-bytes": b"\x80\x81\xfe\xff garbage",
    "utf-16": "{}".encode("utf-16"),  # with its BOM: Python's reader would guess it
    "truncated": '{"text": "é"}'.encode()[:11],
}


@pytest.mark.parametrize(("method", "path"), [(m, p) for m, p, _ in json_routes()])
def test_a_body_that_is_not_utf8_is_malformed_json(client: TestClient, method: str,
                                                   path: str) -> None:
    for name, raw in BAD_BYTES.items():
        response = client.request(method, path.replace("{claim_id}", "clm_missing"),
                                  content=raw, headers={"Content-Type": "application/json"})
        assert response.status_code == 422, (name, response.text)
        assert response.json()["type"] == PROBLEM + "malformed-json", name


@pytest.mark.parametrize(("raw", "kind"), [
    (b"null", "invalid-input"),
    (b'"text"', "invalid-input"),
    (b"[" * 100_000 + b"]" * 100_000, "malformed-json"),  # deeper than Python parses
    (b'{"text": "x", "metadata": {"n": ' + b"9" * 5000 + b"}}", "malformed-json"),
    (b'{"text": "x", "metadata": {"n": NaN}}', "invalid-input"),
    (b'{"text": "x", "metadata": {"n": [-Infinity]}}', "invalid-input"),
    (b'{"text": "x", "metadata": {"n": 1e999}}', "invalid-input"),  # parses as infinity
    (b'{"text": "x", "metadata": ' + b'{"a": ' * 40 + b"1" + b"}" * 41, "invalid-input"),
    (b'{"text": "x", "published_at": "0001-01-01T00:00:00+05:00"}', "invalid-input"),
], ids=["null", "string", "deep", "long-number", "nan", "infinity", "overflow", "nested",
        "year-0"])
def test_odd_json_for_an_article_is_a_clean_422(client: TestClient, session: Session,
                                                raw: bytes, kind: str) -> None:
    response = client.post("/v1/articles", content=raw,
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 422, response.text
    assert response.json()["type"] == PROBLEM + kind
    assert session.scalar(select(func.count()).select_from(Article)) == 0


@pytest.mark.parametrize("raw", [
    b'{"kind": "fact_check", "claim_reviewed": "x", "rating_value": NaN}',
    b'{"kind": "fact_check", "claim_reviewed": "x", "best_rating": Infinity}',
    b'[{"kind": "fact_check", "claim_reviewed": "x", "worst_rating": -Infinity}]',
], ids=["nan", "infinity", "in-a-list"])
def test_a_rating_that_is_not_a_finite_number_is_refused(client: TestClient,
                                                         raw: bytes) -> None:
    response = client.post("/v1/sources", content=raw,
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["loc"][-1] in ("rating_value", "best_rating",
                                                       "worst_rating")


def test_source_errors_name_the_field_not_pydantic_internals(client: TestClient) -> None:
    one = client.post("/v1/sources", json={"kind": "fact_check", "claim_reviewed": "x" * 6000})
    many = client.post("/v1/sources", json=[{"kind": "fact_check", "claim_reviewed": "ok"},
                                            {"kind": "document", "text": "t", "url": 5}])
    assert one.status_code == many.status_code == 422
    assert one.json()["errors"] == [{"loc": ["claim_reviewed"],
                                     "msg": "String should have at most 5000 characters"}]
    assert one.json()["detail"].startswith("claim_reviewed: ")
    assert [e["loc"] for e in many.json()["errors"]] == [["1", "url"]]
    odd = client.post("/v1/sources", json=[{"kind": "document", "text": "t"}, "a string"])
    assert [e["loc"] for e in odd.json()["errors"]] == [["1"]]
    assert "function-after" not in one.text + many.text and "SourceCreate" not in many.text


def test_parameters_keep_where_they_are_sent(client: TestClient) -> None:
    response = client.get("/v1/articles", params={"limit": 0})
    assert response.json()["errors"][0]["loc"] == ["query", "limit"]
    assert response.json()["detail"].startswith("query.limit: ")


@pytest.mark.parametrize(("method", "path", "params", "headers"), [
    ("GET", "/v1/sources/search", {"q": "wages\x00"}, {}),
    ("GET", "/v1/claims", {"article_id": "art\x00"}, {}),
    ("GET", "/v1/exports/claims.csv", {"article_id": "art\x00"}, {}),
])
def test_a_nul_in_a_parameter_is_a_422_naming_it(client: TestClient, method: str, path: str,
                                                 params: dict[str, str],
                                                 headers: dict[str, str]) -> None:
    response = client.request(method, path, params=params, headers=headers)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["loc"] == ["query", next(iter(params))]


@pytest.mark.parametrize("values", [
    ["\x00"], ["\ud800"], [{"a": 1}], [1.5], [True], [2**70], [None],
], ids=["nul", "surrogate", "object", "wrong-type", "bool", "huge", "null"])
def test_a_cursor_of_odd_values_is_invalid_cursor(client: TestClient, session: Session,
                                                  values: list[Any]) -> None:
    cursor = encode_cursor(values)
    article = make_article(session)
    for path in ("/v1/articles", f"/v1/articles/{article.id}/claims", "/v1/claims"):
        response = client.get(path, params={"cursor": cursor})
        assert response.status_code == 422, (path, response.text)
        assert response.json()["type"] == PROBLEM + "invalid-cursor"


def test_an_idempotency_key_with_nul_is_a_422(client: TestClient) -> None:
    response = client.post("/v1/articles", json={"text": "The council spent 4 million."},
                           headers={"Idempotency-Key": "key\x00"})
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["loc"] == ["header", "Idempotency-Key"]


@pytest.mark.parametrize("path", ["/v1/articles/art%00x", "/v1/claims/clm%00/history",
                                  "/review/claims/clm%00"])
def test_a_nul_in_a_path_names_nothing(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.json()["type"] == PROBLEM + "not-found"


def _form_field(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]+)"', html)
    assert found, f"no {name} field in the page"
    return found.group(1)


@pytest.mark.parametrize(("fields", "status"), [
    ({"action": "verify", "version": "²"}, 400),  # a digit to str.isdigit, not to int()
    ({"action": "verify", "verdict": "true", "rationale": "fine\x00"}, 422),
    ({"action": "dismiss", "reason": "dupe\x00"}, 422),
], ids=["superscript-version", "nul-rationale", "nul-reason"])
def test_the_review_form_refuses_odd_values_with_a_page(client: TestClient, session: Session,
                                                        make_key: Any, fields: dict[str, str],
                                                        status: int) -> None:
    article = make_article(session)
    store_claims(session, article, [make_claim_record(article.text[:20], 0, score=0.9,
                                                      types=["other"])])
    claim_id = client.get("/v1/claims").json()["items"][0]["id"]
    login = client.get("/review/login")
    client.post("/review/login", data={"key": make_key("reviewer"),
                                       "csrf": _form_field(login.text, "csrf")})
    page = client.get(f"/review/claims/{claim_id}")
    form = {"csrf": _form_field(page.text, "csrf"), "version": _form_field(page.text, "version"),
            **fields}
    response = client.post(f"/review/claims/{claim_id}", data=form)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("text/html")


def served_methods(concrete: str) -> set[str]:
    """What the spec serves on a concrete path (``/v1/sources/search`` is also a source id)."""
    found: set[str] = set()
    for template, item in SPEC["paths"].items():
        if re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", template), concrete):
            found |= {method.upper() for method in item}
    return found


def method_cases() -> list[Any]:
    cases = []
    for template in SPEC["paths"]:
        concrete = re.sub(r"\{[^}]+\}", "x", template)
        allowed = served_methods(concrete)
        other = next(m for m in ("PUT", "PATCH", "DELETE", "POST", "GET") if m not in allowed)
        cases.append(pytest.param(other, concrete, allowed, id=f"{other} {template}"))
    cases.append(pytest.param("DELETE", "/review", {"GET"}, id="DELETE /review"))
    cases.append(pytest.param("PUT", "/review/login", {"GET", "POST"}, id="PUT /review/login"))
    return cases


@pytest.mark.parametrize(("method", "path", "allowed"), method_cases())
def test_405_lists_the_paths_methods_in_allow(client: TestClient, method: str, path: str,
                                              allowed: set[str]) -> None:
    response = client.request(method, path)
    assert response.status_code == 405, response.text
    assert response.json()["type"] == PROBLEM + "method-not-allowed"
    assert set(response.headers["Allow"].split(", ")) == allowed


RFC3339_Z = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z")
LOOKS_LIKE_TIME = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d")


def datetimes(document: Any) -> list[str]:
    """Every string of ``document`` that holds a date and a time."""
    if isinstance(document, dict):
        return [s for value in document.values() for s in datetimes(value)]
    if isinstance(document, list):
        return [s for value in document for s in datetimes(value)]
    return [document] if isinstance(document, str) and LOOKS_LIKE_TIME.match(document) else []


def test_every_datetime_goes_out_as_rfc3339_utc_with_z(client: TestClient,
                                                       session: Session) -> None:
    published = datetime(2024, 5, 1, 9, 30, tzinfo=UTC).isoformat()  # sent as +00:00
    posted = client.post("/v1/articles", json={"text": "The council spent 4 million pounds.",
                                               "published_at": published})
    article = make_article(session, published_at=datetime(2024, 5, 2, 8))  # naive: UTC
    store_claims(session, article, [make_claim_record(article.text[:30], 0, score=0.9,
                                                      types=["other"])])
    claim = client.get(f"/v1/articles/{article.id}").json()["claims"][0]
    hook = client.post("/v1/webhooks", json={"url": PUBLIC_HOOK, "events": ["claim.verified"]})
    assigned = client.post(f"/v1/claims/{claim['id']}/assign")
    verified = client.patch(f"/v1/claims/{claim['id']}", json={
        "state": "verified", "verdict": "true", "rationale": "It checks out."},
        headers={"If-Match": assigned.headers["ETag"]})
    source = client.post("/v1/sources", json={"kind": "document", "text": "Council budget.",
                                              "published_at": "2024-05-01T12:00:00+02:00"})
    answers = [
        posted.json(), source.json(), client.post("/v1/keys", json={"role": "reviewer"}).json(),
        hook.json(), verified.json(), client.get("/v1/articles").json(),
        client.get(f"/v1/articles/{article.id}").json(),
        client.get(f"/v1/sources/{source.json()['id']}").json(),
        client.get("/v1/sources/search", params={"q": "council"}).json(),
        client.get("/v1/keys").json(), client.get("/v1/webhooks").json(),
        client.get(f"/v1/claims/{claim['id']}/history").json(),
        client.get(f"/v1/webhooks/{hook.json()['id']}/deliveries").json(),
        client.get(f"/v1/claims/{claim['id']}/claimreview").json(),
        client.get("/v1/exports/claimreview").json(),
    ]
    found = datetimes(answers)
    csv_text = client.get("/v1/exports/claims.csv").text
    found += re.findall(r"\d{4}-\d\d-\d\dT[^,\r\n]*", csv_text)
    assert len(found) >= 20, found
    assert [s for s in found if not RFC3339_Z.fullmatch(s)] == []
    assert "2024-05-01T09:30:00Z" in found and "2024-05-02T08:00:00Z" in found
    assert "2024-05-01T10:00:00Z" in found  # the source's +02:00, in UTC
