"""evidence sources and their full-text passages

SQLite: an FTS5 external-content table ``passages_fts`` (porter stemming) kept in step with
``passages`` by triggers. PostgreSQL: a generated ``tsvector`` column ``passages.tsv``
(English configuration; ``text`` weighted A, ``heading`` B) with a GIN index.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 09:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_SQLITE_UP = [
    "CREATE VIRTUAL TABLE passages_fts USING fts5(text, heading, content='passages', "
    "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER passages_fts_insert AFTER INSERT ON passages BEGIN "
    "INSERT INTO passages_fts(rowid, text, heading) VALUES (new.id, new.text, new.heading); "
    "END",
    "CREATE TRIGGER passages_fts_delete AFTER DELETE ON passages BEGIN "
    "INSERT INTO passages_fts(passages_fts, rowid, text, heading) "
    "VALUES ('delete', old.id, old.text, old.heading); END",
    "CREATE TRIGGER passages_fts_update AFTER UPDATE OF text, heading ON passages BEGIN "
    "INSERT INTO passages_fts(passages_fts, rowid, text, heading) "
    "VALUES ('delete', old.id, old.text, old.heading); "
    "INSERT INTO passages_fts(rowid, text, heading) VALUES (new.id, new.text, new.heading); "
    "END",
]
_SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS passages_fts_update",
    "DROP TRIGGER IF EXISTS passages_fts_delete",
    "DROP TRIGGER IF EXISTS passages_fts_insert",
    "DROP TABLE IF EXISTS passages_fts",
]
_POSTGRES_UP = [
    "ALTER TABLE passages ADD COLUMN tsv tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('english'::regconfig, text), 'A') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(heading, '')), 'B')) STORED",
    "CREATE INDEX ix_passages_tsv ON passages USING gin (tsv)",
]
_POSTGRES_DOWN = ["DROP INDEX IF EXISTS ix_passages_tsv"]


def upgrade() -> None:
    op.create_table(
        "sources",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("org_id", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("publisher", sa.Text(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("claim_reviewed", sa.Text(), nullable=True),
        sa.Column("claimant", sa.Text(), nullable=True),
        sa.Column("rating_text", sa.Text(), nullable=True),
        sa.Column("rating_value", sa.Float(), nullable=True),
        sa.Column("best_rating", sa.Float(), nullable=True),
        sa.Column("worst_rating", sa.Float(), nullable=True),
        sa.Column("metadata", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["organisations.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_sources_org_url", "sources", ["org_id", "url"], unique=True)
    op.create_index("ix_sources_org_kind", "sources", ["org_id", "kind"], unique=False)
    op.create_table(
        "passages",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("org_id", sa.String(length=40), nullable=False),
        sa.Column("source_id", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("start_offset", sa.Integer(), nullable=False),
        sa.Column("end_offset", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("heading", sa.Text(), nullable=True),
        sa.Column("spans", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["org_id"], ["organisations.id"]),
        sa.ForeignKeyConstraint(["source_id"], ["sources.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_passages_source", "passages", ["source_id", "position"], unique=False)
    for statement in _dialect_statements(up=True):
        op.execute(statement)


def downgrade() -> None:
    for statement in _dialect_statements(up=False):
        op.execute(statement)
    op.drop_index("ix_passages_source", table_name="passages")
    op.drop_table("passages")
    op.drop_index("ix_sources_org_kind", table_name="sources")
    op.drop_index("ix_sources_org_url", table_name="sources")
    op.drop_table("sources")


def _dialect_statements(*, up: bool) -> list[str]:
    name = op.get_bind().dialect.name
    if name == "sqlite":
        return _SQLITE_UP if up else _SQLITE_DOWN
    if name == "postgresql":
        return _POSTGRES_UP if up else _POSTGRES_DOWN
    raise NotImplementedError(f"full-text search is not set up for {name}")
