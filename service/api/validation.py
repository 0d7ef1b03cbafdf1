"""Validation errors in the caller's terms: where the bad value is, and what is wrong with it.

pydantic's locations name its own machinery beside the caller's fields: ``body`` first, then
union members and validator wrappers (``list[SourceCreate]``,
``function-after[_fields_of_kind(), SourceCreate]``), then fields and list indexes.
``field_errors`` keeps what the caller wrote:

- a body field by its path in the body: ``["claim_reviewed"]``, ``["3", "url"]`` (the fourth
  item's url), ``[]`` for the body as a whole;
- a parameter by where it is sent, then its name: ``["query", "limit"]``,
  ``["header", "Idempotency-Key"]``.

When a value fits no member of a union (a source, or a list of sources), the members it was
not meant for ("Input should be a valid list" for an object) are left out: only the errors
inside the member of its shape are kept.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

# Errors that say a value has the wrong shape as a whole (object, list), not what is inside.
_SHAPE = frozenset({"dict_type", "list_type", "model_type", "model_attributes_type",
                    "tuple_type", "is_instance_of"})
_BODY_SHAPE = {"dict_type": "the body must be a JSON object",
               "model_type": "the body must be a JSON object",
               "model_attributes_type": "the body must be a JSON object",
               "list_type": "the body must be a JSON array"}
_PREFIXES = ("Value error, ", "Assertion failed, ")


def field_errors(errors: Sequence[Mapping[str, Any]], body: Any) -> list[dict[str, Any]]:
    """``errors`` (``RequestValidationError.errors()``) as ``{"loc", "msg"}`` in user terms."""
    found = [(user_loc(e.get("loc", ()), body, missing=e.get("type") == "missing"), e)
             for e in errors]
    kept = [(loc, e) for loc, e in found
            if not (e.get("type") in _SHAPE and _looked_inside(loc, found))]
    unique: list[dict[str, Any]] = []
    for loc, error in kept:
        item = {"loc": loc, "msg": message(error, loc)}
        if item not in unique:
            unique.append(item)
    return unique


def describe(error: Mapping[str, Any]) -> str:
    """One error of ``field_errors`` as a sentence: ``claim_reviewed: what is wrong``."""
    where = ".".join(error["loc"])
    return f"{where}: {error['msg']}" if where else str(error["msg"])


def user_loc(loc: Sequence[Any], body: Any, *, missing: bool = False) -> list[str]:
    """The parts of ``loc`` that address the caller's input; pydantic's own are left out.

    A body part is kept when it names a key or an index of the value it is in, or, last,
    the field found missing; anything else is a union member or a validator's name.
    """
    if not loc:
        return []
    where, *parts = loc
    if where != "body":
        return [str(where), *(str(part) for part in parts)]
    kept: list[str] = []
    value = body
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if isinstance(value, Mapping) and isinstance(part, str) and (  # JSON, or a form
                part in value or (last and missing)):
            kept.append(part)
            value = value.get(part)
        elif (isinstance(value, list | tuple) and isinstance(part, int)
              and not isinstance(part, bool)
              and 0 <= part < len(value)):
            kept.append(str(part))
            value = value[part]
    return kept


def message(error: Mapping[str, Any], loc: Sequence[str] = ()) -> str:
    """pydantic's message without its prefixes, and in plain words where it has none."""
    kind = error.get("type")
    if kind == "string_unicode":
        return _unicode_message(error.get("input"))
    if not loc and kind in _BODY_SHAPE:
        return _BODY_SHAPE[kind]
    if not loc and kind == "missing":
        return "a JSON body is required"
    text = str(error.get("msg", "not valid"))
    for prefix in _PREFIXES:
        text = text.removeprefix(prefix)
    return text


def _unicode_message(value: Any) -> str:
    """pydantic's own check of a constrained string meets a lone surrogate first."""
    if isinstance(value, str):
        for char in value:
            if "\ud800" <= char <= "\udfff":
                return f"contains a lone surrogate (\\u{ord(char):04x}) that is not valid Unicode"
    return "is not valid Unicode text"


def _looked_inside(loc: list[str], found: list[tuple[list[str], Any]]) -> bool:
    """Another error under ``loc``, or at it and not about its shape, says what is wrong
    inside it: ``loc``'s shape error comes from a union member the value was not meant for."""
    return any(other[: len(loc)] == loc and (len(other) > len(loc) or e.get("type") not in _SHAPE)
               for other, e in found)
