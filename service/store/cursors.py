"""Opaque pagination cursors: URL-safe base64 of a small JSON list."""

from __future__ import annotations

import base64
import json
import math
from typing import Any

from schemas.fields import unstorable
from service.store.errors import InvalidCursor

_INT64 = 2**63


def encode_cursor(values: list[Any]) -> str:
    raw = json.dumps(values, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, *, arity: int | None = None,
                  kinds: tuple[type, ...] | None = None) -> list[Any]:
    """The values inside a cursor this service issued; anything else is a 422.

    ``kinds`` gives each value's type (``(float, str)``: a number, then a string); without
    it, ``arity`` values of any of those types. A cursor is the client's input, so a value
    of another type, a string no database stores or a number out of range is refused here,
    before it meets a query.
    """
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise InvalidCursor("cursor was not issued by this service") from None
    expected = len(kinds) if kinds is not None else arity
    if not isinstance(values, list) or len(values) != expected:
        raise InvalidCursor("cursor was not issued by this service")
    for index, value in enumerate(values):
        if not _plain(value, kinds[index] if kinds is not None else None):
            raise InvalidCursor("cursor was not issued by this service")
    return values


def _plain(value: Any, kind: type | None) -> bool:
    """A string the database can store, an integer in 64 bits or a finite number, of
    ``kind`` when given (an integer is a number too)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, str):
        return kind in (None, str) and unstorable(value) is None
    if isinstance(value, int):
        return kind in (None, int, float) and -_INT64 <= value < _INT64
    if isinstance(value, float):
        return kind in (None, float) and math.isfinite(value)
    return False
