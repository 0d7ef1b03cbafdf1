"""API keys: who may call the API, for which organisation, in which role."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from schemas.fields import RequestModel, UtcDatetime

Role = Literal["submitter", "reviewer", "admin"]
ROLES: tuple[Role, ...] = ("submitter", "reviewer", "admin")


def role_allows(role: str, needed: str) -> bool:
    """Roles are ranked: an admin may do what a reviewer may, a reviewer what a submitter may."""
    return ROLES.index(role) >= ROLES.index(needed)  # type: ignore[arg-type]


class KeyCreate(RequestModel):
    """``POST /v1/keys``: a new key in the caller's organisation."""

    role: Role = Field(description="submitter (send and read articles and claims), reviewer "
                       "(also assign and review claims) or admin (also keys, webhooks, sources "
                       "and the rating scale).")
    name: str | None = Field(default=None, max_length=200,
                             description="Who or what uses the key, shown in the review "
                             "history (e.g. 'cms-prod' or 'Ana Ruiz').")


class KeyOut(BaseModel):
    """A key as listed: never the key itself, which is shown once when created."""

    id: str = Field(description="The key's id (``key_...``), used to revoke it.")
    org_id: str = Field(description="The organisation the key acts for.")
    role: Role = Field(description="What the key may do.")
    name: str | None = Field(default=None, description="Who or what uses the key.")
    prefix: str = Field(description="The first characters of the key, to recognise it.")
    created_at: UtcDatetime = Field(description="When the key was created.")
    revoked_at: UtcDatetime | None = Field(default=None, description="When the key was revoked "
                                           "(null: active).")
    last_used_at: UtcDatetime | None = Field(default=None,
                                             description="When the key last authenticated a "
                                             "request (to the minute).")


class KeyCreated(KeyOut):
    """The answer to creating a key: the only time the key is shown."""

    key: str = Field(description="The API key. Send it as ``Authorization: Bearer <key>``; it "
                     "is stored hashed and cannot be shown again.")
