"""Token buckets in Redis: how many requests an API key may make, per role.

A limit reads ``RATE/UNIT [burst N]``: ``"20/s burst 100"`` refills 20 tokens a second into a
bucket of 100, ``"600/m"`` refills 10 a second into a bucket of 600 (the burst defaults to
the count per unit), ``"off"`` is no limit. Each request takes one token; a request that finds
none is refused with the seconds until one is back.

The bucket is one Redis hash per key (``tokens``, ``ts``), read, refilled and written by one
Lua script, so concurrent requests on any number of service processes never both take the
last token. The script reads Redis's own clock (``TIME``), so service hosts whose clocks
disagree share one timeline. A hash expires once the bucket would be full again, so an idle
key costs no memory. No web framework here: ``service.api.ratelimit`` applies it to requests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from redis import Redis

if TYPE_CHECKING:  # the API's asyncio client; a worker never loads redis.asyncio
    from redis.asyncio import Redis as AsyncRedis

KEY_PREFIX = "claimdesk:ratelimit:"
_UNITS = {"s": 1.0, "sec": 1.0, "second": 1.0, "m": 60.0, "min": 60.0, "minute": 60.0,
          "h": 3600.0, "hour": 3600.0}
_SPEC = re.compile(r"^\s*(?P<count>\d+(?:\.\d+)?)\s*/\s*(?P<unit>[a-z]+)"
                   r"(?:\s+burst\s+(?P<burst>\d+))?\s*$")
_OFF = {"off", "none", "0", ""}

# KEYS[1] the bucket; ARGV[1] tokens per second, ARGV[2] capacity, ARGV[3] tokens to take.
# Returns {1 taken | 0 refused, tokens left, seconds until enough tokens} (numbers as strings:
# Redis would truncate Lua floats to integers).
_TAKE = """
local rate = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1])
local ts = tonumber(state[2])
if tokens == nil or ts == nil then
  tokens, ts = capacity, now
end
tokens = math.min(capacity, tokens + math.max(0, now - ts) * rate)
local taken, wait = 0, 0
if tokens >= cost then
  tokens = tokens - cost
  taken = 1
else
  wait = (cost - tokens) / rate
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.6f', tokens),
           'ts', string.format('%.6f', now))
redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) / rate * 1000) + 1000)
return {taken, string.format('%.6f', tokens), string.format('%.6f', wait)}
"""


@dataclass(frozen=True)
class RateLimit:
    """A bucket of ``burst`` tokens refilled at ``per_second`` tokens a second."""

    per_second: float
    burst: int
    spec: str  # as the operator wrote it, for the problem document

    def __post_init__(self) -> None:
        if self.per_second <= 0 or self.burst < 1:
            raise ValueError("a rate limit needs a positive rate and a burst of at least 1")


@dataclass(frozen=True)
class Decision:
    """The outcome of taking a token: taken or not, what is left, how long to wait if not."""

    allowed: bool
    remaining: float
    retry_after: float  # seconds until a token is back (0 when allowed)


def parse_rate_limit(spec: str) -> RateLimit | None:
    """``"20/s burst 100"``, ``"600/m"``, ``"5000/h burst 200"``; None for ``"off"``.

    :raise ValueError: the text is none of those.
    """
    text = spec.strip().lower()
    if text in _OFF:
        return None
    match = _SPEC.match(text)
    unit = _UNITS.get(match.group("unit")) if match else None
    if match is None or unit is None:
        raise ValueError(f"rate limit {spec!r} is not RATE/UNIT [burst N] (e.g. "
                         "'20/s burst 100', '600/m') or 'off'; units: s, m, h")
    count = float(match.group("count"))
    burst = int(match.group("burst")) if match.group("burst") else max(1, int(count))
    return RateLimit(per_second=count / unit, burst=burst, spec=spec.strip())


class TokenBuckets:
    """Per-key token buckets on one Redis connection; :meth:`take` raises ``RedisError``
    when Redis does not answer (the caller decides what that means)."""

    def __init__(self, redis: Redis) -> None:
        self.redis = redis
        self._take = redis.register_script(_TAKE)

    def take(self, key: str, limit: RateLimit, cost: int = 1) -> Decision:
        """Take ``cost`` tokens from ``key``'s bucket if it holds them."""
        taken, remaining, wait = self._take(
            keys=[KEY_PREFIX + key], args=[repr(limit.per_second), limit.burst, cost]
        )
        return Decision(allowed=bool(int(taken)), remaining=float(remaining),
                        retry_after=float(wait))


class AsyncTokenBuckets:
    """:class:`TokenBuckets` on an asyncio client: the API takes its token on the event loop,
    without a trip to a worker thread."""

    def __init__(self, redis: AsyncRedis) -> None:
        self.redis = redis
        self._take = redis.register_script(_TAKE)

    async def take(self, key: str, limit: RateLimit, cost: int = 1) -> Decision:
        """Take ``cost`` tokens from ``key``'s bucket if it holds them."""
        taken, remaining, wait = await self._take(
            keys=[KEY_PREFIX + key], args=[repr(limit.per_second), limit.burst, cost]
        )
        return Decision(allowed=bool(int(taken)), remaining=float(remaining),
                        retry_after=float(wait))
