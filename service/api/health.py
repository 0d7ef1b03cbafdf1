"""Liveness and readiness for operators and orchestrators."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from redis.exceptions import RedisError
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

router = APIRouter(tags=["health"])


class Readiness(BaseModel):
    """Whether the service can take requests, and the check of each thing it needs."""

    status: Literal["ready", "unavailable"] = Field(description="ready when every check is ok.")
    checks: dict[str, str] = Field(description="database and redis: 'ok', or 'unavailable: ' "
                                   "and the error's class.")


NOT_READY: dict[int | str, dict[str, Any]] = {
    503: {"model": Readiness, "description": "The database or Redis does not answer."},
}


@router.get("/healthz")
def read_health() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/readyz", response_model=Readiness, responses=NOT_READY)
def read_readiness(request: Request) -> JSONResponse:
    """The database and Redis both answer (503 naming the one that does not)."""
    checks: dict[str, Any] = {"database": "ok", "redis": "ok"}
    try:
        with request.app.state.session_factory() as session:
            session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        checks["database"] = f"unavailable: {type(exc).__name__}"
    try:
        request.app.state.redis.ping()
    except RedisError as exc:
        checks["redis"] = f"unavailable: {type(exc).__name__}"
    ready = all(v == "ok" for v in checks.values())
    return JSONResponse({"status": "ready" if ready else "unavailable", "checks": checks},
                        status_code=200 if ready else 503)
