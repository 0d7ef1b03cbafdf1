"""A short-lived, in-process cache of authenticated API keys: key -> principal.

Every /v1 request authenticates its key, and looking one up costs a query and a trip to a
worker thread. A principal found is kept ``TTL`` seconds (2), keyed by the key's SHA-256.
A key revoked through this process's API (``DELETE /v1/keys/{id}``) is forgotten at once; one
revoked elsewhere (``claimdesk keys revoke``, another replica of the service) stops working
within ``TTL`` seconds. Unknown and revoked keys are never cached: each such request queries.
``last_used_at`` is written on a lookup, so it may lag by ``TTL`` seconds more than before.
"""

from __future__ import annotations

import time
from typing import Any

from service.store.keys import Principal, hash_secret

TTL = 2.0
MAX_ENTRIES = 10_000


class PrincipalCache:
    """Principals of recently authenticated keys; safe to share between threads."""

    def __init__(self, ttl: float = TTL, max_entries: int = MAX_ENTRIES) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._entries: dict[str, tuple[float, Principal]] = {}

    def get(self, secret: str) -> Principal | None:
        entry = self._entries.get(hash_secret(secret))
        if entry is None or entry[0] < time.monotonic():
            return None
        return entry[1]

    def put(self, secret: str, principal: Principal) -> None:
        if len(self._entries) >= self.max_entries:
            self._entries.clear()  # rare; the next requests query again
        self._entries[hash_secret(secret)] = (time.monotonic() + self.ttl, principal)

    def forget(self, key_id: str) -> None:
        """Drop the key's entry (it was revoked)."""
        for digest, (_, principal) in list(self._entries.items()):
            if principal.key_id == key_id:
                self._entries.pop(digest, None)


def principal_cache(state: Any) -> PrincipalCache:
    """The cache of an app (``app.state``), made on first use."""
    cache = getattr(state, "principal_cache", None)
    if cache is None:
        cache = state.principal_cache = PrincipalCache()
    return cache  # type: ignore[no-any-return]
