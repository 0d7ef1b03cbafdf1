"""``/v1/sources``: store evidence sources, read and delete them, search their passages."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Query, Response

from schemas.search_terms import search_terms
from schemas.sources import (
    PassageOut,
    SearchHit,
    SearchResults,
    SourceCreate,
    SourceKind,
    SourceOut,
)
from service.api.deps import (
    AdminOnly,
    JsonBody,
    OrgDep,
    QueueDep,
    SessionDep,
    SettingsDep,
    Storable,
)
from service.store import sources
from service.store.clock import as_utc
from service.store.errors import InvalidInput
from service.store.models import Passage, Source
from service.store.relink import queue_relink
from service.store.search import make_snippet, search_passages

router = APIRouter(prefix="/v1/sources", tags=["sources"])
MAX_BATCH = 1000
SourceBody = Annotated[SourceCreate | list[SourceCreate], Body()]


@router.post("", status_code=201, dependencies=[AdminOnly, JsonBody],
             response_model=SourceOut | list[SourceOut])
def create_sources(body: SourceBody, session: SessionDep, queue: QueueDep, org: OrgDep,
                   settings: SettingsDep, response: Response) -> SourceOut | list[SourceOut]:
    """Store one source (201, or 200 when its URL was known) or a list of them (200).

    The organisation's claims the new or changed sources could affect are linked again by a
    queued job.
    """
    if isinstance(body, list):
        if len(body) > MAX_BATCH:
            raise InvalidInput(f"send at most {MAX_BATCH} sources in one request")
        stored = [sources.upsert_source(session, org_id=org, source=item) for item in body]
        session.commit()
        queue_relink(queue, org_id=org, job_timeout=settings.job_timeout,
                     source_ids=[row.id for row, outcome in stored if outcome != "unchanged"])
        response.status_code = 200
        return [source_out(row) for row, _ in stored]
    row, outcome = sources.upsert_source(session, org_id=org, source=body)
    session.commit()
    if outcome != "unchanged":
        queue_relink(queue, org_id=org, job_timeout=settings.job_timeout, source_ids=[row.id])
    if outcome != "created":
        response.status_code = 200
    response.headers["Location"] = f"/v1/sources/{row.id}"
    passages = sources.list_passages(session, org_id=org, source_id=row.id)
    return source_out(row, passages)


@router.get("/search", response_model=SearchResults)
def search_sources(session: SessionDep, org: OrgDep,
                   q: Annotated[str, Storable, Query(min_length=1, max_length=5000,
                                           description="Words to find; a passage matches any "
                                           "of them (stop words are left out).")],
                   kind: Annotated[SourceKind | None,
                                   Query(description="Only sources of this kind.")] = None,
                   limit: Annotated[int, Query(ge=1, le=100)] = 20) -> SearchResults:
    """Passages matching any word of ``q``, best first, each with a snippet."""
    terms = search_terms(q)
    hits = search_passages(session, org_id=org, query=q, kind=kind, limit=limit)
    items = [
        SearchHit(
            source_id=h.source_id, passage_id=h.passage_id, kind=h.kind,
            score=h.lexical_score, snippet=make_snippet(h.text, terms), start=h.start,
            end=h.end, title=h.title, url=h.url, publisher=h.publisher,
            published_at=h.published_at, claimant=h.claimant, rating_text=h.rating_text,
            rating_value=h.rating_value, best_rating=h.best_rating, worst_rating=h.worst_rating,
        )
        for h in hits
    ]
    return SearchResults(terms=terms, items=items)


@router.get("/{source_id}", response_model=SourceOut)
def read_source(source_id: str, session: SessionDep, org: OrgDep) -> SourceOut:
    """A source with its passages."""
    row = sources.get_source(session, org_id=org, source_id=source_id)
    return source_out(row, sources.list_passages(session, org_id=org, source_id=source_id))


@router.delete("/{source_id}", status_code=204, dependencies=[AdminOnly])
def delete_source(source_id: str, session: SessionDep, queue: QueueDep, org: OrgDep,
                  settings: SettingsDep) -> Response:
    """Delete a source and its passages; claims citing it are linked again by a queued job."""
    sources.delete_source(session, org_id=org, source_id=source_id)
    session.commit()
    queue_relink(queue, org_id=org, job_timeout=settings.job_timeout, source_ids=[source_id])
    return Response(status_code=204)


def source_out(row: Source, passages: list[Passage] | None = None) -> SourceOut:
    """The API view of a stored source."""
    return SourceOut(
        id=row.id, kind=row.kind, url=row.url, title=row.title,
        publisher=row.publisher, published_at=as_utc(row.published_at), text=row.text,
        claim_reviewed=row.claim_reviewed, claimant=row.claimant, rating_text=row.rating_text,
        rating_value=row.rating_value, best_rating=row.best_rating,
        worst_rating=row.worst_rating, metadata=row.metadata_,
        created_at=as_utc(row.created_at), updated_at=as_utc(row.updated_at),
        passages=None if passages is None else [
            PassageOut(id=p.id, position=p.position, start=p.start_offset, end=p.end_offset,
                       text=p.text)
            for p in passages
        ],
    )
