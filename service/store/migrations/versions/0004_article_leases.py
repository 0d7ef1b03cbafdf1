"""articles.claimed_by becomes leased_by: "claim" only ever means a claim

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain RENAME COLUMN (SQLite >= 3.25, PostgreSQL): no table copy, so no cascade risk.
    op.execute("ALTER TABLE articles RENAME COLUMN claimed_by TO leased_by")


def downgrade() -> None:
    op.execute("ALTER TABLE articles RENAME COLUMN leased_by TO claimed_by")
