"""Rendering for the review page: the Jinja2 environment, security headers, error pages.

Templates are autoescaped (every value is text unless a template says otherwise, and none
does). Pages send a Content-Security-Policy that allows no script at all and only this
service's own stylesheet, so even a value that slipped past escaping could run nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

from fastapi import Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from jinja2 import Environment, PackageLoader, StrictUndefined

from service.store.clock import as_utc
from service.store.errors import Forbidden, NotFound

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


def format_time(value: datetime | str | None) -> str:
    """``2026-11-27 14:03 UTC``; strings (ISO, from JSON) are shown as they are."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return as_utc(value).strftime("%Y-%m-%d %H:%M UTC")


def safe_link(url: str | None) -> str | None:
    """``url`` when it is an http(s) link, else None (a ``javascript:`` URL is no link)."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


ENV = Environment(loader=PackageLoader("service.web", "templates"), autoescape=True,
                  undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
ENV.filters["when"] = format_time
ENV.filters["link"] = safe_link


def render(name: str, *, status: int = 200, **context: Any) -> HTMLResponse:
    """The template ``name`` as an HTML page with the security headers."""
    html = ENV.get_template(name).render(**context)
    return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)


class SignInRequired(Exception):
    """No live session: a page answers with a redirect to the sign-in form."""


class PageRefused(Exception):
    """A request the page refuses with an error page (``status`` and a sentence)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


_TITLES = {403: "Not allowed", 404: "Not found"}


def error_page(status: int, message: str, *, viewer: Any = None) -> HTMLResponse:
    return render("error.html", status=status, title=_TITLES.get(status, "Error"),
                  message=message, viewer=viewer)


def unknown_page(path: str) -> HTMLResponse | None:
    """The 404 page for an unknown path under ``/review`` (a browser's, so not JSON); None
    for any other path."""
    if path != "/review" and not path.startswith("/review/"):
        return None
    return error_page(404, "There is no such page. The review queue is at /review.")


def local_path(target: str | None) -> str:
    """``target`` when it is a path of the review page, else ``/review`` (no open redirect)."""
    if (target and target.startswith("/review") and "//" not in target and "\\" not in target
            and all(c.isprintable() for c in target)):
        return target
    return "/review"


class PageRoute(APIRoute):
    """A route whose refusals are pages: no sign-in redirects to the form, and the store's
    ``NotFound`` and ``Forbidden`` become 404 and 403 pages instead of problem documents."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except SignInRequired:
                target = local_path(request.url.path + (f"?{request.url.query}"
                                                        if request.url.query else ""))
                login = "/review/login" if target == "/review" else (
                    "/review/login?" + urlencode({"next": target}))
                return RedirectResponse(login, status_code=303, headers=SECURITY_HEADERS)
            except PageRefused as refused:
                return error_page(refused.status, refused.message, viewer=_viewer(request))
            except NotFound as missing:
                return error_page(404, missing.detail or "There is nothing here.",
                                  viewer=_viewer(request))
            except Forbidden as forbidden:
                return error_page(403, forbidden.detail or "Your key may not do this.",
                                  viewer=_viewer(request))

        return handle


def _viewer(request: Request) -> Any:
    """The signed-in viewer the request's dependencies found, if any."""
    return getattr(request.state, "viewer", None)
