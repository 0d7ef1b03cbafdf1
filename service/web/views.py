"""What the review page's templates show: the queue's rows and filters, a claim in its article,
its history in words. Reads only; every query is scoped to the viewer's organisation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, get_args
from urllib.parse import urlencode

from sqlalchemy.orm import Session

from schemas.claims import AutoVerdict, ClaimOut, ClaimType, ReviewState
from schemas.review import RatingScale
from service.store import claims, lookups, ratings, review
from service.store.articles import get_article
from service.store.clock import as_utc
from service.store.models import ClaimEvent
from service.store.web_sessions import SignedIn
from service.web.highlight import describe_span, highlight
from service.web.pages import format_time

PAGE_SIZE = 50
STATES: tuple[str, ...] = get_args(ReviewState)
TYPES: tuple[str, ...] = get_args(ClaimType)
AUTOS: tuple[str, ...] = get_args(AutoVerdict)
FIELD_NAMES = {"state": "state", "verdict": "verdict", "rationale": "rationale",
               "reason": "dismissal reason", "evidence": "cited evidence",
               "assignee": "assigned to", "reviewer": "reviewed by",
               "reviewed_at": "reviewed at"}


@dataclass(frozen=True)
class QueueFilters:
    """The queue's GET form; values not on offer fall back to the defaults."""

    state: str = "queued"  # or "all"
    type: str = ""
    auto: str = ""
    mine: bool = False

    @classmethod
    def parse(cls, *, state: str, type: str, auto: str, mine: str) -> QueueFilters:
        return cls(state=state if state in (*STATES, "all") else "queued",
                   type=type if type in TYPES else "", auto=auto if auto in AUTOS else "",
                   mine=mine in ("1", "on", "true"))

    def query(self, **extra: str) -> str:
        """The query string of these filters (plus ``extra``), for links."""
        params = {"state": self.state, "type": self.type, "auto": self.auto,
                  "mine": "1" if self.mine else "", **extra}
        return urlencode({k: v for k, v in params.items() if v})


@dataclass(frozen=True)
class QueueRow:
    claim: ClaimOut
    article: str
    assignee: str | None


def queue_context(session: Session, *, viewer: SignedIn, filters: QueueFilters,
                  cursor: str | None) -> dict[str, Any]:
    """The queue page: one page of claims, most check-worthy first."""
    org_id = viewer.principal.org_id
    page = claims.list_claims(
        session, org_id=org_id, state=None if filters.state == "all" else filters.state,
        claim_type=filters.type or None, auto=filters.auto or None,
        assignee=viewer.principal.key_id if filters.mine else None, cursor=cursor,
        limit=PAGE_SIZE)
    labels = lookups.article_labels(session, org_id=org_id,
                                    article_ids=[c.article_id for c in page.items])
    names = lookups.key_names(session, org_id=org_id)
    rows = [QueueRow(claim=c, article=labels.get(c.article_id, c.article_id),
                     assignee=_name(c.verification.assignee, names, viewer))
            for c in page.items]
    next_link = f"/review?{filters.query(cursor=page.next_cursor)}" if page.next_cursor else None
    return {"title": "Review queue", "viewer": viewer, "filters": filters, "rows": rows,
            "states": STATES, "types": TYPES, "autos": AUTOS, "next_link": next_link,
            "first_link": f"/review?{filters.query()}" if cursor else None}


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class Entry:
    """One history entry in words."""

    at: str
    who: str
    action: str
    version: int
    changes: list[Change] = field(default_factory=list)


def claim_context(session: Session, *, viewer: SignedIn, claim_id: str,
                  form: dict[str, Any] | None = None, error: str | None = None,
                  changed_since: int | None = None, saved: str | None = None) -> dict[str, Any]:
    """The claim page. ``form``: what the reviewer typed, shown again; ``changed_since``: the
    version their form was made from, when someone else has changed the claim since.

    :raise NotFound: no such claim in the viewer's organisation.
    """
    org_id = viewer.principal.org_id
    row = claims.get_claim(session, org_id=org_id, claim_id=claim_id)
    article = get_article(session, org_id=org_id, article_id=row.article_id)
    scale = ratings.rating_scale(session, org_id=org_id)
    names = lookups.key_names(session, org_id=org_id)
    history = [_entry(event, names, scale, viewer)
               for event in review.claim_history(session, org_id=org_id, claim_id=claim_id)]
    typed = {"verdict": row.verdict or "", "rationale": row.rationale or "",
             "reason": row.dismiss_reason or "", **(form or {}), "version": row.version}
    record = claims.to_claim_out(row)
    return {
        "title": row.statement, "viewer": viewer, "claim": record, "row": row,
        "article": article, "scale": scale, "history": list(reversed(history)),
        "highlight": highlight(article.text, start=row.start_offset, end=row.end_offset,
                               spans=row.spans),
        "spans": [(span, describe_span(span)) for span in row.spans],
        "can_review": viewer.principal.allows("reviewer"), "form": typed, "error": error,
        "saved": saved, "changed_since": changed_since,
        "their_changes": [e for e in history if changed_since is not None
                          and e.version > changed_since],
        "verdict_label": _verdict(row.verdict, scale) if row.verdict else None,
        "assignee": _name(row.assignee, names, viewer),
        "reviewer": _name(row.reviewer, names, viewer),
    }


def _entry(event: ClaimEvent, names: dict[str, str], scale: RatingScale,
           viewer: SignedIn) -> Entry:
    who = event.actor_name or names.get(event.actor, event.actor)
    if event.actor == viewer.principal.key_id:
        who = f"{who} (you)"
    return Entry(at=format_time(as_utc(event.at)), who=who, action=event.action,
                 version=event.version, changes=[
                     Change(field=FIELD_NAMES.get(name, name),
                            old=_value(name, change.get("old"), names, scale, viewer),
                            new=_value(name, change.get("new"), names, scale, viewer))
                     for name, change in event.changes.items()])


def _value(name: str, value: Any, names: dict[str, str], scale: RatingScale,
           viewer: SignedIn) -> str:
    """A history value as a person reads it."""
    if value is None or value == "":
        return "\u2014"
    if name in ("assignee", "reviewer"):
        return _name(str(value), names, viewer) or "\u2014"
    if name == "verdict":
        return _verdict(str(value), scale)
    if name == "evidence" and isinstance(value, list):
        return f"{len(value)} item{'s' if len(value) != 1 else ''}"
    if name == "state":
        return str(value).replace("_", " ")
    return str(value)


def _verdict(name: str, scale: RatingScale) -> str:
    level = scale.level(name)
    return level.label if level else name


def _name(key_id: str | None, names: dict[str, str], viewer: SignedIn) -> str | None:
    if key_id is None:
        return None
    name = names.get(key_id, key_id)
    return f"{name} (you)" if key_id == viewer.principal.key_id else name
