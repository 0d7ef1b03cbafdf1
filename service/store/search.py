"""Full-text search of source passages: SQLite FTS5 (bm25) or PostgreSQL tsvector (ts_rank_cd).

Queries are OR-of-terms: a claim's statement rarely shares every word with its evidence.
The terms come from ``schemas.search_terms.search_terms`` (lower-cased words and numbers,
stop words dropped, at most 32: the same words the linker's queries are written in), and the
match expression is built from them, never from the raw text, so quotes, operators and
punctuation in a query cannot break the SQL. What is indexed: a
document's passages (``text``), a fact check's ``claim_reviewed`` with its ``title`` as a
second, lighter field (``heading``).

Ranking: SQLite ranks every match by bm25. PostgreSQL's ts_rank_cd has no notion of rare
words and costs a detoast per row, so on large tables it ranks only the rows the query's
rarest terms pick (``candidate_query``), topped up from the other matches when fewer than
``limit`` come back; scores always use every term.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Select,
    Table,
    bindparam,
    column,
    func,
    literal_column,
    select,
    table,
    text,
    update,
)
from sqlalchemy.orm import Session

from schemas.search_terms import search_terms
from schemas.sources import SourceKind
from service.store.clock import as_utc
from service.store.models import Passage, Source

_FTS_WEIGHTS = (1.0, 0.5)  # bm25 weights of the ``text`` and ``heading`` columns
SQLITE_WIDEN = 4  # SQLite ranks the index's top limit x 4 rows before reading them
SQLITE_PRUNE_ROWS = 20_000  # smaller tables are searched with every term
SQLITE_COMMON_SHARE = 0.05  # larger ones without terms in more than 5% of their passages
_FTS_TABLE = table("passages_fts", column("rowid"))


@dataclass(frozen=True)
class PassageHit:
    """One matching passage with what the linker needs of its source."""

    passage_id: int
    source_id: str
    kind: SourceKind
    text: str
    start: int
    end: int
    lexical_score: float
    title: str | None
    url: str | None
    publisher: str | None
    published_at: datetime | None
    rating_text: str | None
    rating_value: float | None
    best_rating: float | None
    worst_rating: float | None
    claimant: str | None
    spans: list[dict[str, Any]] | None
    embedding: bytes | None = None  # the passage's sentence embedding, float32 bytes, once cached


def has_sources(session: Session, *, org_id: str) -> bool:
    """Whether the organisation has any evidence source (one lookup on an index of sources):
    without one every search finds nothing, so linking may skip them."""
    return session.scalar(select(Source.id).where(Source.org_id == org_id).limit(1)) is not None


def search_passages(session: Session, *, org_id: str, query: str, kind: str | None = None,
                    limit: int = 50) -> list[PassageHit]:
    """The organisation's passages best matching any term of ``query``, best first."""
    terms = search_terms(query)
    if not terms or limit <= 0:
        return []
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        return _sqlite_search(session, terms, org_id=org_id, kind=kind, limit=limit)
    if dialect == "postgresql":
        return _postgres_search(session, terms, org_id=org_id, kind=kind, limit=limit)
    raise NotImplementedError(f"no full-text search for {dialect}")


def _postgres_search(session: Session, terms: list[str], *, org_id: str, kind: str | None,
                     limit: int) -> list[PassageHit]:
    """Rank the rows the rarest terms pick; too few, and add up to a budget of the others."""
    match = candidate_query(session, terms)
    hits = _run(session, _postgres_statement(terms, match), org_id=org_id, kind=kind,
                limit=limit)
    if len(hits) < limit and match != tsquery_text(terms):
        wider = _postgres_statement(terms, tsquery_text(terms))
        picked = (wider.with_only_columns(Passage.id).where(Passage.org_id == org_id)
                  .limit(PG_CANDIDATE_BUDGET))
        if kind is not None:
            picked = picked.where(Source.kind == kind)
        more = _run(session, wider.where(Passage.id.in_(picked.scalar_subquery())),
                    org_id=org_id, kind=kind, limit=limit)
        seen = {hit.passage_id for hit in hits}
        hits = [*hits, *(hit for hit in more if hit.passage_id not in seen)]
        hits.sort(key=lambda hit: hit.lexical_score, reverse=True)
    return hits[:limit]


