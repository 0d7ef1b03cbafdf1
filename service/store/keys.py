"""API keys and organisations: create, authenticate, list, revoke.

A key is ``cdk_`` and 43 random URL-safe characters (256 bits). Only its SHA-256 is stored:
with that much randomness a fast hash is enough, and it lets a request find its key by an
index lookup. The key itself is returned once, by ``create_key``.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from schemas.keys import ROLES, role_allows
from service.store.clock import as_utc, utcnow
from service.store.errors import InvalidInput, NotFound
from service.store.ids import new_id
from service.store.models import ApiKey, Organisation

KEY_PREFIX = "cdk_"
_TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class Principal:
    """Who is calling: the key, its organisation and role (what every route is given)."""

    key_id: str
    org_id: str
    role: str
    name: str | None = None

    def allows(self, role: str) -> bool:
        return role_allows(self.role, role)

    @property
    def display_name(self) -> str:
        return self.name or self.key_id


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def ensure_organisation(session: Session, *, org_id: str, name: str | None = None) -> Organisation:
    """The organisation ``org_id``, created (named ``name`` or its id) when new."""
    if not org_id or len(org_id) > 40:
        raise InvalidInput("an organisation id is 1 to 40 characters")
    row = session.get(Organisation, org_id)
    if row is None:
        row = Organisation(id=org_id, name=name or org_id, created_at=utcnow())
        session.add(row)
        session.flush()
    return row


def create_key(session: Session, *, org_id: str, role: str,
               name: str | None = None) -> tuple[ApiKey, str]:
    """A new key of ``role`` in ``org_id`` (the organisation is created if new).

    :returns: the stored row and the key itself, which is not kept.
    """
    if role not in ROLES:
        raise InvalidInput(f"role must be one of {', '.join(ROLES)}", choices=list(ROLES))
    ensure_organisation(session, org_id=org_id)
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    row = ApiKey(id=new_id("key"), org_id=org_id, role=role, name=name,
                 prefix=secret[: len(KEY_PREFIX) + 6], secret_hash=hash_secret(secret),
                 created_at=utcnow())
    session.add(row)
    session.flush()
    return row, secret


def authenticate(session: Session, secret: str) -> Principal | None:
    """The principal of an active key, or None for an unknown or revoked one.

    ``last_used_at`` is written at most once a minute per key, so reads stay reads.
    """
    if not secret.startswith(KEY_PREFIX) or len(secret) > 200:
        return None
    row = session.scalars(select(ApiKey).where(ApiKey.secret_hash == hash_secret(secret))).first()
    if row is None or row.revoked_at is not None:
        return None
    now = utcnow()
    last = as_utc(row.last_used_at)
    if last is None or last < now - _TOUCH_EVERY:
        row.last_used_at = now
        session.commit()
    return Principal(key_id=row.id, org_id=row.org_id, role=row.role, name=row.name)


def principal_of_key(session: Session, *, key_id: str) -> Principal | None:
    """The principal of an active key by id (a review page session names its key)."""
    row = session.get(ApiKey, key_id)
    if row is None or row.revoked_at is not None:
        return None
    return Principal(key_id=row.id, org_id=row.org_id, role=row.role, name=row.name)


def list_keys(session: Session, *, org_id: str | None) -> list[ApiKey]:
    """The keys of ``org_id`` (every organisation's for None: the operator's CLI), oldest
    first."""
    query = select(ApiKey)
    if org_id is not None:
        query = query.where(ApiKey.org_id == org_id)
    return list(session.scalars(query.order_by(ApiKey.created_at, ApiKey.id)))


def get_key(session: Session, *, org_id: str | None, key_id: str) -> ApiKey:
    """:raise NotFound: no such key (in ``org_id``, unless None: the operator's CLI)."""
    row = session.get(ApiKey, key_id)
    if row is None or (org_id is not None and row.org_id != org_id):
        raise NotFound(f"key {key_id} not found")
    return row


def revoke_key(session: Session, *, org_id: str | None, key_id: str) -> ApiKey:
    """Revoke a key (idempotent): it authenticates nothing from now on."""
    row = get_key(session, org_id=org_id, key_id=key_id)
    if row.revoked_at is None:
        row.revoked_at = utcnow()
    return row


def count_keys(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(ApiKey)) or 0)
