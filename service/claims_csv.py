"""The claims CSV export: pure, rows in and CSV text out, a chunk at a time.

RFC 4180 CSV (comma, double quotes, CRLF), UTF-8 with no byte order mark. Claim types are
joined with ``;``. Text that a spreadsheet would run as a formula (a cell beginning with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is prefixed with an apostrophe, as
OWASP's CSV injection advice says: article text and speakers come from outside.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from schemas.fields import rfc3339
from schemas.review import RatingScale
from service.claimreview import rating_level
from service.store.models import Article, Claim

COLUMNS = (
    "id", "article_id", "article_url", "article_title", "start", "end", "text", "statement",
    "checkworthiness", "types", "speaker", "auto", "auto_reason", "state", "verdict",
    "verdict_label", "rationale", "assignee", "reviewed_at",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ROWS_PER_CHUNK = 100


def safe_cell(value: Any) -> str:
    """A cell's text: empty for None, an apostrophe before anything formula-like."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def claim_row(claim: Claim, article: Article, scale: RatingScale) -> list[str]:
    """One claim as the cells of ``COLUMNS``."""
    label = rating_level(scale, claim.verdict).label if claim.verdict else None
    reviewed_at = rfc3339(claim.reviewed_at) if claim.reviewed_at else None
    values = (
        claim.id, claim.article_id, article.url, article.title, claim.start_offset,
        claim.end_offset, claim.text, claim.statement, claim.checkworthiness,
        ";".join(claim.types), claim.speaker, claim.auto, claim.auto_reason, claim.state,
        claim.verdict, label, claim.rationale, claim.assignee, reviewed_at,
    )
    return [safe_cell(v) for v in values]


def csv_chunks(rows: Iterable[tuple[Claim, Article]], scale: RatingScale) -> Iterator[str]:
    """The header, then the rows, ``ROWS_PER_CHUNK`` to a chunk."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    count = 0
    for claim, article in rows:
        writer.writerow(claim_row(claim, article, scale))
        count += 1
        if count % ROWS_PER_CHUNK == 0:
            yield _drain(buffer)
    yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
