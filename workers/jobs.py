"""RQ jobs: thin, take ids, do the I/O around the pure pipeline.

Retry policy lives at the enqueue call (``service/queue.py``), not here.
"""

from __future__ import annotations

import logging
import os
from functools import lru_cache
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from service.config import Settings
from service.persistence import articles, claims
from service.persistence.db import make_engine, make_session_factory, transaction
from workers.pipeline.pipeline import Pipeline, PipelineConfig, build_pipeline

log = logging.getLogger(__name__)


class PermanentFailure(Exception):
    """The article can never be processed; retrying would not help."""


@lru_cache(maxsize=1)
def _pipeline(model: str, max_sentence_chars: int) -> Pipeline:
    return build_pipeline(PipelineConfig(model=model, max_sentence_chars=max_sentence_chars))


@lru_cache(maxsize=4)
def _sessions(url: str, pid: int) -> sessionmaker[Session]:
    """One engine per process (keyed by pid, so a forked work horse opens its own)."""
    return make_session_factory(make_engine(url))


def warm_up(settings: Settings | None = None) -> None:
    """Load the spaCy model before the work loop, so every forked job starts warm."""
    settings = settings or Settings()
    _pipeline(settings.spacy_model, settings.max_sentence_chars)


def process_article(article_id: str, org_id: str) -> dict[str, Any]:
    """Extract an article's claims and store them, replacing any from an earlier try."""
    settings = Settings()
    factory = _sessions(settings.resolved_database_url(), os.getpid())
    with transaction(factory) as session:
        article = articles.get_article(session, org_id=org_id, article_id=article_id)
        if article.state == "processed":
            return {"article_id": article_id, "skipped": "already processed"}
        article.state = "processing"
        text, published = article.text, article.published_at or article.received_at
    try:
        if not text.strip():
            raise PermanentFailure("the article has no text")
        records = _pipeline(settings.spacy_model, settings.max_sentence_chars).run(text, published)
    except PermanentFailure as exc:
        with transaction(factory) as session:
            articles.set_state(session, org_id=org_id, article_id=article_id, state="failed",
                               reason=str(exc))
        return {"article_id": article_id, "failed": str(exc)}
    with transaction(factory) as session:
        claims.replace_claims(session, org_id=org_id, article_id=article_id, records=records)
        articles.set_state(session, org_id=org_id, article_id=article_id, state="processed")
    return {"article_id": article_id, "claims": len(records)}


def on_process_article_failure(job: Any, connection: Any, exc_type: type, exc: BaseException,
                               tb: Any) -> None:
    """RQ failure callback: once no retry is left, the article is ``failed`` with the reason."""
    if job.retries_left:
        return
    kwargs = job.kwargs
    settings = Settings()
    factory = _sessions(settings.resolved_database_url(), os.getpid())
    with transaction(factory) as session:
        articles.set_state(session, org_id=kwargs["org_id"], article_id=kwargs["article_id"],
                           state="failed", reason=f"{exc_type.__name__}: {exc}")
