"""Cursor pagination envelope."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a list; pass ``next_cursor`` back as ``?cursor=`` for the next."""

    items: list[T] = Field(description="This page's items.")
    next_cursor: str | None = Field(default=None, description="Pass as ``?cursor=`` for the "
                                    "next page; null on the last page.")
