"""Shared fixtures: a real Redis and a real database for the session, cleaned around each test."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis as redis_lib
from fastapi.testclient import TestClient
from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from service.app import create_app
from service.store import keys
from service.store.db import make_engine, make_session_factory
from service.store.migrate import upgrade_database
from service.store.models import (
    ApiKey,
    Article,
    Claim,
    ClaimEvent,
    Organisation,
    Passage,
    Source,
    Webhook,
    WebhookDelivery,
    WebSession,
)
from service.store.settings import Settings
from tests.support.observed import watch
from tests.support.servers import throwaway_database, throwaway_redis


@pytest.fixture(autouse=True)
def _root_logging_put_back() -> Iterator[None]:
    """A test running ``claimdesk`` in-process (``cli.main``) points the root logger at the
    stderr pytest captured for it; that stream is closed once the test ends, so the handler
    goes with it."""
    before = list(logging.getLogger().handlers)
    yield
    root = logging.getLogger()
    for handler in [h for h in root.handlers if h not in before]:
        root.removeHandler(handler)


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    with throwaway_redis() as url:
        yield url


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with throwaway_database(tmp_path_factory.mktemp("db")) as url:
        upgrade_database(Settings(database_url=url))
        yield url


@pytest.fixture
def redis(redis_url: str) -> Iterator[redis_lib.Redis]:
    """A real Redis, flushed before and after each test (RQ's habit)."""
    client = redis_lib.Redis.from_url(redis_url)
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


@pytest.fixture
def settings(database_url: str, redis_url: str, tmp_path: Path,
             monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings for one test; the env carries them to jobs run in this process."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("REDIS_URL", redis_url)
    monkeypatch.setenv("CLAIMDESK_DATA_DIR", str(tmp_path))
    return Settings(database_url=database_url, redis_url=redis_url, data_dir=tmp_path,
                    sweep_interval=0)


@pytest.fixture
def session_factory(settings: Settings, redis: redis_lib.Redis) -> Iterator[object]:
    engine = make_engine(settings.resolved_database_url())
    factory = make_session_factory(engine)
    with factory() as session, session.begin():
        for table in (WebhookDelivery, Webhook, WebSession, ApiKey, ClaimEvent):
            session.execute(delete(table))
        session.execute(delete(Claim))
        session.execute(delete(Passage))
        session.execute(delete(Source))
        session.execute(delete(Article))
        session.execute(delete(Organisation).where(Organisation.id != "org_default"))
        session.execute(update(Organisation).values(rating_scale=None))
    yield factory
    engine.dispose()


@pytest.fixture
def session(session_factory: object) -> Iterator[Session]:
    with session_factory() as session:  # type: ignore[operator]
        yield session


@pytest.fixture
def make_key(session_factory: object) -> Callable[..., str]:
    """``make_key(role, org="org_default")``: a real API key (the organisation made if new)."""

    def make(role: str = "admin", org: str = "org_default", name: str | None = None) -> str:
        with session_factory() as session:  # type: ignore[operator]
            _, secret = keys.create_key(session, org_id=org, role=role, name=name)
            session.commit()
        return secret

    return make


def bearer(key: str) -> dict[str, str]:
    """The header that sends ``key``."""
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
def client(settings: Settings, session_factory: object,
           make_key: Callable[..., str]) -> Iterator[TestClient]:
    """The app, calling as an admin of the default organisation unless a test sends its own
    ``Authorization``."""
    with TestClient(create_app(settings)) as client:
        watch(client)  # for tests/api/test_openapi_statuses.py
        client.headers.update(bearer(make_key("admin", name="test admin")))
        yield client


@pytest.fixture(scope="session")
def nlp():
    """The pipeline's spaCy model, loaded once for the session (``load_nlp`` caches it)."""
    from workers.pipeline.pipeline import load_nlp

    return load_nlp()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked ``last`` run after the others: they read what the others observed."""
    items.sort(key=lambda item: item.get_closest_marker("last") is not None)
