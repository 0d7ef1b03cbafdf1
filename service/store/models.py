"""SQLAlchemy 2 models. Every row an organisation owns carries ``org_id``."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from schemas.articles import ArticleState
from schemas.claims import AutoVerdict, ClaimType, ReviewState
from schemas.sources import SourceKind
from service.store.clock import utcnow


class Base(DeclarativeBase):
    type_annotation_map = {datetime: DateTime(timezone=True), dict[str, Any]: JSON}


class Organisation(Base):
    __tablename__ = "organisations"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The organisation's own rating scale (``schemas.review.RatingScale`` as JSON); null: the
    # default scale of DESIGN.md.
    rating_scale: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, nullable=True)


class ApiKey(Base):
    """An API key: its SHA-256 only (the key itself is shown once, when created)."""

    __tablename__ = "api_keys"
    __table_args__ = (Index("ix_api_keys_org", "org_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    role: Mapped[str] = mapped_column(String(16))
    name: Mapped[str | None] = mapped_column(String(200))
    prefix: Mapped[str] = mapped_column(String(16))
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(nullable=True)
    last_used_at: Mapped[datetime | None] = mapped_column(nullable=True)


class WebSession(Base):
    """A signed-in review page: the cookie's SHA-256, the key it was opened with, its CSRF token."""

    __tablename__ = "web_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    key_id: Mapped[str] = mapped_column(ForeignKey("api_keys.id", ondelete="CASCADE"))
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()


