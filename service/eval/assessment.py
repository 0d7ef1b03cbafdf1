"""``claimdesk eval assessment``: AVeriTeC dev, each claim linked against its gold answers.

The organisation given is reserved for the evaluation: each claim's answers are stored as
``document`` sources, the claim text is linked and assessed as a statement, then those
sources are deleted. Scoring and the report are ``workers.evaluation.assessment``'s.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker
from tqdm import tqdm

from schemas.claims import AutoVerdict
from schemas.sources import SourceCreate
from service.store.search import PassageHit, search_passages
from service.store.sources import delete_source, upsert_source
from workers.evaluation.assessment import (
    NUMERICAL,
    answer_documents,
    assessment_metrics,
    claim_date,
    read_averitec,
)
from workers.evaluation.matching import claim_from_doc
from workers.evidence.linker import Linker


def assess_one(item: dict[str, Any], index: int, *, session_factory: sessionmaker[Session],
               org_id: str, linker: Linker) -> AutoVerdict:
    """Store the claim's answers, link and assess the claim, delete the answers."""
    anchor = claim_date(item)
    claim = claim_from_doc(linker.nlp(str(item.get("claim") or "")), anchor)
    with session_factory() as session:
        with session.begin():
            ids = [upsert_source(session, org_id=org_id, source=SourceCreate(**doc))[0].id
                   for doc in answer_documents(item, index)]
        try:
            def search(query: str) -> list[PassageHit]:
                return search_passages(session, org_id=org_id, query=query,
                                       limit=linker.config.candidates)

            _, verification = linker.link(claim, search=search, anchor=anchor)
        finally:
            session.rollback()  # end the read transaction the search opened
            with session.begin():
                for source_id in ids:
                    delete_source(session, org_id=org_id, source_id=source_id)
    return verification.auto


def evaluate_assessment(dataset_dir: Path, *, session_factory: sessionmaker[Session],
                        org_id: str, linker: Linker, progress: bool = True) -> dict[str, Any]:
    """Automatic verdicts on AVeriTeC dev against the gold labels, overall and numerical."""
    items = read_averitec(dataset_dir)
    pairs: list[tuple[str, str, bool]] = []
    bar = tqdm(list(enumerate(items)), desc="AVeriTeC dev", disable=not progress,
               file=sys.stderr)
    for index, item in bar:
        auto = assess_one(item, index, session_factory=session_factory, org_id=org_id,
                          linker=linker)
        pairs.append((str(item.get("label")), auto, NUMERICAL in (item.get("claim_types") or [])))
    return {
        "dataset": "averitec-dev",
        "semantic": linker.semantic is not None,
        "overall": assessment_metrics([(g, a) for g, a, _ in pairs]),
        "numerical": assessment_metrics([(g, a) for g, a, numeric in pairs if numeric]),
    }
