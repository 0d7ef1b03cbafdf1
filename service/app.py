"""The FastAPI application, built by ``create_app(settings)``."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from fastapi import Depends, FastAPI

from service.api import (
    articles,
    batch,
    claims,
    exports,
    health,
    keys,
    ratings,
    sources,
    webhooks,
)
from service.api.deps import current_principal
from service.api.docs import add_docs
from service.api.metrics import router as metrics_router
from service.api.middleware import InputGuards
from service.api.openapi import document_api
from service.api.problems import register_problem_handlers
from service.api.ratelimit import RateLimiter, connect_async_redis, enforce_rate_limit
from service.api.request_ids import RequestIds
from service.api.timeouts import RequestTimeout
from service.store.db import make_engine, make_session_factory
from service.store.lifecycle import Sweeper
from service.store.migrate import upgrade_database
from service.store.queue import connect_redis, make_queue
from service.store.settings import Settings
from service.web import review as review_page
from service.web.pages import unknown_page

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, *, migrate: bool = True) -> FastAPI:
    """Build the app; its lifespan migrates the database and opens the engine and queue."""
    settings = settings or Settings()
    if not settings.redis_url:
        raise RuntimeError("create_app needs a redis_url; `claimdesk serve` starts one")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if migrate:
            upgrade_database(settings)
        engine = make_engine(settings.resolved_database_url(),
                             statement_timeout=settings.database_statement_timeout)
        app.state.session_factory = make_session_factory(engine)
        app.state.redis = connect_redis(settings.redis_url or "")
        app.state.queue = make_queue(settings, app.state.redis)
        app.state.async_redis = connect_async_redis(settings.redis_url or "")
        app.state.rate_limiter = RateLimiter(settings, app.state.redis, app.state.async_redis)
        sweeper = None
        if settings.sweep_interval > 0:
            sweeper = Sweeper(app.state.session_factory, app.state.queue,
                              interval=settings.sweep_interval,
                              grace=timedelta(seconds=settings.sweep_grace_seconds),
                              job_timeout=settings.job_timeout, settings=settings)
            sweeper.start()
        try:
            yield
        finally:
            if sweeper is not None:
                sweeper.stop()
            app.state.redis.close()
            await app.state.async_redis.aclose()
            engine.dispose()

    app = FastAPI(title="claimdesk", version="0.1.0", lifespan=lifespan,
                  description="Checkable claims from news articles, with offsets and evidence.",
                  docs_url=None, redoc_url=None)  # add_docs serves /docs without a CDN
    app.state.settings = settings
    register_problem_handlers(app, not_found_page=unknown_page)
    # The size limit (413), a NUL in a path (404 on every database), a JSON body not UTF-8
    # (422) in one layer (InputGuards).
    app.add_middleware(InputGuards, max_bytes=settings.max_body_bytes,
                       by_path={batch.BATCH_PATH: settings.max_batch_body_bytes})
    app.add_middleware(RequestTimeout, seconds=settings.request_timeout)
    app.add_middleware(RequestIds)  # added last: outermost, so every answer has its id
    app.include_router(health.router)
    app.include_router(metrics_router)  # no key, like the probes
    app.include_router(review_page.router)  # /review: its own cookie sign-in, not /v1 keys
    for module in (batch, articles, claims, sources, keys, ratings, exports, webhooks):
        # Every /v1 route needs a valid key, whatever its own dependencies say, and keeps to
        # the key's rate limit (checked after the key, so an unknown key is a 401, not a 429).
        app.include_router(module.router, dependencies=[Depends(current_principal),
                                                        Depends(enforce_rate_limit)])
    add_docs(app)
    # Last: routes added after it are documented too, but keep every include_router above.
    document_api(app)
    return app