def _run(session: Session, statement: Select[Any], *, org_id: str, kind: str | None,
         limit: int) -> list[PassageHit]:
    statement = statement.where(Passage.org_id == org_id)
    if kind is not None:
        statement = statement.where(Source.kind == kind)
    rows = session.execute(statement.order_by(literal_column("score").desc()).limit(limit))
    return [_hit(row) for row in rows]


def cache_passage_spans(session: Session, *, org_id: str,
                        spans_by_passage: dict[int, list[dict[str, Any]]]) -> None:
    """Store parsed spans on the organisation's passages; the caller commits."""
    _cache(session, org_id=org_id, column="spans", values=spans_by_passage)


def cache_passage_embeddings(session: Session, *, org_id: str,
                             embeddings_by_passage: dict[int, bytes]) -> None:
    """Store sentence embeddings (float32 bytes) on the organisation's passages; the caller
    commits. The store only keeps the bytes: the linker computes and reads them."""
    _cache(session, org_id=org_id, column="embedding", values=embeddings_by_passage)


def _cache(session: Session, *, org_id: str, column: str, values: dict[int, Any]) -> None:
    """Write one cached column of the organisation's passages, one row per passage id."""
    if not values:
        return
    table = cast(Table, Passage.__table__)
    statement = (
        update(table)
        .where(table.c.id == bindparam("passage_id"), table.c.org_id == org_id)
        .values({column: bindparam("new_value")})
    )
    session.execute(statement, [{"passage_id": pid, "new_value": value}
                                for pid, value in values.items()])


