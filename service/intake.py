"""Turn an ``ArticleCreate`` into the text and fields that get stored, or say why not."""

from __future__ import annotations

import hashlib
import json
import re

from schemas.articles import ArticleCreate
from service.html_text import extract_text, extract_title
from service.store.articles import NewArticle
from service.store.clock import as_utc
from service.store.errors import ArticleTooLong, BinaryText, EmptyText, UnsupportedLanguage

# Control characters (Unicode category Cc: U+0000-U+001F, U+007F-U+009F) other than the
# whitespace ones (tab, line feed, vertical tab, form feed, carriage return), and U+FFFD.
_NOT_PROSE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")


def request_hash(body: ArticleCreate) -> str:
    """A digest of the body as sent, for Idempotency-Key comparisons."""
    canonical = json.dumps(body.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def check_readable(text: str) -> None:
    """Refuse text that is empty or is binary data decoded as text."""
    if not text.strip():
        raise EmptyText("the article has no text once whitespace is removed")
    sample = text[:20_000]
    controls = len(_NOT_PROSE.findall(sample))
    if "\x00" in text or controls > max(3, len(sample) // 100):
        raise BinaryText("the text holds control characters or undecodable bytes, not prose")


def check_length(value: str, *, limit: int | None, what: str) -> None:
    """Refuse article text or HTML longer than ``limit`` characters (None: no limit)."""
    if limit is not None and len(value) > limit:
        raise ArticleTooLong(f"the {what} has {len(value)} characters; the limit is {limit}",
                             max_chars=limit, chars=len(value))


def prepare_article(body: ArticleCreate, *, languages: list[str], max_chars: int | None = None,
                    max_html_chars: int | None = None) -> NewArticle:
    """Validate the language and the text, extracting it from HTML when HTML was sent.

    ``max_html_chars`` bounds the HTML as sent, ``max_chars`` the text as stored.
    """
    language = body.language.strip().lower()
    if language not in languages:
        raise UnsupportedLanguage(
            f"language {body.language!r} is not supported; supported: {', '.join(languages)}",
            supported=languages,
        )
    if body.html is not None:
        check_length(body.html, limit=max_html_chars, what="HTML")
        text, title, source_format = extract_text(body.html), body.title, "html"
        title = title or extract_title(body.html)
    else:
        text, title, source_format = body.text or "", body.title, "text"
    check_length(text, limit=max_chars, what="article text")
    check_readable(text)
    published = as_utc(body.published_at)
    return NewArticle(
        text=text, request_hash=request_hash(body), source_format=source_format,
        language=language, title=title, url=body.url, published_at=published,
        metadata=body.metadata,
    )
