"""``/review``: the fact-checkers' page. Sign in with a key, work the queue, give verdicts.

Server-rendered, no script, no outside asset. Pages use a session cookie, not the API's
``Authorization`` header (``service.web.auth`` explains the cookie and CSRF design). Writes
go through the same review store as ``PATCH /v1/claims``, so a stale form meets the same
version check; the page answers it with the claim as it is now, what changed, and the
reviewer's typed text kept (409: a form has no ``If-Match``, so 412 does not apply).
"""

from __future__ import annotations

from importlib.resources import files
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session

from service.api.deps import QueueDep, SessionDep, SettingsDep
from service.store import keys, ratings, review, web_sessions
from service.store.errors import (
    Forbidden,
    InvalidCursor,
    InvalidInput,
    InvalidTransition,
    StaleVersion,
    StoreError,
)
from service.store.web_sessions import SignedIn
from service.web import views
from service.web.actions import VerdictForm, apply_form
from service.web.auth import (
    LOGIN_COOKIE,
    SESSION_COOKIE,
    FormViewer,
    Viewer,
    clear_login_cookie,
    clear_session_cookie,
    new_login_token,
    read_viewer,
    same_token,
    set_login_cookie,
    set_session_cookie,
)
from service.web.pages import SECURITY_HEADERS, PageRefused, PageRoute, local_path, render

router = APIRouter(include_in_schema=False, route_class=PageRoute)
STYLESHEET = files("service.web").joinpath("static", "review.css")
SAVED = {"assign": "Assigned to you.", "verify": "Verified.", "dismiss": "Dismissed.",
         "release": "Returned to the queue.", "reopen": "Reopened for review."}
_STATUS = {InvalidInput: 422, InvalidTransition: 409, Forbidden: 403}


def _redirect(target: str) -> RedirectResponse:
    return RedirectResponse(target, status_code=303, headers=SECURITY_HEADERS)


@router.get("/review/static/review.css")
def read_stylesheet() -> Response:
    """The page's one stylesheet, served from the package (nothing is fetched elsewhere)."""
    return Response(STYLESHEET.read_text(encoding="utf-8"), media_type="text/css",
                    headers={"Cache-Control": "public, max-age=3600",
                             "X-Content-Type-Options": "nosniff"})


@router.get("/review/login")
def read_login(request: Request, session: SessionDep, next: str | None = None) -> Response:
    """The sign-in form (a signed-in visitor goes straight on)."""
    if read_viewer(request, session) is not None:
        return _redirect(local_path(next))
    return _login_form(request, next=next)


def _login_form(request: Request, *, next: str | None, error: str | None = None,
                status: int = 200) -> HTMLResponse:
    token = new_login_token()
    response = render("login.html", status=status, title="Sign in", viewer=None, csrf=token,
                      error=error, next=local_path(next))
    set_login_cookie(response, request, token=token)
    return response


@router.post("/review/login")
def create_login(request: Request, session: SessionDep, settings: SettingsDep,
                 key: Annotated[str, Form(max_length=500)] = "",
                 csrf: Annotated[str, Form(max_length=200)] = "",
                 next: Annotated[str, Form(max_length=2000)] = "/review") -> Response:
    """Check the key; open a session and set its cookie."""
    if not same_token(csrf, request.cookies.get(LOGIN_COOKIE)):
        return _login_form(request, next=next, status=403,
                           error="The sign-in form had expired. Please sign in again.")
    principal = keys.authenticate(session, key.strip())
    if principal is None:
        return _login_form(request, next=next, status=401,
                           error="That key is not valid, or it was revoked.")
    web_sessions.close_token(session, token=request.cookies.get(SESSION_COOKIE, ""))
    token, _ = web_sessions.open_session(session, principal=principal,
                                         hours=settings.review_session_hours)
    session.commit()
    response = _redirect(local_path(next))
    set_session_cookie(response, request, token=token, hours=settings.review_session_hours)
    clear_login_cookie(response, request)
    return response


