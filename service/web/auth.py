"""Signing in to the review page: cookies, the signed-in viewer, CSRF checks.

- ``claimdesk_session`` holds a random token (the database keeps its SHA-256). It is HttpOnly
  (no script reads it), ``Path=/review`` (the API never sees it: the API takes keys only),
  ``Secure`` when the request came over https, and ``SameSite=Lax``: a link to a claim page
  from a chat message, an e-mail or the newsroom's CMS opens signed in, while a form posted
  from another site carries no cookie. Lax is not relied on alone:
- every form carries the session's CSRF token (a synchroniser token kept server-side with
  the session), compared in constant time; a POST without a live session and its token is
  refused with 403 before anything is read or written;
- the sign-in form, which has no session yet, is protected by a double-submit token: a
  ``claimdesk_login`` cookie (``SameSite=Strict``, ``Path=/review/login``) must match the
  form's hidden field, so another site cannot sign a browser in with the attacker's key.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import Depends, Form, Request, Response

from service.api.deps import SessionDep
from service.store import web_sessions
from service.store.web_sessions import SignedIn
from service.web.pages import PageRefused, SignInRequired

SESSION_COOKIE = "claimdesk_session"
LOGIN_COOKIE = "claimdesk_login"
COOKIE_PATH = "/review"
LOGIN_PATH = "/review/login"
LOGIN_FORM_SECONDS = 3600


def same_token(sent: str | None, expected: str | None) -> bool:
    """Constant-time comparison; an empty or missing token never matches."""
    if not sent or not expected:
        return False
    return hmac.compare_digest(sent.encode("utf-8"), expected.encode("utf-8"))


def read_viewer(request: Request, session: SessionDep) -> SignedIn | None:
    """The signed-in session of the request's cookie, or None."""
    token = request.cookies.get(SESSION_COOKIE)
    viewer = web_sessions.find_session(session, token=token) if token else None
    request.state.viewer = viewer  # error pages show who is signed in
    return viewer


def require_viewer(request: Request, session: SessionDep) -> SignedIn:
    """A page that needs a sign-in: without one, the visitor is sent to the sign-in form."""
    viewer = read_viewer(request, session)
    if viewer is None:
        raise SignInRequired()
    return viewer


def require_form_viewer(request: Request, session: SessionDep,
                        csrf: Annotated[str, Form(max_length=200)] = "") -> SignedIn:
    """A form post: it needs a live session and that session's CSRF token, else 403."""
    viewer = read_viewer(request, session)
    if viewer is None or not same_token(csrf, viewer.csrf_token):
        raise PageRefused(403, "This form was not sent from a signed-in review page, or the "
                          "sign-in has expired. Sign in again, then send it again.")
    return viewer


Viewer = Annotated[SignedIn, Depends(require_viewer)]
FormViewer = Annotated[SignedIn, Depends(require_form_viewer)]


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def set_session_cookie(response: Response, request: Request, *, token: str,
                       hours: float) -> None:
    response.set_cookie(SESSION_COOKIE, token, max_age=int(hours * 3600), path=COOKIE_PATH,
                        httponly=True, samesite="lax", secure=_secure(request))


def clear_session_cookie(response: Response, request: Request) -> None:
    response.delete_cookie(SESSION_COOKIE, path=COOKIE_PATH, httponly=True, samesite="lax",
                           secure=_secure(request))


def new_login_token() -> str:
    """A fresh double-submit token for the sign-in form (``set_login_cookie`` sends it)."""
    return secrets.token_urlsafe(32)


def set_login_cookie(response: Response, request: Request, *, token: str) -> None:
    response.set_cookie(LOGIN_COOKIE, token, max_age=LOGIN_FORM_SECONDS, path=LOGIN_PATH,
                        httponly=True, samesite="strict", secure=_secure(request))


def clear_login_cookie(response: Response, request: Request) -> None:
    response.delete_cookie(LOGIN_COOKIE, path=LOGIN_PATH, httponly=True, samesite="strict",
                           secure=_secure(request))
