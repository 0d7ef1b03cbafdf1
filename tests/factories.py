"""Data builders for tests: rows as the service would store them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from schemas.articles import ArticleCreate
from schemas.claims import ClaimRecord, Span, TextRange
from service.intake import prepare_article
from service.store import articles, claims
from service.store.models import Article

DEFAULT_ORG = "org_default"

KRISHNA = (
    "IBM CEO Arvind Krishna said on Tuesday that the company would pause hiring. "
    "Krishna, who took over the chief executive role in April, added that about 7,800 "
    "jobs could be replaced by AI. Clearview AI built a database of more than 3 billion "
    "images scraped from the web."
)


def make_article(session: Session, *, text: str = KRISHNA, org_id: str = DEFAULT_ORG,
                 published_at: datetime | None = None, idempotency_key: str | None = None,
                 state: str = "queued") -> Article:
    """A stored article, committed."""
    body = ArticleCreate(text=text, published_at=published_at)
    new = prepare_article(body, languages=["en"])
    row, _ = articles.create_or_get(session, org_id=org_id, article=new,
                                    idempotency_key=idempotency_key)
    row.state = state
    session.commit()
    return row


def make_claim_record(text: str, start: int, *, score: float, types: list[str]) -> ClaimRecord:
    """A claim record covering ``text`` at ``start`` with one entity span on its first word."""
    first = text.split()[0]
    return ClaimRecord(
        text=text, start=start, end=start + len(text), statement=text,
        sentence=TextRange(start=start, end=start + len(text)), checkworthiness=score,
        types=types,  # type: ignore[arg-type]
        spans=[Span(kind="entity", text=first, start=start, end=start + len(first),
                    label="ORG")],
    )


def store_claims(session: Session, article: Article, records: list[ClaimRecord]) -> None:
    claims.replace_claims(session, org_id=article.org_id, article_id=article.id, records=records)
    article.state = "processed"
    session.commit()
