"""Alembic: an empty SQLite file goes to head and back, and the default organisation exists."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, inspect, text

from service.store.migrate import downgrade_database, upgrade_database
from service.store.models import Base
from service.store.settings import Settings


def test_upgrade_empty_sqlite_to_head_and_back(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    upgrade_database(settings)
    engine = create_engine(settings.resolved_database_url())
    tables = set(inspect(engine).get_table_names())
    assert {"organisations", "articles", "claims"} <= tables
    with engine.connect() as conn:
        assert conn.execute(text("SELECT id FROM organisations")).scalars().all() == [
            "org_default"
        ]
    downgrade_database(settings, "base")
    assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    engine.dispose()


# Tables no organisation owns: the organisations themselves, Alembic's bookkeeping, and
# SQLite's full-text index of passages (its rows are the passages' own, found through them).
UNOWNED = {"organisations", "alembic_version"}


def test_every_owned_table_carries_org_id(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    upgrade_database(settings)
    engine = create_engine(settings.resolved_database_url())
    inspector = inspect(engine)
    tables = {t for t in inspector.get_table_names() if not t.startswith("passages_fts")}
    assert {"articles", "claims", "sources", "passages"} <= tables
    for table in tables - UNOWNED:
        assert "org_id" in {c["name"] for c in inspector.get_columns(table)}, table
    engine.dispose()


def test_every_model_outside_the_organisations_table_carries_org_id() -> None:
    for table in Base.metadata.sorted_tables:
        if table.name not in UNOWNED:
            assert "org_id" in table.columns, table.name
