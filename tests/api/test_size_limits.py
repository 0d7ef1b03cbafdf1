"""Every input has a size limit, and going over it is a clear problem (413 or 422); requests
have a time limit (503); an article keeps at most ``max_claims_per_article`` claims."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.responses import StreamingResponse
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from service.app import create_app
from service.sources_import import ImportFailure, import_sources, run_import_command
from service.store import claims
from service.store.db import make_engine
from service.store.models import Source
from service.store.settings import Settings
from tests.conftest import bearer
from tests.factories import make_article, make_claim_record
from tests.support.observed import watch

PROBLEM = "https://claimdesk.dev/problems/"


def app_client(settings: Settings, make_key, **limits: object) -> TestClient:
    client = TestClient(create_app(settings.model_copy(update=limits)),
                        headers=bearer(make_key()))
    watch(client)  # for tests/api/test_openapi_statuses.py
    return client


def assert_problem(response, status: int, kind: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == PROBLEM + kind and problem["detail"]
    return problem


def test_article_text_over_the_limit_is_422(client: TestClient, settings) -> None:
    response = client.post("/v1/articles", json={"text": "a" * (settings.max_article_chars + 1)})
    problem = assert_problem(response, 422, "article-too-long")
    assert problem["max_chars"] == settings.max_article_chars
    assert problem["chars"] == settings.max_article_chars + 1
    at_limit = client.post("/v1/articles", json={"text": "a " * (settings.max_article_chars // 2)})
    assert at_limit.status_code == 202


def test_html_over_its_limit_or_giving_too_much_text_is_422(settings, session_factory,
                                                           make_key) -> None:
    html = "<html><body><p>" + "Exports rose. " * 100 + "</p></body></html>"
    with app_client(settings, make_key, max_html_chars=len(html) - 1) as client:
        problem = assert_problem(client.post("/v1/articles", json={"html": html}), 422,
                                 "article-too-long")
        assert problem["max_chars"] == len(html) - 1 and "HTML" in problem["detail"]
    with app_client(settings, make_key, max_article_chars=500) as client:
        problem = assert_problem(client.post("/v1/articles", json={"html": html}), 422,
                                 "article-too-long")
        assert "article text" in problem["detail"]
        assert client.post("/v1/articles", json={"html": "<p>Exports rose.</p>"}
                           ).status_code == 202


@pytest.mark.parametrize(
    ("path", "body"),
    [
        # a title over 1000 characters
        ("/v1/articles", {"text": "Exports rose.", "title": "t" * 1001}),
        # an article URL over 4000 characters
        ("/v1/articles", {"text": "Exports rose.", "url": "https://a.example/" + "p" * 4000}),
        # a webhook URL over 2000 characters
        ("/v1/webhooks", {"url": "https://hooks.example.org/" + "p" * 2000,
                          "events": ["claim.verified"]}),
        # a source URL over 2000 characters
        ("/v1/sources", {"kind": "document", "text": "Exports rose.",
                         "url": "https://a.example/" + "p" * 2000}),
        # more than 1000 sources in one request
        ("/v1/sources", [{"kind": "document", "text": "Exports rose."}] * 1001),
    ],
)
def test_fields_over_their_limit_are_422(client: TestClient, path: str, body: object) -> None:
    assert_problem(client.post(path, json=body), 422, "invalid-input")


def test_a_body_over_the_limit_is_413_on_every_route_that_takes_one(settings, session_factory,
                                                                    make_key) -> None:
    with app_client(settings, make_key, max_body_bytes=1_000) as client:
        big = "x" * 2_000
        for path, body in (("/v1/articles", {"text": big}),
                           ("/v1/sources", {"kind": "document", "text": big}),
                           ("/v1/webhooks", {"url": big, "events": ["claim.verified"]})):
            problem = assert_problem(client.post(path, json=body), 413, "payload-too-large")
            assert problem["max_bytes"] == 1_000


def test_import_file_over_the_size_limit_is_refused_whole(session_factory,
                                                          tmp_path: Path) -> None:
    path = tmp_path / "checks.jsonl"
    path.write_text(json.dumps({"kind": "document", "text": "Exports rose."}) + "\n")
    with pytest.raises(ImportFailure, match="CLAIMDESK_MAX_IMPORT_BYTES"):
        import_sources(session_factory, org_id="org_default", path=path, progress=False,
                       max_bytes=10)
    with session_factory() as session:
        assert session.scalars(select(Source)).first() is None


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "claimreview"])
def test_import_file_with_too_many_records_is_refused_before_storing(
        session_factory, tmp_path: Path, fmt: str) -> None:
    records = [{"kind": "document", "text": f"Exports rose {i} percent.",
                "url": f"https://a.example/{i}"} for i in range(3)]
    path = tmp_path / f"sources.{fmt}"
    if fmt == "jsonl":
        path.write_text("".join(json.dumps(r) + "\n" for r in records))
    elif fmt == "csv":
        path.write_text("kind,text,url\n" + "".join(
            f"{r['kind']},{r['text']},{r['url']}\n" for r in records))
    else:
        path.write_text(json.dumps([{"@type": "ClaimReview", "claimReviewed": r["text"],
                                     "url": r["url"]} for r in records]))
    with pytest.raises(ImportFailure, match="CLAIMDESK_MAX_IMPORT_RECORDS"):
        import_sources(session_factory, org_id="org_default", path=path, fmt=fmt,
                       progress=False, max_records=2)
    with session_factory() as session:
        assert session.scalars(select(Source)).first() is None
    summary = import_sources(session_factory, org_id="org_default", path=path, fmt=fmt,
                             progress=False, max_records=3)
    assert summary.imported == 3


def test_import_command_reads_its_limits_from_the_settings(
        session_factory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "sources.jsonl"
    path.write_text("".join(json.dumps({"kind": "document", "text": f"Rose {i}."}) + "\n"
                            for i in range(5)))
    monkeypatch.setenv("CLAIMDESK_MAX_IMPORT_RECORDS", "4")
    assert run_import_command(str(path), fmt=None, maps=[], org_id=None) == 2
    assert "more than 4 records" in capsys.readouterr().err


def test_claims_past_the_cap_keep_the_most_checkworthy_in_text_order(session) -> None:
    text = "Alpha rose 1%. Beta rose 2%. Gamma rose 3%. Delta rose 4%."
    article = make_article(session, text=text)
    scores = [0.6, 0.9, 0.2, 0.9]
    records = [make_claim_record(sentence + ".", text.index(sentence), score=score,
                                 types=["quantity"])
               for sentence, score in zip(text.rstrip(".").split(". "), scores, strict=True)]
    rows = claims.replace_claims(session, org_id="org_default", article_id=article.id,
                                 records=records, max_claims=3)
    assert [row.text.split()[0] for row in rows] == ["Alpha", "Beta", "Delta"]
    assert [row.position for row in rows] == [0, 1, 2]
    assert len(claims.replace_claims(session, org_id="org_default", article_id=article.id,
                                     records=records, max_claims=10)) == 4


def test_process_article_applies_max_claims_per_article(session_factory, redis,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from workers.jobs import process_article

    monkeypatch.setenv("CLAIMDESK_MAX_CLAIMS_PER_ARTICLE", "1")
    with session_factory() as session:
        article = make_article(session)  # the Krishna article: several claims
    process_article(article_id=article.id, org_id="org_default")
    with session_factory() as session:
        stored = claims.article_claim_rows(session, org_id="org_default", article_id=article.id)
    assert len(stored) == 1


@pytest.fixture
def slow_client(settings: Settings, session_factory, make_key) -> Iterator[TestClient]:
    """The app with a 1 s request timeout and routes slower than that (1 s leaves a loaded CI
    machine room to start an answer that is on time)."""
    with _slow_app(settings, make_key, timeout=1.0, stream_pause=1.5) as client:
        yield client


@pytest.fixture
def stream_client(settings: Settings, session_factory, make_key) -> Iterator[TestClient]:
    """A 3 s timeout and a stream that starts at once, then pauses past it: starting an answer
    must not race the clock on a busy machine, running past the timeout is what is tested."""
    with _slow_app(settings, make_key, timeout=3.0, stream_pause=3.5) as client:
        yield client


@contextmanager
def _slow_app(settings: Settings, make_key, *, timeout: float,
              stream_pause: float) -> Iterator[TestClient]:
    app = create_app(settings.model_copy(update={"request_timeout": timeout}))

    @app.get("/test/slow-async", include_in_schema=False)
    async def slow_async() -> dict[str, str]:
        await asyncio.sleep(5)
        return {"late": "yes"}

    @app.get("/test/slow-sync", include_in_schema=False)
    def slow_sync() -> dict[str, str]:
        time.sleep(5)
        return {"late": "yes"}

    @app.get("/test/stream", include_in_schema=False)
    def stream() -> StreamingResponse:
        def chunks() -> Iterator[bytes]:
            yield b"started;"
            time.sleep(stream_pause)
            yield b"finished"
        return StreamingResponse(chunks(), media_type="text/plain")

    with TestClient(app, headers=bearer(make_key())) as client:
        yield client


@pytest.mark.parametrize("path", ["/test/slow-async", "/test/slow-sync"])
def test_a_request_over_the_timeout_gets_503(slow_client: TestClient, path: str) -> None:
    started = time.monotonic()
    response = slow_client.get(path)
    assert time.monotonic() - started < 3.5  # the routes take 5 s
    problem = assert_problem(response, 503, "request-timeout")
    assert problem["timeout_seconds"] == 1.0


def test_requests_within_the_timeout_and_started_streams_are_answered(
        stream_client: TestClient) -> None:
    assert stream_client.get("/v1/articles").status_code == 200
    response = stream_client.get("/test/stream")
    assert response.status_code == 200 and response.text == "started;finished"


def test_postgresql_statements_over_the_timeout_are_cancelled(database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("statement_timeout is PostgreSQL's (set TEST_DATABASE_URL)")
    from sqlalchemy import text

    engine = make_engine(database_url, statement_timeout=0.2)
    try:
        with engine.connect() as conn, pytest.raises(OperationalError, match="statement timeout"):
            conn.execute(text("SELECT pg_sleep(2)"))
    finally:
        engine.dispose()
