"""Authenticated keys are cached briefly: a revocation elsewhere counts within the TTL, one
through this process's API at once (``tests/test_keys_cli.py`` checks that over HTTP)."""

from __future__ import annotations

import time

from service.api.key_cache import PrincipalCache
from service.store.keys import Principal

KEY = "cdk_" + "x" * 43
ALICE = Principal(key_id="key_1", org_id="org_default", role="submitter")


def test_a_cached_key_is_found_until_its_ttl_is_over() -> None:
    cache = PrincipalCache(ttl=0.05)
    assert cache.get(KEY) is None
    cache.put(KEY, ALICE)
    assert cache.get(KEY) == ALICE
    time.sleep(0.06)
    assert cache.get(KEY) is None


def test_forgetting_a_key_id_drops_its_entry_only() -> None:
    cache = PrincipalCache()
    other = Principal(key_id="key_2", org_id="org_default", role="reviewer")
    cache.put(KEY, ALICE)
    cache.put(KEY + "y", other)
    cache.forget("key_1")
    assert cache.get(KEY) is None and cache.get(KEY + "y") == other


def test_the_cache_never_grows_past_its_bound() -> None:
    cache = PrincipalCache(max_entries=3)
    for n in range(10):
        cache.put(f"{KEY}{n}", ALICE)
    assert len(cache._entries) <= 3
