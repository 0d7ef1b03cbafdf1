"""``claimdesk keys``: API keys from the command line, and the first admin key at start-up.

``keys create`` prints the key alone on stdout (``KEY=$(claimdesk keys create ...)`` works);
everything else a person reads goes to stderr.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy.orm import Session

from service.store import keys
from service.store.clock import as_utc
from service.store.db import make_engine, make_session_factory
from service.store.errors import StoreError
from service.store.migrate import upgrade_database
from service.store.settings import Settings

T = TypeVar("T")


@contextmanager
def _session(settings: Settings) -> Iterator[Session]:
    upgrade_database(settings)
    engine = make_engine(settings.resolved_database_url())
    try:
        with make_session_factory(engine)() as session:
            yield session
    finally:
        engine.dispose()


def _run(command: str, work: Callable[[Session], T]) -> T | None:
    try:
        with _session(Settings()) as session:
            result = work(session)
            session.commit()
            return result
    except StoreError as exc:
        sys.stderr.write(f"claimdesk keys {command}: {exc.detail or exc}\n")
        return None


def run_keys_create(*, org_id: str | None, role: str, name: str | None) -> int:
    def create(session: Session) -> str:
        org = org_id or Settings().default_org_id
        row, secret = keys.create_key(session, org_id=org, role=role, name=name)
        sys.stderr.write(f"created {row.id} ({role}, organisation {org}); the key is shown "
                         "only this once\n")
        return secret

    secret = _run("create", create)
    if secret is None:
        return 2
    sys.stdout.write(secret + "\n")
    return 0


def run_keys_list(*, org_id: str | None) -> int:
    def listing(session: Session) -> list[str]:
        lines = [f"{'id':<31} {'organisation':<20} {'role':<10} {'prefix':<11} {'state':<8} name"]
        for row in keys.list_keys(session, org_id=org_id):
            revoked = as_utc(row.revoked_at)
            state = f"revoked {revoked:%Y-%m-%d}" if revoked else "active"
            lines.append(f"{row.id:<31} {row.org_id:<20} {row.role:<10} {row.prefix:<11} "
                         f"{state:<8} {row.name or ''}")
        return lines

    lines = _run("list", listing)
    if lines is None:
        return 2
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


def run_keys_revoke(*, key_id: str) -> int:
    row = _run("revoke", lambda session: keys.revoke_key(session, org_id=None, key_id=key_id))
    if row is None:
        return 2
    sys.stderr.write(f"revoked {row.id} ({row.role}, organisation {row.org_id})\n")
    return 0


def bootstrap_admin_key(settings: Settings, *, base_url: str) -> str | None:
    """The first start with no key at all: an admin key for the default organisation, printed
    once on stdout with how to use it. None when a key exists already."""
    with _session(settings) as session:
        if keys.count_keys(session) > 0:
            return None
        _, secret = keys.create_key(session, org_id=settings.default_org_id, role="admin",
                                    name="first admin (created at start-up)")
        session.commit()
    sys.stdout.write(
        f"claimdesk: no API key existed, so this admin key of {settings.default_org_id} was "
        f"created; it is shown only this once:\n{secret}\n"
        f"Use it as: curl -H 'Authorization: Bearer {secret}' {base_url}/v1/articles "
        "(and sign in at /review with it)\n")
    sys.stdout.flush()
    return secret
