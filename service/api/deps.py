"""Dependencies, named once and used by type in every route.

Those that do no I/O are ``async def``: FastAPI runs a plain ``def`` dependency in a worker
thread, and each such trip (with its thread switches) cost more than the work. The key lookup
and closing a session that still holds a connection go to a worker thread themselves.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated

import anyio
from fastapi import Depends, Header, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import AfterValidator
from rq import Queue
from sqlalchemy.orm import Session

from schemas.fields import storable
from service.api.guards import is_json, media_type
from service.api.key_cache import principal_cache
from service.api.problems import Unauthorized, UnsupportedMediaType
from service.store import keys
from service.store.errors import Forbidden
from service.store.keys import Principal
from service.store.settings import Settings


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


async def get_session(request: Request) -> AsyncIterator[Session]:
    """The request's session: made here (it connects on first use), closed in a worker thread
    when it still holds a connection (a route that committed gave it back already)."""
    session: Session = request.app.state.session_factory()
    try:
        yield session
    finally:
        if session.in_transaction():
            with anyio.CancelScope(shield=True):
                await run_in_threadpool(session.close)
        else:
            session.close()


async def get_queue(request: Request) -> Queue:
    return request.app.state.queue  # type: ignore[no-any-return]


bearer = HTTPBearer(
    auto_error=False, scheme_name="bearer",
    description="An API key of the organisation: `claimdesk keys create --org ORG --role ROLE` "
    "or `POST /v1/keys` (admins). Send it as `Authorization: Bearer <key>`.",
)


async def current_principal(
    request: Request, session: Annotated[Session, Depends(get_session)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    """The key's principal; 401 without a valid, unrevoked key. Found keys are cached for two
    seconds (``service.api.key_cache``: the bound on a revocation made elsewhere)."""
    if credentials is None:
        raise Unauthorized("send an API key as 'Authorization: Bearer <key>'")
    cache = principal_cache(request.app.state)
    principal = cache.get(credentials.credentials)
    if principal is None:
        principal = await run_in_threadpool(keys.authenticate, session, credentials.credentials)
        if principal is None:
            raise Unauthorized("the API key is not valid, or it was revoked")
        cache.put(credentials.credentials, principal)
    request.state.principal = principal
    return principal


PrincipalDep = Annotated[Principal, Depends(current_principal)]


async def current_org(principal: PrincipalDep) -> str:
    """The caller's organisation: every query is scoped to it."""
    return principal.org_id


def require_role(role: str) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency that lets through keys of ``role`` or above, and answers 403 otherwise."""

    async def allowed(principal: PrincipalDep) -> Principal:
        if not principal.allows(role):
            raise Forbidden(f"this needs a {role} key (or above); this key is a {principal.role}",
                            needed_role=role, role=principal.role)
        return principal

    return allowed


async def require_json(
    content_type: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> None:
    """Bodies are JSON: anything else is a 415 before parsing is attempted."""
    if not is_json(content_type):
        media = media_type(content_type)
        raise UnsupportedMediaType(
            f"send the body as application/json, not {media or 'no content type'}"
        )


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session)]
QueueDep = Annotated[Queue, Depends(get_queue)]
OrgDep = Annotated[str, Depends(current_org)]
Reviewer = Annotated[Principal, Depends(require_role("reviewer"))]
Admin = Annotated[Principal, Depends(require_role("admin"))]
AdminOnly = Depends(require_role("admin"))
ReviewerOnly = Depends(require_role("reviewer"))
Storable = AfterValidator(storable)  # a query or header string that reaches the database
IdemKey = Annotated[str | None, Storable, Header(
    alias="Idempotency-Key", max_length=200,
    description="Any string of yours (a UUID): the same key with the same body gets the "
    "article already stored instead of a second one, so a retry is safe; with another body, "
    "a 409.")]
JsonBody = Depends(require_json)
