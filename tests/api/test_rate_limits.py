"""Rate limits per API key, by role: 429 with Retry-After past the burst, fail open on outages."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.store.ratelimit import KEY_PREFIX, RateLimit, TokenBuckets, parse_rate_limit
from service.store.settings import Settings
from tests.conftest import bearer
from tests.support.observed import watch
from tests.support.servers import free_port

PROBLEM = "https://claimdesk.dev/problems/"
# Small bursts refilled slowly (a token every 20 s), so a slow machine cannot refill one
# between the requests of a test; the test of waiting builds its own faster limit.
TIGHT = {"rate_limit_submitter": "3/m burst 3", "rate_limit_reviewer": "3/m burst 6",
         "rate_limit_admin": "off"}


def limited_client(settings: Settings, **limits: str) -> TestClient:
    client = TestClient(create_app(settings.model_copy(update=limits)))
    watch(client)  # for tests/api/test_openapi_statuses.py
    return client


@pytest.fixture
def tight(settings: Settings, session_factory, redis) -> Iterator[TestClient]:
    with limited_client(settings, **TIGHT) as client:
        yield client


def spend(client: TestClient, key: str, times: int) -> list[int]:
    return [client.get("/v1/articles", headers=bearer(key)).status_code for _ in range(times)]


def test_requests_past_the_burst_get_429_with_retry_after(tight: TestClient, make_key) -> None:
    key = make_key("submitter")
    assert spend(tight, key, 3) == [200, 200, 200]
    response = tight.get("/v1/articles", headers=bearer(key))
    assert response.status_code == 429
    assert response.headers["content-type"] == "application/problem+json"
    retry_after = int(response.headers["Retry-After"])
    assert 1 <= retry_after <= 20
    problem = response.json()
    assert problem["type"] == PROBLEM + "rate-limited" and problem["status"] == 429
    assert problem["retry_after"] == retry_after and problem["limit"] == "3/m burst 3"
    assert "submitter" in problem["detail"]


def test_a_key_works_again_after_retry_after(settings, session_factory, redis,
                                             make_key) -> None:
    key = make_key("submitter")
    with limited_client(settings, rate_limit_submitter="1/s burst 1") as client:
        assert spend(client, key, 2) == [200, 429]
        refused = client.get("/v1/articles", headers=bearer(key))
        assert refused.headers["Retry-After"] == "1"
        time.sleep(1)
        assert spend(client, key, 2) == [200, 429]


def test_another_key_is_not_limited_by_one_that_is(tight: TestClient, make_key) -> None:
    first, second = make_key("submitter"), make_key("submitter")
    spend(tight, first, 4)
    assert spend(tight, second, 3) == [200, 200, 200]
    other_org = make_key("submitter", org="org_other")
    assert spend(tight, other_org, 3) == [200, 200, 200]


def test_limits_differ_by_role(tight: TestClient, make_key) -> None:
    assert spend(tight, make_key("submitter"), 4).count(429) == 1
    assert spend(tight, make_key("reviewer"), 7) == [200] * 6 + [429]
    assert 429 not in spend(tight, make_key("admin"), 30)  # "off"


def test_every_kind_of_route_is_limited(tight: TestClient, make_key) -> None:
    key = bearer(make_key("submitter"))
    spend(tight, key["Authorization"].removeprefix("Bearer "), 3)
    for method, path, body in (("POST", "/v1/articles", {"text": "Exports rose."}),
                               ("POST", "/v1/articles/batch", {"articles": [{"text": "a b"}]}),
                               ("GET", "/v1/claims", None),
                               ("GET", "/v1/articles/art_missing", None),
                               ("POST", "/v1/keys", {"role": "submitter"})):
        response = tight.request(method, path, json=body, headers=key)
        assert response.status_code == 429, (method, path, response.text)


def test_a_key_that_is_not_valid_gets_401_not_429(tight: TestClient, make_key) -> None:
    for _ in range(5):
        response = tight.get("/v1/articles", headers=bearer("cdk_not-a-key"))
        assert response.status_code == 401


def test_probes_and_docs_are_not_limited(tight: TestClient) -> None:
    assert {tight.get("/healthz").status_code for _ in range(10)} == {200}


def test_redis_down_lets_requests_through_and_logs_once(settings, session_factory, make_key,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    down = settings.model_copy(update={**TIGHT, "redis_url":
                                       f"redis://127.0.0.1:{free_port()}/0"})
    caplog.set_level(logging.WARNING, logger="service.api.ratelimit")
    with TestClient(create_app(down), headers=bearer(make_key("submitter"))) as client:
        statuses = [client.get("/v1/articles").status_code for _ in range(6)]
    assert statuses == [200] * 6
    warnings = [r for r in caplog.records if r.name == "service.api.ratelimit"]
    assert len(warnings) == 1 and "rate limits are off" in warnings[0].getMessage()


def test_openapi_documents_429_with_retry_after_on_v1_routes(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            documented = operation["responses"].get("429")
            if path.startswith("/v1/"):
                assert documented is not None, (method, path)
                assert "Retry-After" in documented["headers"], (method, path)
            else:
                assert documented is None, (method, path)


def test_token_bucket_refills_at_its_rate(redis) -> None:
    buckets = TokenBuckets(redis)
    limit = RateLimit(per_second=20.0, burst=2, spec="20/s burst 2")
    assert [buckets.take("key_a", limit).allowed for _ in range(3)] == [True, True, False]
    refused = buckets.take("key_a", limit)
    assert 0 < refused.retry_after <= 0.05
    time.sleep(0.06)
    assert buckets.take("key_a", limit).allowed
    assert 0 < redis.pttl(KEY_PREFIX + "key_a") <= 1100  # gone once it would be full again


@pytest.mark.parametrize(
    ("spec", "per_second", "burst"),
    [
        # per second, with a burst
        ("20/s burst 100", 20.0, 100),
        # per minute: the burst defaults to the count
        ("600/m", 10.0, 600),
        # per hour, spelled out
        ("3600 / hour burst 10", 1.0, 10),
        # fractions
        ("0.5/s burst 1", 0.5, 1),
    ],
)
def test_parse_rate_limit(spec: str, per_second: float, burst: int) -> None:
    limit = parse_rate_limit(spec)
    assert limit is not None
    assert (limit.per_second, limit.burst) == (per_second, burst)


@pytest.mark.parametrize("spec", ["off", "OFF", "0", ""])
def test_parse_rate_limit_off(spec: str) -> None:
    assert parse_rate_limit(spec) is None


@pytest.mark.parametrize("spec", ["20", "20/d", "fast", "20/s burst", "-1/s", "0/s"])
def test_parse_rate_limit_refuses_other_text(spec: str) -> None:
    with pytest.raises(ValueError):
        parse_rate_limit(spec)


def test_settings_refuse_a_rate_limit_they_cannot_read() -> None:
    with pytest.raises(ValueError, match="RATE/UNIT"):
        Settings(rate_limit_submitter="lots")