def make_snippet(text: str, terms: list[str], *, width: int = 300) -> str:
    """``text``, or a window of about ``width`` characters around its first matching term."""
    if len(text) <= width:
        return text
    lowered = text.lower()
    found = [m.start() for term in terms
             if (m := re.search(r"\b" + re.escape(term[:5]), lowered)) is not None]
    first = min(found, default=0)
    start = max(0, first - width // 3)
    if start > 0:
        space = text.find(" ", start, first)
        start = space + 1 if space != -1 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start + width // 2, end)
        end = space if space != -1 else end
    prefix = "\u2026" if start > 0 else ""
    suffix = "\u2026" if end < len(text) else ""
    return prefix + text[start:end].strip() + suffix


def fts5_match(terms: list[str]) -> str:
    """An FTS5 MATCH expression: each term as a quoted string, joined by OR."""
    return " OR ".join(f'"{term}"' for term in terms)


def tsquery_text(terms: list[str]) -> str:
    """A ``to_tsquery`` input: the terms joined by ``|`` (terms hold no operator characters)."""
    return " | ".join(terms)


def _columns(score: ColumnElement[float]) -> Select[Any]:
    return select(
        Passage.id, Passage.source_id, Source.kind, Passage.text, Passage.start_offset,
        Passage.end_offset, score.label("score"), Source.title, Source.url, Source.publisher,
        Source.published_at, Source.rating_text, Source.rating_value, Source.best_rating,
        Source.worst_rating, Source.claimant, Passage.spans, Passage.embedding,
    )


def _sqlite_search(session: Session, terms: list[str], *, org_id: str, kind: str | None,
                   limit: int) -> list[PassageHit]:
    """Rank on the index alone, then read the organisation's best rows among the top ranks.

    Checking every match's organisation (a lookup per matching row) costs more than bm25: a
    query of common words matches much of the table. So the index's top ``limit`` times
    ``SQLITE_WIDEN`` rows are ranked first; when ``limit`` of them are the organisation's (of
    the wanted kind), they are its best, since bm25 ranks all organisations' rows alike, and
    only those are read whole. Otherwise, and only when the index had more matches, the joined
    query ranks them all.
    """
    fts: ColumnElement[Any] = literal_column("passages_fts")
    terms = sqlite_telling_terms(session, terms)
    match = text("passages_fts MATCH :fts_match").bindparams(fts_match=fts5_match(terms))
    score = (-func.bm25(fts, *_FTS_WEIGHTS)).label("score")
    wide = limit * SQLITE_WIDEN
    ranked = session.execute(
        select(_FTS_TABLE.c.rowid, score).select_from(_FTS_TABLE).where(match)
        .order_by(literal_column("score").desc()).limit(wide)).all()
    scores = {row[0]: float(row[1]) for row in ranked}
    owned = select(Passage.id).where(Passage.id.in_(scores), Passage.org_id == org_id)
    if kind is not None:
        owned = owned.join(Source, Source.id == Passage.source_id).where(Source.kind == kind)
    ids = sorted(session.scalars(owned), key=lambda pid: (-scores[pid], pid))[:limit]
    if len(ids) < limit and len(ranked) == wide:
        joined = (_columns(score).select_from(_FTS_TABLE)
                  .join(Passage, Passage.id == _FTS_TABLE.c.rowid)
                  .join(Source, Source.id == Passage.source_id).where(match))
        return _run(session, joined, org_id=org_id, kind=kind, limit=limit)
    rows = session.execute(_columns(literal_column("0.0")).select_from(Passage)
                           .join(Source, Source.id == Passage.source_id)
                           .where(Passage.id.in_(ids)))
    hits = {row.id: _hit(row, score=scores[row.id]) for row in rows}
    return [hits[pid] for pid in ids]


def sqlite_telling_terms(session: Session, terms: list[str], *,
                         min_rows: int | None = None) -> list[str]:
    """The terms without those in more than ``SQLITE_COMMON_SHARE`` of a large table's
    passages (all of them when every one is that common, or the table is small).

    A common word adds little to bm25 (its idf is low) but makes FTS5 read and score a large
    share of the table. Document counts come from an ``fts5vocab`` view of the index; the
    query words are stemmed as the index stems them by a scratch FTS5 table in ``temp``.
    """
    total = session.execute(text("SELECT max(id) FROM passages")).scalar() or 0
    if total < (SQLITE_PRUNE_ROWS if min_rows is None else min_rows):
        return terms
    for statement in _SQLITE_VOCAB:
        session.execute(text(statement))
    session.execute(text("DELETE FROM temp.claimdesk_stems"))
    session.execute(text("INSERT INTO temp.claimdesk_stems(rowid, t) VALUES (:n, :t)"),
                    [{"n": n, "t": term} for n, term in enumerate(terms)])
    stems: dict[int, list[str]] = {}
    for doc, stem in session.execute(text(
            "SELECT doc, term FROM temp.claimdesk_stems_vocab ORDER BY doc, offset")):
        stems.setdefault(int(doc), []).append(str(stem))
    wanted = sorted({stem for found in stems.values() for stem in found})
    counts: dict[str, int] = {str(term): int(doc) for term, doc in session.execute(
        text("SELECT term, doc FROM temp.claimdesk_passages_vocab WHERE term IN :stems")
        .bindparams(bindparam("stems", expanding=True)), {"stems": wanted})}
    ceiling = SQLITE_COMMON_SHARE * total
    kept = [term for n, term in enumerate(terms)
            if any(counts.get(stem, 0) <= ceiling for stem in stems.get(n, [term]))]
    return kept or terms


_SQLITE_VOCAB = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS temp.claimdesk_passages_vocab "
    "USING fts5vocab(main, passages_fts, row)",
    "CREATE VIRTUAL TABLE IF NOT EXISTS temp.claimdesk_stems "
    "USING fts5(t, tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS temp.claimdesk_stems_vocab "
    "USING fts5vocab(temp, claimdesk_stems, instance)",
)


def _postgres_statement(terms: list[str], match: str) -> Select[Any]:
    ranked = func.to_tsquery(literal_column("'english'::regconfig"),
                             bindparam("rank_query", tsquery_text(terms)))
    wanted = func.to_tsquery(literal_column("'english'::regconfig"),
                             bindparam("match_query", match))
    vector: ColumnElement[Any] = literal_column("passages.tsv")
    return (
        _columns(func.ts_rank_cd(vector, ranked))
        .select_from(Passage)
        .join(Source, Source.id == Passage.source_id)
        .where(vector.op("@@")(wanted))
    )


