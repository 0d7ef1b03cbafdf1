"""``claimdesk eval assessment --dataset tests/data/verdicts``: the verdict set, the service's way.

Each case runs in an organisation of its own, created for it and deleted afterwards with all
it holds: its sources are stored with ``upsert_source`` (as ``POST /v1/sources`` and imports do),
the article is stored and its claims, from the pipeline the workers build (``run_many``, as
``process_article`` does), replace the article's claims; then, as ``link_article`` does, the
stored claims are read back and linked together with ``Linker.link_many``, searching the
organisation's passages. The claims covering each anchor are scored by
``workers.evaluation.verdicts``.
"""

from __future__ import annotations

import hashlib
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session, sessionmaker
from tqdm import tqdm

from schemas.claims import ClaimRecord
from service.store import articles, claims
from service.store.db import transaction
from service.store.models import Article, Claim, Organisation, Passage, Source
from service.store.search import PassageHit, search_passages
from service.store.sources import upsert_source
from workers.evaluation.verdicts import (
    Case,
    CheckResult,
    ClaimVerdict,
    covering,
    read_cases,
    verdict_metrics,
)
from workers.evidence.linker import Linker
from workers.pipeline.pipeline import Pipeline

ORG_PREFIX = "org_eval_verdicts_"


def evaluate_verdicts(dataset_dir: Path, *, session_factory: sessionmaker[Session],
                      pipeline: Pipeline, linker: Linker,
                      progress: bool = True) -> dict[str, Any]:
    """Every case through store, pipeline and linker; the figures and the per-anchor results."""
    cases = read_cases(dataset_dir)
    extracted = pipeline.run_many([(case.text, _noon(case)) for case in cases])
    results: list[CheckResult] = []
    bar = tqdm(list(zip(cases, extracted, strict=True)), desc="verdict set",
               disable=not progress, file=sys.stderr)
    for index, (case, records) in enumerate(bar):
        results += check_case(case, records, session_factory=session_factory,
                              org_id=f"{ORG_PREFIX}{index:04d}", linker=linker)
    return {
        "dataset": str(dataset_dir),
        "cases": len(cases),
        "semantic": linker.semantic is not None,
        "metrics": verdict_metrics(results),
        "results": results,
    }


def check_case(case: Case, records: list[ClaimRecord], *, session_factory: sessionmaker[Session],
               org_id: str, linker: Linker) -> list[CheckResult]:
    """Store the case in a fresh organisation, link its claims, score each anchor, clean up."""
    try:
        article_id = _store_case(case, records, session_factory=session_factory, org_id=org_id)
        with session_factory() as session:
            stored = [claims.to_claim_out(row) for row in
                      claims.article_claim_rows(session, org_id=org_id, article_id=article_id)]

            def search(query: str) -> list[PassageHit]:
                return search_passages(session, org_id=org_id, query=query,
                                       limit=linker.config.candidates)

            linked = linker.link_many(stored, search=search, anchor=case.published_at)
            session.rollback()  # end the read transaction the search opened
    finally:
        drop_organisation(session_factory, org_id=org_id)
    verdicts = [(claim, verification) for claim, (_, verification) in
                zip(stored, linked, strict=True)]
    results = []
    for check in case.checks:
        start, end = case.find(check.anchor)
        held = {id(claim) for claim in covering([c for c, _ in verdicts], start, end)}
        found = tuple(ClaimVerdict(claim.statement, v.auto, v.reason)
                      for claim, v in verdicts if id(claim) in held)
        results.append(CheckResult(case.id, case.shape, check, found))
    return results


def _store_case(case: Case, records: list[ClaimRecord], *,
                session_factory: sessionmaker[Session], org_id: str) -> str:
    """The organisation, its sources, the article and its claims; the article's id."""
    with transaction(session_factory) as session:
        session.add(Organisation(id=org_id, name=f"verdict eval: {case.id}"))
        session.flush()
        for source in case.sources:
            upsert_source(session, org_id=org_id, source=source)
        digest = hashlib.sha256(case.text.encode("utf-8")).hexdigest()
        article, _ = articles.create_or_get(
            session, org_id=org_id, idempotency_key=None,
            article=articles.NewArticle(text=case.text, request_hash=digest, source_format="text",
                                        language="en", title=case.id,
                                        published_at=_noon(case)))
        claims.replace_claims(session, org_id=org_id, article_id=article.id, records=records)
        return article.id


def drop_organisation(session_factory: sessionmaker[Session], *, org_id: str) -> None:
    """Delete an evaluation organisation and everything it holds."""
    with transaction(session_factory) as session:
        session.execute(delete(Claim).where(Claim.org_id == org_id))
        session.execute(delete(Article).where(Article.org_id == org_id))
        session.execute(delete(Passage).where(Passage.org_id == org_id))
        session.execute(delete(Source).where(Source.org_id == org_id))
        session.execute(delete(Organisation).where(Organisation.id == org_id))


def _noon(case: Case) -> datetime:
    """The article's publication time: noon UTC of its date (relative dates anchor on it)."""
    day = case.published_at
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
