"""Rate limits on every /v1 request, per API key, by the key's role (``rate_limit_<role>``).

``enforce_rate_limit`` runs after ``current_principal`` (``service.app`` adds both to every
/v1 router) and takes one token from the key's bucket (``service.store.ratelimit``); an empty
bucket is a 429 ``rate-limited`` problem with ``Retry-After`` (whole seconds, at least 1).
Every request costs one token, a batch of articles included: its size is capped by
``max_batch_articles`` and ``max_batch_body_bytes`` instead.

When Redis does not answer, requests pass (fail open) and a warning is logged once per
outage. The limit guards capacity; refusing every request because the limiter's store is
away would turn a Redis outage into an outage of the whole API, including the reads and the
article intake that work without Redis (a posted article is stored and the sweeper queues it
later). While Redis is away the limiter does not ask it again for ``OUTAGE_PAUSE`` seconds, so
requests do not each wait for a connection timeout.
"""

from __future__ import annotations

import logging
import math
import threading
import time

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from redis import Redis
from redis.asyncio import Redis as AsyncRedis
from redis.exceptions import RedisError

from schemas.keys import ROLES
from service.api.deps import PrincipalDep
from service.api.problems import RateLimited
from service.store.keys import Principal
from service.store.ratelimit import AsyncTokenBuckets, Decision, RateLimit, TokenBuckets
from service.store.settings import Settings

log = logging.getLogger(__name__)
OUTAGE_PAUSE = 5.0  # seconds the limiter leaves Redis alone after it failed to answer


class RateLimiter:
    """The buckets of every key, with the limits of each role and fail-open on outages."""

    def __init__(self, settings: Settings, redis: Redis,
                 async_redis: AsyncRedis | None = None) -> None:
        self.limits: dict[str, RateLimit | None] = {r: settings.rate_limit(r) for r in ROLES}
        self.buckets = TokenBuckets(redis)
        self.async_buckets = AsyncTokenBuckets(async_redis) if async_redis is not None else None
        self._lock = threading.Lock()
        self._down_until: float | None = None  # monotonic time; None while Redis answers

    def check(self, principal: Principal) -> tuple[Decision, RateLimit] | None:
        """Take a token for the key; None when its role has no limit or Redis is away."""
        limit = self.limits.get(principal.role)
        if limit is None or self._paused():
            return None
        try:
            decision = self.buckets.take(principal.key_id, limit)
        except RedisError as exc:
            self._failed(exc)
            return None
        self._answered()
        return decision, limit

    async def check_async(self, principal: Principal) -> tuple[Decision, RateLimit] | None:
        """:meth:`check` on the event loop (the asyncio client), else in a worker thread."""
        if self.async_buckets is None:
            return await run_in_threadpool(self.check, principal)
        limit = self.limits.get(principal.role)
        if limit is None or self._paused():
            return None
        try:
            decision = await self.async_buckets.take(principal.key_id, limit)
        except RedisError as exc:
            self._failed(exc)
            return None
        self._answered()
        return decision, limit

    def _paused(self) -> bool:
        down_until = self._down_until
        return down_until is not None and time.monotonic() < down_until

    def _failed(self, exc: RedisError) -> None:
        with self._lock:
            first = self._down_until is None
            self._down_until = time.monotonic() + OUTAGE_PAUSE
        if first:
            log.warning("rate limits are off while Redis does not answer (%s); requests pass",
                        exc)

    def _answered(self) -> None:
        if self._down_until is None:
            return
        with self._lock:
            self._down_until = None
        log.info("Redis answers again: rate limits are on")


def connect_async_redis(url: str) -> AsyncRedis:
    """``service.store.queue.connect_redis`` for the event loop, failing as fast."""
    return AsyncRedis.from_url(url, socket_connect_timeout=2, socket_timeout=5)


async def enforce_rate_limit(request: Request, principal: PrincipalDep) -> None:
    """429 when the key has used up its role's requests; nothing when it has not. ``async``:
    the token is taken on the event loop (a plain ``def`` was a trip to a worker thread)."""
    limiter: RateLimiter | None = getattr(request.app.state, "rate_limiter", None)
    outcome = await limiter.check_async(principal) if limiter is not None else None
    if outcome is None or outcome[0].allowed:
        return
    decision, limit = outcome
    retry_after = max(1, math.ceil(decision.retry_after))
    raise RateLimited(
        f"this key made more requests than its role ({principal.role}) allows: {limit.spec}; "
        f"retry in {retry_after} s",
        retry_after=retry_after, limit=limit.spec,
    )
