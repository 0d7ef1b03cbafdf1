"""The error body: an RFC 9457 problem document, as every error of the API is sent.

Served as ``application/problem+json``. Clients branch on ``type`` (a stable URI), never on
``title`` or ``detail`` wording. Some problems add members of their own (``errors`` for
invalid input; a 412 adds the claim as it is now), so other members may appear.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class FieldError(BaseModel):
    """One invalid part of the request."""

    loc: list[str] = Field(description="Where it is. In the body: the field names and list "
                           "indexes down to the value, e.g. ['published_at'], ['3', 'url'] (the "
                           "fourth item's url), [] for the body as a whole. A parameter: where "
                           "it is sent, then its name, e.g. ['query', 'limit'], "
                           "['header', 'Idempotency-Key'].")
    msg: str = Field(description="What is wrong with it.")


class Problem(BaseModel):
    """An error: what kind (``type``), a human summary, and the request it answers."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(description="A URI naming the kind of problem, stable across releases, "
                      "e.g. https://claimdesk.dev/problems/not-found.")
    title: str = Field(description="A short summary of the kind of problem, in English.")
    status: int = Field(description="The HTTP status code, repeated.")
    detail: str | None = Field(default=None,
                               description="What went wrong with this request, in English.")
    instance: str | None = Field(default=None, description="The path of the request.")
    errors: list[FieldError] | None = Field(
        default=None, description="For invalid input: every invalid part of the request."
    )
