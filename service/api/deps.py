"""Dependencies, named once and used by type in every route."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header, Request
from rq import Queue
from sqlalchemy.orm import Session

from service.api.problems import UnsupportedMediaType
from service.store.settings import Settings


def get_settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def get_session(request: Request) -> Iterator[Session]:
    with request.app.state.session_factory() as session:
        yield session


def get_queue(request: Request) -> Queue:
    return request.app.state.queue  # type: ignore[no-any-return]


def current_org(settings: Annotated[Settings, Depends(get_settings)]) -> str:
    """The caller's organisation: the default one until API keys arrive."""
    return settings.default_org_id


def require_json(content_type: Annotated[str | None, Header()] = None) -> None:
    """Bodies are JSON: anything else is a 415 before parsing is attempted."""
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media != "application/json" and not media.endswith("+json"):
        raise UnsupportedMediaType(
            f"send the body as application/json, not {media or 'no content type'}"
        )


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session)]
QueueDep = Annotated[Queue, Depends(get_queue)]
OrgDep = Annotated[str, Depends(current_org)]
IdemKey = Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)]
JsonBody = Depends(require_json)