@router.post("/review/logout")
def delete_login(request: Request, viewer: FormViewer, session: SessionDep) -> Response:
    """Sign out: the session ends and its cookie is removed."""
    web_sessions.close_session(session, token_hash=viewer.token_hash)
    session.commit()
    response = _redirect("/review/login")
    clear_session_cookie(response, request)
    return response


@router.get("/review")
def read_queue(viewer: Viewer, session: SessionDep, state: str = "queued",
               claim_type: Annotated[str, Query(alias="type")] = "", auto: str = "",
               mine: str = "", cursor: str = "") -> Response:
    """The queue: claims most check-worthy first, filtered by state, type, assessment."""
    filters = views.QueueFilters.parse(state=state, type=claim_type, auto=auto, mine=mine)
    try:
        context = views.queue_context(session, viewer=viewer, filters=filters,
                                      cursor=cursor or None)
    except InvalidCursor:
        return _redirect(f"/review?{filters.query()}")
    return render("queue.html", **context)


@router.get("/review/claims/{claim_id}")
def read_claim(claim_id: str, viewer: Viewer, session: SessionDep,
               saved: str = "") -> Response:
    """A claim in its article: spans, evidence, assessment, the verdict form, the history."""
    context = views.claim_context(session, viewer=viewer, claim_id=claim_id,
                                  saved=SAVED.get(saved))
    return render("claim.html", **context)


@router.post("/review/claims/{claim_id}")
def update_claim(
    claim_id: str, viewer: FormViewer, session: SessionDep, queue: QueueDep,
    settings: SettingsDep, action: Annotated[str, Form(max_length=20)] = "",
    version: Annotated[str, Form(max_length=20)] = "",
    verdict: Annotated[str, Form(max_length=100)] = "",
    rationale: Annotated[str, Form(max_length=20_000)] = "",
    reason: Annotated[str, Form(max_length=2_000)] = "",
) -> Response:
    """A button of the claim page: assign, verify, dismiss, return to the queue, reopen."""
    principal = viewer.principal
    if not principal.allows("reviewer"):
        raise PageRefused(403, f"Your key is a {principal.role} key: it can read claims, "
                          "not review them. Sign in with a reviewer key.")
    if not (version.isascii() and version.isdigit()):  # '²'.isdigit() too
        raise PageRefused(400, "The form did not say which version of the claim it changes.")
    form = VerdictForm(action=action, version=int(version), verdict=verdict,
                       rationale=rationale, reason=reason)
    typed = {"verdict": verdict, "rationale": rationale, "reason": reason}
    try:
        outcomes = apply_form(session, actor=principal, claim_id=claim_id, form=form,
                              scale=ratings.rating_scale(session, org_id=principal.org_id))
        session.commit()
    except StaleVersion:
        session.rollback()
        context = views.claim_context(session, viewer=viewer, claim_id=claim_id, form=typed,
                                      changed_since=form.version)
        return render("claim.html", status=409, **context)
    except (InvalidInput, InvalidTransition, Forbidden) as refused:
        session.rollback()
        return _claim_refused(session, viewer=viewer, claim_id=claim_id, typed=typed,
                              refused=refused)
    for outcome in outcomes:
        review.after_commit(queue, outcome, settings=settings)
    return _redirect(f"/review/claims/{quote(claim_id, safe='')}?saved={quote(action)}")


def _claim_refused(session: Session, *, viewer: SignedIn, claim_id: str,
                   typed: dict[str, str], refused: StoreError) -> Response:
    """The claim page again, with the store's reason and the reviewer's text kept."""
    status = next(code for cls, code in _STATUS.items() if isinstance(refused, cls))
    message = refused.detail or "That change is not possible."
    context = views.claim_context(session, viewer=viewer, claim_id=claim_id, form=typed,
                                  error=message[:1].upper() + message[1:])
    return render("claim.html", status=status, **context)
