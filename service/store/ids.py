"""Sortable identifiers: a prefix and a ULID (time-ordered, 26 Crockford base32 chars)."""

from __future__ import annotations

import os
import threading
import time

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


_lock = threading.Lock()
_last = 0


def new_ulid(now_ms: int | None = None) -> str:
    """48 bits of milliseconds then 80 random bits, Crockford base32 encoded.

    Monotonic within a process: an id made in the same millisecond as the one before is that
    one plus one, so ids made one after another sort in the order they were made (lists that
    order "oldest first" by id rely on it).
    """
    global _last
    ms = int(time.time() * 1000) if now_ms is None else now_ms
    with _lock:
        number = (ms << 80) | int.from_bytes(os.urandom(10), "big")
        if now_ms is None and number >> 80 <= _last >> 80:
            number = _last + 1
        _last = number
    chars = []
    for _ in range(26):
        chars.append(_ALPHABET[number & 31])
        number >>= 5
    return "".join(reversed(chars))


def new_id(prefix: str) -> str:
    """``art_01J...``, ``clm_01J...``: the prefix tells what an id names."""
    return f"{prefix}_{new_ulid()}"
