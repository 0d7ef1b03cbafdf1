"""Apply Alembic migrations from code: ``claimdesk migrate`` and app start call this."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from service.store.settings import Settings

_MIGRATIONS = Path(__file__).parent / "migrations"


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
    command.upgrade(alembic_config(url), revision)


def downgrade_database(settings: Settings, revision: str) -> None:
    command.downgrade(alembic_config(settings.resolved_database_url()), revision)
