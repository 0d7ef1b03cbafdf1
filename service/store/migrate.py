"""Apply Alembic migrations from code: ``claimdesk migrate`` and app start call this.

Alembic's own INFO lines ("Context impl SQLiteImpl.", "Will assume transactional DDL.") are
kept out of the log at every start; one line of ours says when a migration really ran. On
PostgreSQL an advisory lock makes processes that start together (API replicas) migrate one
after the other: the first upgrades, the others then find the database at head.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, pool, text

from service.store.settings import Settings

_MIGRATIONS = Path(__file__).parent / "migrations"
_LOCK_KEY = 0x636C6D64  # "clmd": the advisory lock upgrades of one PostgreSQL database share
log = logging.getLogger(__name__)


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade_database(settings: Settings, revision: str = "head") -> None:
    """Bring the database to ``revision``, creating the SQLite data directory if needed."""
    url = settings.resolved_database_url()
    if url.startswith("sqlite"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    with _quiet_alembic(), _migration_lock(url):
        before = current_revision(url)
        command.upgrade(alembic_config(url), revision)
        after = current_revision(url)
    if before != after:
        log.info("database migrated from %s to %s", before or "an empty database", after)


def downgrade_database(settings: Settings, revision: str) -> None:
    url = settings.resolved_database_url()
    with _quiet_alembic(), _migration_lock(url):
        command.downgrade(alembic_config(url), revision)


def current_revision(url: str) -> str | None:
    """The revision the database is at (None: not migrated yet)."""
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


@contextmanager
def _quiet_alembic() -> Iterator[None]:
    logger = logging.getLogger("alembic")
    level = logger.level
    logger.setLevel(max(level, logging.WARNING))
    try:
        yield
    finally:
        logger.setLevel(level)


@contextmanager
def _migration_lock(url: str) -> Iterator[None]:
    """On PostgreSQL, hold a session advisory lock while migrating; elsewhere nothing (a
    SQLite file belongs to the one ``claimdesk serve`` on its machine)."""
    if not url.startswith("postgresql"):
        yield
        return
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _LOCK_KEY})
            connection.commit()
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _LOCK_KEY})
                connection.commit()
    finally:
        engine.dispose()
