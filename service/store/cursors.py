"""Opaque pagination cursors: URL-safe base64 of a small JSON list."""

from __future__ import annotations

import base64
import json
from typing import Any

from service.store.errors import InvalidCursor


def encode_cursor(values: list[Any]) -> str:
    raw = json.dumps(values, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, *, arity: int) -> list[Any]:
    """The values inside a cursor this service issued; anything else is a 422."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, UnicodeDecodeError):
        raise InvalidCursor("cursor was not issued by this service") from None
    if not isinstance(values, list) or len(values) != arity:
        raise InvalidCursor("cursor was not issued by this service")
    return values
