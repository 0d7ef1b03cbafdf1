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
# SQLite's full-text indexes of passages and claims (their rows are the passages' and claims'
# own, found through them).
UNOWNED = {"organisations", "alembic_version"}
FULL_TEXT = ("passages_fts", "claims_fts")


def test_every_owned_table_carries_org_id(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    upgrade_database(settings)
    engine = create_engine(settings.resolved_database_url())
    inspector = inspect(engine)
    tables = {t for t in inspector.get_table_names() if not t.startswith(FULL_TEXT)}
    assert {"articles", "claims", "sources", "passages"} <= tables
    for table in tables - UNOWNED:
        assert "org_id" in {c["name"] for c in inspector.get_columns(table)}, table
    engine.dispose()


def test_every_model_outside_the_organisations_table_carries_org_id() -> None:
    for table in Base.metadata.sorted_tables:
        if table.name not in UNOWNED:
            assert "org_id" in table.columns, table.name


def test_0006_records_the_sources_that_stored_evidence_cites(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    upgrade_database(settings, "0005")
    engine = create_engine(settings.resolved_database_url())
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO articles (id, org_id, state, text, language, received_at, metadata, "
            "source_format, request_hash, updated_at) VALUES ('art_1', 'org_default', "
            "'processed', 'x', 'en', '2024-01-01', '{}', 'text', 'h', '2024-01-01')"))
        conn.execute(text(
            "INSERT INTO claims (id, org_id, article_id, position, text, start_offset, "
            "end_offset, statement, sentence_start, sentence_end, checkworthiness, types_text, "
            "spans, evidence, auto, auto_confidence, state, version, created_at) VALUES "
            "('clm_1', 'org_default', 'art_1', 0, 'x', 0, 1, 'Exports rose.', 0, 1, 0.5, '', "
            "'[]', :evidence, 'related', 0.5, 'queued', 1, '2024-01-01')"),
            {"evidence": '[{"source_id": "src_a"}, {"source_id": "src_b"}, '
                         '{"source_id": "src_a"}]'})
    upgrade_database(settings)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT claim_id, source_id FROM claim_sources "
                                 "ORDER BY source_id")).all()
        matches = conn.execute(text("SELECT rowid FROM claims_fts WHERE claims_fts "
                                    "MATCH 'exports'")).all()
    assert [tuple(row) for row in rows] == [("clm_1", "src_a"), ("clm_1", "src_b")]
    assert len(matches) == 1
    engine.dispose()
