"""Shared fixtures: a real Redis and a real database for the session, cleaned around each test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import redis as redis_lib
from fastapi.testclient import TestClient
from sqlalchemy import delete
from sqlalchemy.orm import Session

from service.app import create_app
from service.store.db import make_engine, make_session_factory
from service.store.migrate import upgrade_database
from service.store.models import Article, Claim, Organisation, Passage, Source
from service.store.settings import Settings
from tests.support.servers import throwaway_database, throwaway_redis


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
        session.execute(delete(Claim))
        session.execute(delete(Passage))
        session.execute(delete(Source))
        session.execute(delete(Article))
        session.execute(delete(Organisation).where(Organisation.id != "org_default"))
    yield factory
    engine.dispose()


@pytest.fixture
def session(session_factory: object) -> Iterator[Session]:
    with session_factory() as session:  # type: ignore[operator]
        yield session


@pytest.fixture
def client(settings: Settings, session_factory: object) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.fixture(scope="session")
def nlp():
    """The pipeline's spaCy model, loaded once for the session (``load_nlp`` caches it)."""
    from workers.pipeline.pipeline import load_nlp

    return load_nlp()
