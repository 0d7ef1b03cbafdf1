"""Exports: a verified claim's ClaimReview JSON-LD, the ClaimReview feed, the claims CSV.

Any key of the organisation may read them (submitters too): they are what a newsroom
publishes. ``since`` / ``until`` take a date (``2024-06-01``, the whole day) or an ISO 8601
datetime (UTC when it has no offset); both ends are inclusive.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, StreamingResponse

from schemas.claims import ReviewState
from service.api.deps import OrgDep, SessionDep, SettingsDep, Storable
from service.claimreview import claim_review, claim_review_feed
from service.claims_csv import csv_chunks
from service.store import exports
from service.store.ratings import rating_scale

router = APIRouter(tags=["exports"])

DateParam = Annotated[str | None, Query(description="A date (YYYY-MM-DD) or ISO 8601 datetime.")]


class JsonLdResponse(JSONResponse):
    media_type = "application/ld+json"


@router.get("/v1/claims/{claim_id}/claimreview", response_class=JsonLdResponse)
def read_claim_review(claim_id: str, session: SessionDep, org: OrgDep,
                      settings: SettingsDep) -> JsonLdResponse:
    """A verified claim as schema.org ClaimReview JSON-LD (409 while it is not verified)."""
    claim, article = exports.verified_claim(session, org_id=org, claim_id=claim_id)
    organisation, scale = exports.publisher(session, org_id=org)
    return JsonLdResponse(claim_review(claim, article, organisation, scale, settings))


@router.get("/v1/exports/claimreview", response_class=JsonLdResponse)
def read_claim_review_feed(
    request: Request, session: SessionDep, org: OrgDep, settings: SettingsDep,
    since: DateParam = None, until: DateParam = None, cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=exports.MAX_LIMIT)] = 50,
) -> JsonLdResponse:
    """Verified claims reviewed between ``since`` and ``until``, newest review first, as one
    JSON-LD document (``@context``, ``@graph`` of ClaimReviews). Paginated like every list:
    pass ``next_cursor`` back as ``?cursor=`` (null on the last page); the same next page is
    also in a ``Link: <...>; rel="next"`` header."""
    window = exports.date_range(since, until)
    page = exports.verified_claims(session, org_id=org, window=window, cursor=cursor,
                                   limit=limit)
    organisation, scale = exports.publisher(session, org_id=org)
    document = claim_review_feed([claim_review(claim, article, organisation, scale, settings)
                                  for claim, article in page.rows])
    document["next_cursor"] = page.next_cursor
    headers = {}
    if page.next_cursor:
        query = request.url.include_query_params(cursor=page.next_cursor).query
        headers["Link"] = f'<{request.url.path}?{query}>; rel="next"'
    return JsonLdResponse(document, headers=headers)


CSV_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"description": "CSV with a header row (RFC 4180, UTF-8).",
          "content": {"text/csv": {"schema": {"type": "string"}}}},
}


@router.get("/v1/exports/claims.csv", response_class=StreamingResponse, responses=CSV_RESPONSE)
def export_claims_csv(session: SessionDep, org: OrgDep,
                      state: Annotated[ReviewState | None, Query(
                          description="Only claims in this review state.")] = None,
                      article_id: Annotated[str | None, Storable, Query(
                          description="Only this article's claims.")] = None,
                      since: DateParam = None,
                      until: DateParam = None) -> StreamingResponse:
    """The organisation's claims as CSV (streamed), by article then in text order, filtered by
    review state, article, and when the article was received (``since`` / ``until``).

    Columns: id, article_id, article_url, article_title, start, end, text, statement,
    checkworthiness, types (joined with ``;``), speaker, auto, auto_reason, state, verdict,
    verdict_label, rationale, assignee, reviewed_at (ISO 8601, UTC). Cells that begin with
    ``=``, ``+``, ``-``, ``@``, a tab or a carriage return get a leading apostrophe, so a
    spreadsheet never runs article text as a formula.
    """
    window = exports.date_range(since, until)
    rows = exports.claims_for_export(session, org_id=org, window=window, state=state,
                                     article_id=article_id)
    return StreamingResponse(csv_chunks(rows, rating_scale(session, org_id=org)),
                             media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": 'attachment; filename="claims.csv"'})
