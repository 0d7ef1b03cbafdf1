"""the fact-checkers' desk: API keys, review fields and history, web sessions, webhooks

- ``api_keys``: SHA-256 of each key (never the key), its organisation and role, revocation.
- ``web_sessions``: the review page's signed-in sessions (cookie hash, key, CSRF token).
- ``claims``: ``rationale``, ``dismiss_reason``, ``review_evidence``, ``reviewer``.
- ``claim_events``: the append-only review history.
- ``organisations.rating_scale``: an organisation's own scale (null: the default).
- ``webhooks`` and ``webhook_deliveries``: endpoints, and every event sent with its attempts.

New columns are nullable or carry a server default, so the ADD COLUMNs copy no table (a
SQLite batch copy would drop the FTS triggers of 0006).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column("organisations", sa.Column("rating_scale", sa.JSON(), nullable=True))
    op.add_column("claims", sa.Column("rationale", sa.Text(), nullable=True))
    op.add_column("claims", sa.Column("dismiss_reason", sa.Text(), nullable=True))
    op.add_column("claims", sa.Column("review_evidence", sa.JSON(), nullable=False,
                                      server_default="[]"))
    op.add_column("claims", sa.Column("reviewer", sa.String(length=200), nullable=True))
    op.create_table(
        "api_keys",
        sa.Column("id", sa.String(length=40), primary_key=True),
        sa.Column("org_id", sa.String(length=40), sa.ForeignKey("organisations.id"),
                  nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False, unique=True),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("revoked_at", _TS, nullable=True),
        sa.Column("last_used_at", _TS, nullable=True),
    )
    op.create_index("ix_api_keys_org", "api_keys", ["org_id", "created_at"])
    op.create_table(
        "web_sessions",
        sa.Column("token_hash", sa.String(length=64), primary_key=True),
        sa.Column("org_id", sa.String(length=40), sa.ForeignKey("organisations.id"),
                  nullable=False),
        sa.Column("key_id", sa.String(length=40),
                  sa.ForeignKey("api_keys.id", ondelete="CASCADE"), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("expires_at", _TS, nullable=False),
    )
    op.create_table(
        "claim_events",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("org_id", sa.String(length=40), sa.ForeignKey("organisations.id"),
                  nullable=False),
        sa.Column("claim_id", sa.String(length=40), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("actor", sa.String(length=40), nullable=False),
        sa.Column("actor_name", sa.String(length=200), nullable=True),
        sa.Column("at", _TS, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
    )
    op.create_index("ix_claim_events_claim", "claim_events", ["org_id", "claim_id", "id"])
    op.create_table(
        "webhooks",
        sa.Column("id", sa.String(length=40), primary_key=True),
        sa.Column("org_id", sa.String(length=40), sa.ForeignKey("organisations.id"),
                  nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("events_text", sa.String(length=200), nullable=False),
        sa.Column("secret", sa.String(length=100), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("deleted_at", _TS, nullable=True),
    )
    op.create_index("ix_webhooks_org", "webhooks", ["org_id", "created_at"])
    op.create_table(
        "webhook_deliveries",
        sa.Column("id", sa.String(length=40), primary_key=True),
        sa.Column("org_id", sa.String(length=40), sa.ForeignKey("organisations.id"),
                  nullable=False),
        sa.Column("webhook_id", sa.String(length=40),
                  sa.ForeignKey("webhooks.id", ondelete="CASCADE"), nullable=False),
        sa.Column("event", sa.String(length=40), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.JSON(), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("delivered_at", _TS, nullable=True),
    )
    op.create_index("ix_webhook_deliveries_hook", "webhook_deliveries",
                    ["org_id", "webhook_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_webhook_deliveries_hook", table_name="webhook_deliveries")
    op.drop_table("webhook_deliveries")
    op.drop_index("ix_webhooks_org", table_name="webhooks")
    op.drop_table("webhooks")
    op.drop_index("ix_claim_events_claim", table_name="claim_events")
    op.drop_table("claim_events")
    op.drop_table("web_sessions")
    op.drop_index("ix_api_keys_org", table_name="api_keys")
    op.drop_table("api_keys")
    for column in ("reviewer", "review_evidence", "dismiss_reason", "rationale"):
        op.drop_column("claims", column)
    op.drop_column("organisations", "rating_scale")
