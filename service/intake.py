"""Turn an ``ArticleCreate`` into the text and fields that get stored, or say why not."""

from __future__ import annotations

import hashlib
import json
import unicodedata

from schemas.articles import ArticleCreate
from service.html_text import extract_text, extract_title
from service.store.articles import NewArticle
from service.store.clock import as_utc
from service.store.errors import BinaryText, EmptyText, UnsupportedLanguage

_ALLOWED_CONTROLS = {"\n", "\r", "\t", "\f", "\v"}


def request_hash(body: ArticleCreate) -> str:
    """A digest of the body as sent, for Idempotency-Key comparisons."""
    canonical = json.dumps(body.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def check_readable(text: str) -> None:
    """Refuse text that is empty or is binary data decoded as text."""
    if not text.strip():
        raise EmptyText("the article has no text once whitespace is removed")
    sample = text[:20_000]
    controls = sum(
        1 for ch in sample
        if (unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROLS) or ch == "\ufffd"
    )
    if "\x00" in text or controls > max(3, len(sample) // 100):
        raise BinaryText("the text holds control characters or undecodable bytes, not prose")


def prepare_article(body: ArticleCreate, *, languages: list[str]) -> NewArticle:
    """Validate the language and the text, extracting it from HTML when HTML was sent."""
    language = body.language.strip().lower()
    if language not in languages:
        raise UnsupportedLanguage(
            f"language {body.language!r} is not supported; supported: {', '.join(languages)}",
            supported=languages,
        )
    if body.html is not None:
        text, title, source_format = extract_text(body.html), body.title, "html"
        title = title or extract_title(body.html)
    else:
        text, title, source_format = body.text or "", body.title, "text"
    check_readable(text)
    published = as_utc(body.published_at)
    return NewArticle(
        text=text, request_hash=request_hash(body), source_format=source_format,
        language=language, title=title, url=body.url, published_at=published,
        metadata=body.metadata,
    )
