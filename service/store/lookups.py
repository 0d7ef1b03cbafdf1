"""Display lookups for pages: the names of keys and the titles of articles, by id."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.store.models import ApiKey, Article


def key_names(session: Session, *, org_id: str) -> dict[str, str]:
    """Key id -> the name shown for it (its name, else its id), for the organisation's keys."""
    rows = session.execute(select(ApiKey.id, ApiKey.name).where(ApiKey.org_id == org_id))
    return {key_id: name or key_id for key_id, name in rows}


def article_labels(session: Session, *, org_id: str, article_ids: Iterable[str],
                   width: int = 80) -> dict[str, str]:
    """Article id -> its title, or the start of its text when it has none."""
    ids = list(dict.fromkeys(article_ids))
    if not ids:
        return {}
    head = func.substr(Article.text, 1, width + 1)
    rows = session.execute(select(Article.id, Article.title, head)
                           .where(Article.org_id == org_id, Article.id.in_(ids)))
    return {article_id: title or _shorten(text or "", width) for article_id, title, text in rows}


def _shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "\u2026"
