"""What every model shares: request bodies a database can store, and UTC datetimes out.

- ``RequestModel`` is the base of every request body. Each of its fields, present and future,
  refuses strings no database of ours can store: a lone surrogate (``"\\ud800"`` escaped in
  JSON: half of a UTF-16 pair, not a character, so it cannot be encoded as UTF-8) and NUL
  (``"\\u0000"``: PostgreSQL ``text`` and ``json`` cannot hold it, and psycopg refuses it
  before sending). Numbers must be finite (``NaN`` and ``Infinity`` are not JSON). The error
  names the field: ``title: contains a lone surrogate (\\ud800) that is not valid Unicode``.
- ``JsonObject`` is the caller's own ``metadata``: any JSON object, checked the same way at
  every depth, at most ``MAX_JSON_DEPTH`` deep.
- ``storable`` is the same check for a query or header parameter (``AfterValidator``).
- ``DatetimeIn`` is a datetime the caller sends, kept as sent but refused when it has no
  UTC equivalent (``0001-01-01T00:00:00+05:00``).
- ``UtcDatetime`` is every datetime the API sends: naive values (SQLite gives them back so)
  are UTC, aware ones are converted, and JSON writes them as RFC 3339 with ``Z``
  (``2026-11-27T14:03:00.120000Z``); ``rfc3339`` writes one the same way outside a model.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    PlainSerializer,
    ValidationInfo,
    field_validator,
)

MAX_JSON_DEPTH = 32
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def unstorable(value: str, *, nul: bool = True) -> str | None:
    """Why a database cannot store ``value`` (a lone surrogate, or NUL), or None if it can."""
    found = _UNSTORABLE.search(value) if nul else re.search("[\ud800-\udfff]", value)
    if found is None:
        return None
    char = found.group()
    if char == "\x00":
        return "contains a NUL character (\\u0000), which cannot be stored"
    return f"contains a lone surrogate (\\u{ord(char):04x}) that is not valid Unicode"


def storable(value: Any) -> Any:
    """``value`` unchanged when every string in it can be stored; else a ``ValueError``.

    Looks into lists (of strings) but not into objects: a nested model or ``JsonObject``
    checks its own, so the error names the field inside it.
    """
    _refuse(value, nul=True)
    return value


def _refuse(value: Any, *, nul: bool) -> None:
    if isinstance(value, str):
        if (reason := unstorable(value, nul=nul)) is not None:
            raise ValueError(reason)
    elif isinstance(value, list | tuple):
        for item in value:
            _refuse(item, nul=nul)


class RequestModel(BaseModel):
    """A request body: unknown fields refused, every string storable, every number finite.

    ``nul_checked_later`` names fields whose NUL a later check refuses with a more useful
    problem (article text: ``binary-text``); lone surrogates are refused in them all the same.
    """

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    nul_checked_later: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="before")
    @classmethod
    def _storable_strings(cls, value: Any, info: ValidationInfo) -> Any:
        _refuse(value, nul=info.field_name not in cls.nul_checked_later)
        return value


def _json_object(value: dict[str, Any]) -> dict[str, Any]:
    _refuse_json(value, where="", depth=1)
    return value


def _refuse_json(value: Any, *, where: str, depth: int) -> None:
    """Refuse what JSON or a database cannot hold, saying where (``the value at cms.ids.2``)."""
    what = f"the value at {where}" if where else "it"
    if isinstance(value, dict | list) and depth > MAX_JSON_DEPTH:
        raise ValueError(f"{what} is nested more than {MAX_JSON_DEPTH} levels deep")
    if isinstance(value, dict):
        for key, item in value.items():
            inner = f"{where}.{key}" if where else str(key)
            if (reason := unstorable(str(key))) is not None:
                raise ValueError(f"the key {inner!r} {reason}")
            _refuse_json(item, where=inner, depth=depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _refuse_json(item, where=f"{where}.{index}" if where else str(index),
                         depth=depth + 1)
    elif isinstance(value, str):
        if (reason := unstorable(value)) is not None:
            raise ValueError(f"{what} {reason}")
    elif isinstance(value, float) and not math.isfinite(value):
        name = "NaN" if math.isnan(value) else ("-" if value < 0 else "") + "Infinity"
        raise ValueError(f"{what} is {name}, which is not a JSON number")


JsonObject = Annotated[dict[str, Any], AfterValidator(_json_object)]


def to_utc(value: datetime) -> datetime:
    """``value`` in UTC; a naive one is taken to be UTC already (every stored time is).

    :raise ValueError: it falls outside years 1 to 9999 once in UTC (``0001-01-01T00:00+05:00``).
    """
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError("is out of range once converted to UTC (years 1 to 9999)") from None


def _convertible(value: datetime) -> datetime:
    to_utc(value)
    return value


def rfc3339(value: datetime) -> str:
    """``value`` as the API writes datetimes: UTC, RFC 3339, ``Z`` (microseconds if any)."""
    return to_utc(value).isoformat().replace("+00:00", "Z")


# A datetime the caller sends: any offset, or none (UTC); kept as sent, but refused when it
# has no UTC equivalent (which the store would fail to convert).
DatetimeIn = Annotated[datetime, AfterValidator(_convertible)]

# Normalised when validated, and again when written: a model built without validation (or a
# field assigned later) still goes out in UTC with ``Z``.
UtcDatetime = Annotated[datetime, AfterValidator(to_utc),
                        PlainSerializer(to_utc, return_type=datetime)]


def _date_or_rfc3339(value: str) -> str:
    """An ISO date as it is; an ISO datetime in the API's form (UTC, ``Z``)."""
    if "T" not in value.upper():
        return value
    try:
        return rfc3339(datetime.fromisoformat(value))
    except ValueError:
        return value


# An ISO date (``2024-05-01``) or datetime, as a string (evidence stored as JSON has either).
DateOrUtcDatetime = Annotated[str, AfterValidator(_date_or_rfc3339)]
