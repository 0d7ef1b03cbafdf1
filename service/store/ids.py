"""Sortable identifiers: a prefix and a ULID (time-ordered, 26 Crockford base32 chars)."""

from __future__ import annotations

import os
import time

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_ulid(now_ms: int | None = None) -> str:
    """48 bits of milliseconds then 80 random bits, Crockford base32 encoded."""
    ms = int(time.time() * 1000) if now_ms is None else now_ms
    number = (ms << 80) | int.from_bytes(os.urandom(10), "big")
    chars = []
    for _ in range(26):
        chars.append(_ALPHABET[number & 31])
        number >>= 5
    return "".join(reversed(chars))


def new_id(prefix: str) -> str:
    """``art_01J...``, ``clm_01J...``: the prefix tells what an id names."""
    return f"{prefix}_{new_ulid()}"