class Article(Base):
    __tablename__ = "articles"
    __table_args__ = (
        UniqueConstraint("org_id", "idempotency_key", name="uq_articles_org_idempotency_key"),
        Index("ix_articles_state_enqueued", "state", "enqueued_at"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    state: Mapped[ArticleState] = mapped_column(String(16), default="queued")
    text: Mapped[str] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(16), default="en")
    published_at: Mapped[datetime | None] = mapped_column()
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    metadata_: Mapped[dict[str, Any]] = mapped_column("metadata", JSON, default=dict)
    source_format: Mapped[str] = mapped_column(String(8), default="text")
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    request_hash: Mapped[str] = mapped_column(String(64))
    failure_reason: Mapped[str | None] = mapped_column(Text)
    enqueued_at: Mapped[datetime | None] = mapped_column()
    processed_at: Mapped[datetime | None] = mapped_column()
    leased_by: Mapped[str | None] = mapped_column(String(120))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Claim(Base):
    __tablename__ = "claims"
    __table_args__ = (
        Index("ix_claims_queue", "org_id", "state", "checkworthiness"),
        Index("ix_claims_article", "article_id", "position"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    article_id: Mapped[str] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    start_offset: Mapped[int] = mapped_column(Integer)
    end_offset: Mapped[int] = mapped_column(Integer)
    statement: Mapped[str] = mapped_column(Text)
    sentence_start: Mapped[int] = mapped_column(Integer)
    sentence_end: Mapped[int] = mapped_column(Integer)
    checkworthiness: Mapped[float] = mapped_column(Float)
    types_text: Mapped[str] = mapped_column(String(200), default="")
    spans: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    speaker: Mapped[str | None] = mapped_column(Text)
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    auto: Mapped[AutoVerdict] = mapped_column(String(16), default="no_evidence")
    auto_confidence: Mapped[float] = mapped_column(Float, default=0.0)
    auto_reason: Mapped[str | None] = mapped_column(Text)
    state: Mapped[ReviewState] = mapped_column(String(16), default="queued")
    verdict: Mapped[str | None] = mapped_column(String(32))
    assignee: Mapped[str | None] = mapped_column(String(200))
    reviewed_at: Mapped[datetime | None] = mapped_column()
    version: Mapped[int] = mapped_column(Integer, default=1)
    rationale: Mapped[str | None] = mapped_column(Text, nullable=True)
    dismiss_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    # The evidence a reviewer cites for the verdict: ``schemas.review.ReviewEvidence`` as JSON.
    review_evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    reviewer: Mapped[str | None] = mapped_column(String(200), nullable=True)
    linked_at: Mapped[datetime | None] = mapped_column(nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Full-text index of ``statement``: SQLite FTS5 table ``claims_fts`` on the rowid,
    # PostgreSQL generated column ``tsv`` (migration 0006; not mapped here).

    @property
    def types(self) -> list[ClaimType]:
        """Types are stored as ``,quantity,temporal,`` so a LIKE filter works everywhere."""
        return [cast(ClaimType, t) for t in self.types_text.split(",") if t]


class ClaimSource(Base):
    """A source a claim's evidence cites (``claims.evidence`` holds the items themselves).

    Kept by ``service.store.claims.set_evidence``; it is how a changed or deleted source finds
    the claims to link again. No foreign key to ``sources``: a deleted source's rows stay until
    those claims are linked again.
    """

    __tablename__ = "claim_sources"
    __table_args__ = (Index("ix_claim_sources_source", "org_id", "source_id"),)

    claim_id: Mapped[str] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"),
                                          primary_key=True)
    source_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"))


class Source(Base):
    """Evidence: a ``fact_check`` (a reviewed claim and its rating) or a ``document``.

    A fact check is indexed by ``claim_reviewed`` (its one passage) with ``title`` as a second,
    lighter field; a document by its ``text``, cut into passages. ``url`` is unique within an
    organisation (imports upsert on it); sources without a URL are always new rows.
    """

    __tablename__ = "sources"
    __table_args__ = (
        Index("ix_sources_org_url", "org_id", "url", unique=True),
        Index("ix_sources_org_kind", "org_id", "kind"),
        Index("ix_sources_org_updated", "org_id", "updated_at"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    kind: Mapped[SourceKind] = mapped_column(String(16))
    url: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    publisher: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None] = mapped_column()
    text: Mapped[str | None] = mapped_column(Text)
    claim_reviewed: Mapped[str | None] = mapped_column(Text)
    claimant: Mapped[str | None] = mapped_column(Text)
    rating_text: Mapped[str | None] = mapped_column(Text)
    rating_value: Mapped[float | None] = mapped_column(Float)
    best_rating: Mapped[float | None] = mapped_column(Float)
    worst_rating: Mapped[float | None] = mapped_column(Float)
    metadata_: Mapped[dict[str, Any]] = mapped_column("metadata", JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Passage(Base):
    """A few sentences of a source: ``source.text[start_offset:end_offset] == text``.

    For a fact check the offsets are into ``claim_reviewed``. ``id`` is the full-text rowid
    (SQLite FTS5 table ``passages_fts``; PostgreSQL generated column ``tsv``, made by the
    migration and not mapped here). ``spans`` caches the linker's parsed quantities and dates;
    ``embedding`` the passage's sentence embedding (float32 bytes), once computed.
    """

    __tablename__ = "passages"
    __table_args__ = (Index("ix_passages_source", "source_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    start_offset: Mapped[int] = mapped_column(Integer)
    end_offset: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    heading: Mapped[str | None] = mapped_column(Text)
    spans: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, nullable=True)
    embedding: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)


class ClaimEvent(Base):
    """The review history of a claim, append-only: who changed what, from what, to what.

    ``actor`` is the API key's id, ``actor_name`` its name at the time; ``changes`` maps each
    field to ``{"old": ..., "new": ...}``. No foreign key to ``claims``: the log outlives a
    claim that is extracted again.
    """

    __tablename__ = "claim_events"
    __table_args__ = (Index("ix_claim_events_claim", "org_id", "claim_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    claim_id: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(40))
    actor_name: Mapped[str | None] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(Integer)
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Webhook(Base):
    """A newsroom tool's endpoint for ``article.processed`` and ``claim.verified`` events.

    ``secret`` is the Standard Webhooks signing secret (``whsec_`` + base64); it is kept in
    clear because signing needs it, and shown only once, when the webhook is created.
    """

    __tablename__ = "webhooks"
    __table_args__ = (Index("ix_webhooks_org", "org_id", "created_at"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    url: Mapped[str] = mapped_column(Text)
    events_text: Mapped[str] = mapped_column(String(200))
    secret: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(nullable=True)

    @property
    def events(self) -> list[str]:
        return [e for e in self.events_text.split(",") if e]


class WebhookDelivery(Base):
    """One event sent to one webhook: its message id (the same on every retry), its payload,
    and every attempt made (``attempts``: ``[{"at", "status_code", "error", "duration_ms"}]``).
    """

    __tablename__ = "webhook_deliveries"
    __table_args__ = (Index("ix_webhook_deliveries_hook", "org_id", "webhook_id", "id"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    webhook_id: Mapped[str] = mapped_column(ForeignKey("webhooks.id", ondelete="CASCADE"))
    event: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(nullable=True)
