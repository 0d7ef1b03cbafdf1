"""Review page sign-ins: a random cookie token, stored as its SHA-256, and a CSRF token.

The cookie holds 256 random bits, so like an API key a fast hash is enough, and a stolen
database does not hand out working cookies. A session lasts ``review_session_hours`` and only
while its key is active: revoking the key ends every session opened with it.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from service.store import keys
from service.store.clock import as_utc, utcnow
from service.store.keys import Principal
from service.store.models import WebSession


@dataclass(frozen=True)
class SignedIn:
    """A live review page session: who it is for and the token its forms must carry."""

    principal: Principal
    csrf_token: str
    token_hash: str


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def open_session(session: Session, *, principal: Principal, hours: float) -> tuple[str, SignedIn]:
    """A new session for ``principal``; returns the cookie token (not stored) and the session.

    Expired sessions of the same key are removed on the way.
    """
    now = utcnow()
    session.execute(delete(WebSession).where(WebSession.key_id == principal.key_id,
                                             WebSession.expires_at < now))
    token = secrets.token_urlsafe(32)
    row = WebSession(token_hash=_hash(token), org_id=principal.org_id, key_id=principal.key_id,
                     csrf_token=secrets.token_urlsafe(32), created_at=now,
                     expires_at=now + timedelta(hours=hours))
    session.add(row)
    session.flush()
    return token, SignedIn(principal=principal, csrf_token=row.csrf_token,
                           token_hash=row.token_hash)


def find_session(session: Session, *, token: str) -> SignedIn | None:
    """The live session of a cookie token: None when unknown, expired, or its key is revoked."""
    if not token or len(token) > 200:
        return None
    row = session.get(WebSession, _hash(token))
    if row is None or as_utc(row.expires_at) <= utcnow():
        return None
    principal = keys.principal_of_key(session, key_id=row.key_id)
    if principal is None or principal.org_id != row.org_id:
        return None
    return SignedIn(principal=principal, csrf_token=row.csrf_token, token_hash=row.token_hash)


def close_session(session: Session, *, token_hash: str) -> None:
    """Sign out: the session's row is deleted (its cookie then names nothing)."""
    session.execute(delete(WebSession).where(WebSession.token_hash == token_hash))



def close_token(session: Session, *, token: str) -> None:
    """Sign out the session a cookie token names, if it names one."""
    if token and len(token) <= 200:
        close_session(session, token_hash=_hash(token))
