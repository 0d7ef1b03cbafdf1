"""Full-text search of claim statements: the claims a new passage of evidence may concern.

The passages' search (``service.store.search``) turned around, on the same design: the query's
terms come from ``schemas.search_terms`` (never the raw text, so nothing in a passage can
break the SQL) and match OR-wise; SQLite ranks by bm25 over the FTS5 table ``claims_fts``,
PostgreSQL by ts_rank_cd over the generated column ``claims.tsv`` (both from migration 0006).
Statements are a sentence long, so ranking every match is cheap; ``limit`` bounds the answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, column, func, literal_column, select
from sqlalchemy import table as sql_table
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Session

from schemas.search_terms import search_terms
from service.store.clock import as_utc
from service.store.models import Claim
from service.store.search import fts5_match, tsquery_text

_FTS_TABLE = sql_table("claims_fts", column("rowid"))


@dataclass(frozen=True)
class ClaimHit:
    """A claim whose statement matches, with when it was last linked."""

    claim_id: str
    score: float
    linked_at: datetime | None


def search_claims(session: Session, *, org_id: str, query: str, limit: int,
                  where: Sequence[ColumnElement[bool]] = ()) -> list[ClaimHit]:
    """The organisation's claims whose statements best match any term of ``query``.

    ``where`` narrows the claims further (clauses over ``Claim``).
    """
    terms = search_terms(query)
    if not terms or limit <= 0:
        return []
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        statement = _sqlite_statement(terms)
    elif dialect == "postgresql":
        statement = _postgres_statement(terms)
    else:
        raise NotImplementedError(f"no full-text search for {dialect}")
    statement = (statement.where(Claim.org_id == org_id, *where)
                 .order_by(literal_column("score").desc(), Claim.id).limit(limit))
    return [ClaimHit(claim_id=row.id, score=float(row.score), linked_at=as_utc(row.linked_at))
            for row in session.execute(statement)]


def _sqlite_statement(terms: list[str]) -> Select[Any]:
    fts: ColumnElement[Any] = literal_column("claims_fts")
    return (
        select(Claim.id, Claim.linked_at, (-func.bm25(fts)).label("score"))
        .select_from(_FTS_TABLE)
        .join(Claim, literal_column("claims.rowid") == _FTS_TABLE.c.rowid)
        .where(sql_text("claims_fts MATCH :claims_match")
               .bindparams(claims_match=fts5_match(terms)))
    )


def _postgres_statement(terms: list[str]) -> Select[Any]:
    query = func.to_tsquery(literal_column("'english'::regconfig"),
                            bindparam("claims_query", tsquery_text(terms)))
    vector: ColumnElement[Any] = literal_column("claims.tsv")
    return (
        select(Claim.id, Claim.linked_at, func.ts_rank_cd(vector, query).label("score"))
        .where(vector.op("@@")(query))
    )
