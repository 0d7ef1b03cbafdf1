"""what re-linking finds claims by: the sources they cite, and their statements' words

- ``claim_sources``: one row per source a claim's evidence cites (``claims.evidence`` keeps the
  full items), so the claims citing a changed or deleted source are an index lookup. Filled
  from the evidence already stored.
- Full-text index of ``claims.statement``, the passages' design (0002) applied to claims:
  SQLite, an FTS5 external-content table ``claims_fts`` (porter stemming) kept in step by
  triggers, keyed by the claims table's rowid (``claims.id`` is text, so the rowid is
  implicit: a ``VACUUM`` may renumber it, after which
  ``INSERT INTO claims_fts(claims_fts) VALUES ('rebuild')`` re-indexes); PostgreSQL, a
  generated ``tsvector`` column ``claims.tsv`` (English configuration) with a GIN index.
- ``ix_sources_org_updated``: the sources an import created or changed, in order.
- PostgreSQL: ``claims.linked_at`` becomes ``timestamp with time zone`` like every other
  timestamp (0005 added it without one; values are UTC).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_SQLITE_UP = [
    "CREATE VIRTUAL TABLE claims_fts USING fts5(statement, content='claims', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER claims_fts_insert AFTER INSERT ON claims BEGIN "
    "INSERT INTO claims_fts(rowid, statement) VALUES (new.rowid, new.statement); END",
    "CREATE TRIGGER claims_fts_delete AFTER DELETE ON claims BEGIN "
    "INSERT INTO claims_fts(claims_fts, rowid, statement) "
    "VALUES ('delete', old.rowid, old.statement); END",
    "CREATE TRIGGER claims_fts_update AFTER UPDATE OF statement ON claims BEGIN "
    "INSERT INTO claims_fts(claims_fts, rowid, statement) "
    "VALUES ('delete', old.rowid, old.statement); "
    "INSERT INTO claims_fts(rowid, statement) VALUES (new.rowid, new.statement); END",
    "INSERT INTO claims_fts(claims_fts) VALUES ('rebuild')",
    "INSERT OR IGNORE INTO claim_sources (claim_id, source_id, org_id) "
    "SELECT DISTINCT c.id, json_extract(e.value, '$.source_id'), c.org_id "
    "FROM claims AS c, json_each(c.evidence) AS e "
    "WHERE json_extract(e.value, '$.source_id') IS NOT NULL",
]
_SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS claims_fts_update",
    "DROP TRIGGER IF EXISTS claims_fts_delete",
    "DROP TRIGGER IF EXISTS claims_fts_insert",
    "DROP TABLE IF EXISTS claims_fts",
]
_POSTGRES_UP = [
    "ALTER TABLE claims ADD COLUMN tsv tsvector GENERATED ALWAYS AS ("
    "to_tsvector('english'::regconfig, statement)) STORED",
    "CREATE INDEX ix_claims_tsv ON claims USING gin (tsv)",
    "ALTER TABLE claims ALTER COLUMN linked_at TYPE timestamp with time zone "
    "USING linked_at AT TIME ZONE 'UTC'",
    "INSERT INTO claim_sources (claim_id, source_id, org_id) "
    "SELECT DISTINCT c.id, e.value ->> 'source_id', c.org_id "
    "FROM claims AS c CROSS JOIN LATERAL json_array_elements(c.evidence::json) AS e(value) "
    "WHERE e.value ->> 'source_id' IS NOT NULL ON CONFLICT DO NOTHING",
]
_POSTGRES_DOWN = [
    "ALTER TABLE claims ALTER COLUMN linked_at TYPE timestamp without time zone "
    "USING linked_at AT TIME ZONE 'UTC'",
    "DROP INDEX IF EXISTS ix_claims_tsv",
    "ALTER TABLE claims DROP COLUMN IF EXISTS tsv",
]


def upgrade() -> None:
    op.create_table(
        "claim_sources",
        sa.Column("claim_id", sa.String(length=40), nullable=False),
        sa.Column("source_id", sa.String(length=40), nullable=False),
        sa.Column("org_id", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["claim_id"], ["claims.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["org_id"], ["organisations.id"]),
        sa.PrimaryKeyConstraint("claim_id", "source_id"),
    )
    op.create_index("ix_claim_sources_source", "claim_sources", ["org_id", "source_id"])
    op.create_index("ix_sources_org_updated", "sources", ["org_id", "updated_at"])
    for statement in _dialect_statements(up=True):
        op.execute(statement)


def downgrade() -> None:
    for statement in _dialect_statements(up=False):
        op.execute(statement)
    op.drop_index("ix_sources_org_updated", table_name="sources")
    op.drop_index("ix_claim_sources_source", table_name="claim_sources")
    op.drop_table("claim_sources")


def _dialect_statements(*, up: bool) -> list[str]:
    name = op.get_bind().dialect.name
    if name == "sqlite":
        return _SQLITE_UP if up else _SQLITE_DOWN
    if name == "postgresql":
        return _POSTGRES_UP if up else _POSTGRES_DOWN
    raise NotImplementedError(f"full-text search is not set up for {name}")
