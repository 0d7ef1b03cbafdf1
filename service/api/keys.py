"""``/v1/keys``: an admin creates, lists and revokes the organisation's API keys."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from schemas.keys import KeyCreate, KeyCreated, KeyOut
from service.api.deps import AdminOnly, JsonBody, OrgDep, SessionDep
from service.api.key_cache import principal_cache
from service.store import keys
from service.store.clock import as_utc
from service.store.models import ApiKey

router = APIRouter(prefix="/v1/keys", tags=["keys"], dependencies=[AdminOnly])


@router.get("", response_model=list[KeyOut])
def read_keys(session: SessionDep, org: OrgDep) -> list[KeyOut]:
    """The organisation's keys, revoked ones included, oldest first (never the keys)."""
    return [key_out(row) for row in keys.list_keys(session, org_id=org)]


@router.post("", status_code=201, dependencies=[JsonBody], response_model=KeyCreated)
def create_key(body: KeyCreate, session: SessionDep, org: OrgDep,
               response: Response) -> KeyCreated:
    """A new key in the organisation; the answer is the only time the key is shown."""
    row, secret = keys.create_key(session, org_id=org, role=body.role, name=body.name)
    session.commit()
    response.headers["Location"] = f"/v1/keys/{row.id}"
    return KeyCreated(**key_out(row).model_dump(), key=secret)


@router.delete("/{key_id}", response_model=KeyOut)
def revoke_key(key_id: str, session: SessionDep, org: OrgDep, request: Request) -> KeyOut:
    """Revoke a key: requests with it get 401 from now on. Revoking twice is harmless."""
    row = keys.revoke_key(session, org_id=org, key_id=key_id)
    session.commit()
    principal_cache(request.app.state).forget(row.id)
    return key_out(row)


def key_out(row: ApiKey) -> KeyOut:
    return KeyOut(id=row.id, org_id=row.org_id, role=row.role,  # type: ignore[arg-type]
                  name=row.name, prefix=row.prefix, created_at=as_utc(row.created_at),
                  revoked_at=as_utc(row.revoked_at), last_used_at=as_utc(row.last_used_at))
