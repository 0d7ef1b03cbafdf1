"""claims.linked_at (when evidence was last linked) and passages.embedding (cached vector)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN on both back ends: nullable, no table copy.
    op.add_column("claims", sa.Column("linked_at", sa.DateTime(), nullable=True))
    op.add_column("passages", sa.Column("embedding", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite >= 3.35, PostgreSQL): a batch copy would drop FTS triggers.
    op.drop_column("passages", "embedding")
    op.drop_column("claims", "linked_at")