def candidate_query(session: Session, terms: list[str]) -> str:
    """The ``to_tsquery`` text that picks the rows PostgreSQL ranks.

    ts_rank_cd is computed for every matching row, and common words match much of a large
    corpus; so rows are picked by the rarest terms whose estimated matches fit
    ``PG_CANDIDATE_BUDGET`` (OR), or, when even the rarest is common, by the rarest few
    together (AND), and ranked by all the terms. Frequencies come from the planner's
    statistics of ``passages.tsv`` (ANALYZE); without them every term is used.
    """
    stats = _lexeme_stats(session)
    if stats is None or stats.rows <= PG_CANDIDATE_BUDGET:
        return tsquery_text(terms)
    share = dict.fromkeys(terms, stats.floor / 2)
    for term, lexeme in session.execute(_LEXEMES, {"terms": terms}).all():
        share[term] = max(share[term], stats.shares.get(lexeme, stats.floor / 2))
    ordered = sorted(terms, key=share.__getitem__)
    budget = PG_CANDIDATE_BUDGET / stats.rows
    chosen, estimate = [ordered[0]], share[ordered[0]]
    together = estimate > budget
    for term in ordered[1:]:
        if together and estimate > budget:
            chosen, estimate = [*chosen, term], estimate * share[term]
        elif not together and estimate + share[term] <= budget:
            chosen, estimate = [*chosen, term], estimate + share[term]
    return (" & " if together else " | ").join(chosen)


@dataclass(frozen=True)
class _LexemeStats:
    rows: float
    floor: float  # lexemes missing from ``shares`` are in fewer rows than this share
    shares: dict[str, float]


def _lexeme_stats(session: Session) -> _LexemeStats | None:
    key = str(session.get_bind().engine.url)
    cached = _STATS_CACHE.get(key)
    if cached is not None and time.monotonic() - cached[0] < _STATS_TTL_SECONDS:
        return cached[1]
    row = session.execute(_STATS).first()
    stats = None
    if row is not None and row.elems and row.freqs and row.rows > 0:
        shares = dict(zip(row.elems, map(float, row.freqs), strict=False))
        stats = _LexemeStats(rows=float(row.rows), floor=min(shares.values()), shares=shares)
    _STATS_CACHE[key] = (time.monotonic(), stats)
    return stats


PG_CANDIDATE_BUDGET = 1500  # estimated rows whose rank PostgreSQL computes per search
_STATS_TTL_SECONDS = 300.0
_STATS_CACHE: dict[str, tuple[float, _LexemeStats | None]] = {}
_STATS = text(
    "SELECT s.most_common_elems::text::text[] AS elems, s.most_common_elem_freqs AS freqs, "
    "c.reltuples AS rows FROM pg_class c LEFT JOIN pg_stats s ON s.schemaname = "
    "current_schema() AND s.tablename = 'passages' AND s.attname = 'tsv' "
    "WHERE c.oid = 'passages'::regclass"
)
_LEXEMES = text(
    "SELECT t.term, lexeme FROM unnest(CAST(:terms AS text[])) AS t(term), "
    "unnest(tsvector_to_array(to_tsvector('english'::regconfig, t.term))) AS lexeme"
)


def _hit(row: Any, *, score: float | None = None) -> PassageHit:
    return PassageHit(
        passage_id=row.id, source_id=row.source_id, kind=row.kind, text=row.text,
        start=row.start_offset, end=row.end_offset,
        lexical_score=float(row.score) if score is None else score,
        title=row.title, url=row.url, publisher=row.publisher,
        published_at=as_utc(row.published_at),
        rating_text=row.rating_text, rating_value=row.rating_value,
        best_rating=row.best_rating, worst_rating=row.worst_rating, claimant=row.claimant,
        spans=row.spans, embedding=row.embedding,
    )
