"""The API describes itself truthfully: problem responses, the bearer key, typed spans, a
description on every field, and docs that load nothing from another host."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

PROBLEM_REF = "#/components/schemas/Problem"
PROBLEM_JSON = "application/problem+json"


@pytest.fixture
def spec(client: TestClient) -> dict[str, Any]:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    return response.json()  # type: ignore[no-any-return]


def operations(spec: dict[str, Any], prefix: str = "") -> list[tuple[str, str, dict[str, Any]]]:
    return [(method.upper(), path, operation) for path, item in spec["paths"].items()
            if path.startswith(prefix) for method, operation in item.items()]


def test_docs_page_refers_only_to_this_service(client: TestClient) -> None:
    anonymous = TestClient(client.app)  # no key: the docs are public
    page = anonymous.get("/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert not re.search(r"https?://|(?:src|href)=\"//", page.text), "a URL of another host"
    urls = re.findall(r"(?:src|href)=\"([^\"]+)\"", page.text)
    assert len(urls) == 3 and all(url.startswith("/docs/assets/") for url in urls), urls
    assert "url: '/openapi.json'" in page.text
    assert anonymous.get("/openapi.json").status_code == 200


def test_docs_assets_are_served_from_the_package(client: TestClient) -> None:
    kinds = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}
    for url in re.findall(r"(?:src|href)=\"([^\"]+)\"", client.get("/docs").text):
        response = client.get(url)
        assert response.status_code == 200, url
        expected = next(kind for end, kind in kinds.items() if url.endswith(end))
        assert response.headers["content-type"].startswith(expected), url
        assert len(response.content) > 500, url
    assert "SwaggerUIBundle" in client.get("/docs/assets/swagger-ui-bundle.js").text


def test_docs_serve_no_other_file_and_no_redoc(client: TestClient) -> None:
    for path in ("/docs/assets/index.html", "/docs/assets/..%2Fswagger-ui.css",
                 "/docs/assets/swagger-initializer.js", "/redoc"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.headers["content-type"] == PROBLEM_JSON


def test_docs_routes_are_not_in_the_schema(spec: dict[str, Any]) -> None:
    assert not [path for path in spec["paths"] if path.startswith(("/docs", "/redoc"))]


def test_bearer_scheme_is_required_by_every_v1_operation_only(spec: dict[str, Any]) -> None:
    scheme = spec["components"]["securitySchemes"]["bearer"]
    assert scheme["type"] == "http" and scheme["scheme"] == "bearer"
    v1 = operations(spec, "/v1/")
    assert len(v1) >= 15
    for method, path, operation in v1:
        assert operation.get("security") == [{"bearer": []}], (method, path)
    for method, path, operation in operations(spec):
        if not path.startswith("/v1/"):
            assert "security" not in operation, (method, path)
    assert {"/healthz", "/readyz"} <= set(spec["paths"])


def test_every_v1_error_response_is_a_problem_document(spec: dict[str, Any]) -> None:
    for method, path, operation in operations(spec, "/v1/"):
        errors = {status: r for status, r in operation["responses"].items() if status >= "400"}
        assert "401" in errors, (method, path)
        for status, response in errors.items():
            assert list(response["content"]) == [PROBLEM_JSON], (method, path, status)
            assert response["content"][PROBLEM_JSON]["schema"] == {"$ref": PROBLEM_REF}
            assert "https://claimdesk.dev/problems/" in response["description"]


def test_fastapis_own_validation_error_is_gone(spec: dict[str, Any]) -> None:
    text = json.dumps(spec)
    assert "HTTPValidationError" not in text and '"ValidationError"' not in text
    problem = spec["components"]["schemas"]["Problem"]
    assert {"type", "title", "status"} <= set(problem["required"])
    assert {"detail", "instance", "errors"} <= set(problem["properties"])
    assert problem.get("additionalProperties") is True


def test_statuses_follow_from_what_a_route_takes(spec: dict[str, Any]) -> None:
    for method, path, operation in operations(spec, "/v1/"):
        statuses = set(operation["responses"])
        where = {param["in"] for param in operation.get("parameters", [])}
        if "path" in where:
            assert "404" in statuses, (method, path)
        if "requestBody" in operation:
            assert {"413", "422"} <= statuses, (method, path)
        assert "503" in statuses, (method, path)
    create = spec["paths"]["/v1/articles"]["post"]["responses"]
    assert {"202", "409", "413", "415", "422"} <= set(create)
    patch = spec["paths"]["/v1/claims/{claim_id}"]["patch"]["responses"]
    assert {"403", "409", "412", "428"} <= set(patch)
    assert {"200", "201"} <= set(spec["paths"]["/v1/sources"]["post"]["responses"])


def test_every_field_and_parameter_is_described(spec: dict[str, Any]) -> None:
    bare = [f"{name}.{prop}" for name, schema in spec["components"]["schemas"].items()
            for prop, value in schema.get("properties", {}).items()
            if not value.get("description")]
    assert not bare, bare
    bare = [f"{method} {path} {param['name']}" for method, path, operation in operations(spec)
            for param in operation.get("parameters", []) if not param.get("description")]
    assert not bare, bare


def test_spans_are_a_union_told_apart_by_kind(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    items = schemas["ClaimOut"]["properties"]["spans"]["items"]
    kinds = {"quantity": "QuantitySpan", "date": "DateSpan", "entity": "EntitySpan",
             "quote": "QuoteSpan"}
    assert items["discriminator"] == {
        "propertyName": "kind",
        "mapping": {kind: f"#/components/schemas/{name}" for kind, name in kinds.items()},
    }
    assert len(items["oneOf"]) == 4
    for kind, name in kinds.items():
        assert schemas[name]["properties"]["kind"]["const"] == kind
    quantity = schemas["QuantityValue"]
    assert set(quantity["required"]) == {"value", "upper", "unit", "comparator"}
    assert set(quantity["properties"]["comparator"]["enum"]) == {"=", ">", ">=", "<", "<=", "~"}
    date = schemas["DateValue"]["properties"]["granularity"]
    assert set(date["enum"]) == {"day", "month", "quarter", "year"}
    assert "label" in schemas["EntitySpan"]["required"]
    assert set(schemas["QuoteSpan"]["properties"]) == {"kind", "text", "start", "end"}


def test_route_tables_name_routes_that_exist(spec: dict[str, Any]) -> None:
    from service.api.openapi import ROUTE_PROBLEMS, ROUTE_SUCCESSES

    documented = {(method, path) for method, path, _ in operations(spec)}
    assert set(ROUTE_PROBLEMS) | set(ROUTE_SUCCESSES) <= documented
