"""``claimdesk relink``: queue linking an organisation's claims to the evidence stored now.

Also the queue the command line uses (``claimdesk sources import`` queues its relink job on
it): ``REDIS_URL``, or else the embedded Redis of a ``claimdesk serve`` running on the same
data directory. With neither there is nothing to queue on, and the commands say so.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime

from redis.exceptions import RedisError
from rq import Queue

from schemas.relink import RelinkScope
from service.embedded import running_embedded_redis_url
from service.store import relink
from service.store.clock import as_utc, utcnow
from service.store.db import make_engine, make_session_factory
from service.store.migrate import upgrade_database
from service.store.models import Organisation
from service.store.queue import connect_redis, enqueue_relink_claims, make_queue
from service.store.settings import Settings

NO_QUEUE = ("no Redis to queue on: set REDIS_URL, or run `claimdesk serve` on this data "
            "directory")


def parse_since(value: str) -> datetime:
    """``--since``: a date (midnight UTC) or an ISO 8601 datetime (UTC unless it names a zone)."""
    try:
        return as_utc(datetime.fromisoformat(value.strip()))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a date such as 2024-05-01 or an ISO datetime, not {value!r}") from None


def cli_queue(settings: Settings) -> Queue | None:
    """The queue the command line sends jobs to, or None when no Redis is reachable."""
    url = settings.redis_url or running_embedded_redis_url(settings.data_dir)
    return None if url is None else make_queue(settings, connect_redis(url))


def run_relink_command(*, org_id: str | None, since: datetime | None) -> int:
    """Queue one relink job: 0 queued, 1 Redis refused it, 2 nothing to queue on or no org."""
    settings = Settings()
    org = org_id or settings.default_org_id
    queue = cli_queue(settings)
    if queue is None:
        sys.stderr.write(f"claimdesk relink: {NO_QUEUE}\n")
        return 2
    scope = RelinkScope(linked_before=utcnow(), since=since)
    upgrade_database(settings)
    engine = make_engine(settings.resolved_database_url())
    try:
        with make_session_factory(engine)() as session:
            if session.get(Organisation, org) is None:
                sys.stderr.write(f"claimdesk relink: organisation {org} does not exist\n")
                return 2
            count = relink.count_pending(session, org_id=org, scope=scope)
    finally:
        engine.dispose()
    try:
        job = enqueue_relink_claims(queue, org_id=org, scope=scope,
                                    job_timeout=settings.job_timeout)
    except RedisError as exc:
        sys.stderr.write(f"claimdesk relink: Redis refused the job: {exc}\n")
        return 1
    which = f" of articles received or processed since {since.isoformat()}" if since else ""
    sys.stdout.write(f"queued {job.id}: {count} claim(s) of {org}{which} to link again\n")
    return 0
