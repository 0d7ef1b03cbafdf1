"""The ``claimdesk`` command: serve, worker, migrate, extract, eval, sources import, relink,
keys."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from collections.abc import Sequence
from datetime import datetime

from service.store.settings import Settings

log = logging.getLogger("service.cli")  # also when run as ``python -m service.cli``


def serve_command(args: argparse.Namespace) -> int:
    """The API, plus an embedded Redis and supervised workers unless REDIS_URL is set."""
    from service.app import create_app
    from service.embedded import DataDirInUse, EmbeddedRedis
    from service.keys_cli import bootstrap_admin_key
    from service.logs import describe_serving, uvicorn_log_options
    from service.server_options import freeze_heap, server_options
    from service.store.migrate import upgrade_database
    from service.supervisor import WorkerSupervisor, run_api

    settings = Settings()
    try:
        embedded = EmbeddedRedis(settings.data_dir) if settings.embedded_redis else None
    except DataDirInUse as exc:
        sys.stderr.write(f"claimdesk serve: {exc}\n")
        return 2
    if embedded is not None:
        settings = settings.model_copy(update={"redis_url": embedded.url})
    upgrade_database(settings)
    bootstrap_admin_key(settings, base_url=f"http://{args.host}:{args.port}")
    for signum in (signal.SIGTERM, signal.SIGINT):  # uvicorn re-raises them after shutdown
        signal.signal(signum, _exit_on_sigterm)
    supervisor = None
    workers = _worker_count(args.workers, settings, embedded=embedded is not None)
    if workers:
        supervisor = WorkerSupervisor(settings, workers)
        supervisor.start()
    log.info(describe_serving(settings, url=f"http://{args.host}:{args.port}",
                              embedded_redis=embedded is not None,
                              workers=len(supervisor.processes) if supervisor else 0))
    app = create_app(settings, migrate=False)
    freeze_heap()
    try:
        # A stop signal tells the workers at once; they get until the grace's end.
        run_api(app, host=args.host, port=args.port,
                on_stop=supervisor.begin_stop if supervisor else _nothing,
                timeout_graceful_shutdown=max(1, int(settings.shutdown_grace) - 2),
                **uvicorn_log_options(), **server_options())
    finally:
        if supervisor is not None:
            supervisor.stop()
        if embedded is not None:
            embedded.stop()
    return 0


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(0)


def _nothing() -> None:
    pass


def _worker_count(flag: int | None, settings: Settings, *, embedded: bool) -> int:
    """``--workers N`` when given (0: none); else the setting in embedded mode, none with
    ``REDIS_URL`` (workers run elsewhere)."""
    if flag is not None:
        return flag
    return settings.workers if embedded else 0


def worker_command(args: argparse.Namespace) -> int:
    """One RQ worker (with the scheduler, for retries), the spaCy model loaded first; it stops
    within CLAIMDESK_SHUTDOWN_GRACE (``service.worker``)."""
    from service.logs import describe_worker
    from service.worker import build_worker

    settings = Settings()
    if not settings.redis_url:
        sys.stderr.write("claimdesk worker needs REDIS_URL (and DATABASE_URL)\n")
        return 2
    worker = build_worker(settings)
    log.info(describe_worker(settings))
    worker.work(burst=args.burst, with_scheduler=True)
    return 0


def migrate_command(args: argparse.Namespace) -> int:
    from service.store.migrate import upgrade_database

    upgrade_database(Settings(), args.revision)
    return 0


def extract_command(args: argparse.Namespace) -> int:
    from service.extract_cli import run_extract

    return run_extract(args.file, published_at=args.published_at, fmt=args.format)


def eval_command(args: argparse.Namespace) -> int:
    from service.eval import run_eval

    return run_eval(args.task, args.dataset, database_url=args.database_url,
                    semantic=args.semantic, verbose=args.verbose)


def sources_import_command(args: argparse.Namespace) -> int:
    from service.sources_import import run_import_command

    return run_import_command(args.file, fmt=args.format, maps=args.map, org_id=args.org)


def relink_command(args: argparse.Namespace) -> int:
    from service.relink_cli import run_relink_command

    return run_relink_command(org_id=args.org, since=args.since)


def keys_command(args: argparse.Namespace) -> int:
    from service import keys_cli

    if args.keys_command == "create":
        return keys_cli.run_keys_create(org_id=args.org, role=args.role, name=args.name)
    if args.keys_command == "list":
        return keys_cli.run_keys_list(org_id=args.org)
    return keys_cli.run_keys_revoke(key_id=args.id)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="claimdesk", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the API (embedded Redis + workers by default)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=None, metavar="N",
                       help="worker processes to supervise, 0 for none (default: "
                       "CLAIMDESK_WORKERS in embedded mode, none with REDIS_URL)")
    serve.set_defaults(func=serve_command)
    worker = commands.add_parser("worker", help="run one RQ worker against REDIS_URL")
    worker.add_argument("--burst", action="store_true", help="exit when the queue is empty")
    worker.set_defaults(func=worker_command)
    migrate = commands.add_parser("migrate", help="apply database migrations")
    migrate.add_argument("revision", nargs="?", default="head")
    migrate.set_defaults(func=migrate_command)
    extract = commands.add_parser("extract", help="extract claims from a text file, offline")
    extract.add_argument("file", help="a UTF-8 text file, or - to read standard input")
    extract.add_argument("--published-at", help="YYYY-MM-DD; anchors relative dates "
                         "(default: today, noted on standard error)")
    extract.add_argument("--format", choices=["json", "table"], default="json")
    extract.set_defaults(func=extract_command)
    evaluate = commands.add_parser("eval", help="measure accuracy on a dataset")
    evaluate.add_argument("task", choices=["checkworthiness", "claims", "matching", "assessment"])
    evaluate.add_argument("--dataset", required=True)
    evaluate.add_argument("--database-url", help="store for matching/assessment (default: a "
                          "scratch SQLite file; a PostgreSQL URL measures tsvector search)")
    evaluate.add_argument("--semantic", action="store_true",
                          help="with the claimdesk[semantic] extra: matching/assessment "
                          "re-rank evidence by it; checkworthiness averages the linear scorer "
                          "with its MiniLM-embedding head")
    evaluate.add_argument("--verbose", action="store_true",
                          help="claims: list every miss, broken claim, duplicate and not-claim")
    evaluate.set_defaults(func=eval_command)
    sources = commands.add_parser("sources", help="manage evidence sources")
    source_commands = sources.add_subparsers(dest="sources_command", required=True)
    importer = source_commands.add_parser(
        "import", help="import fact checks and documents (JSONL, CSV, ClaimReview JSON-LD)")
    importer.add_argument("file")
    importer.add_argument("--format", choices=["jsonl", "csv", "claimreview"],
                          help="default: from the extension (.jsonl, .csv, .json/.jsonld)")
    importer.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN",
                          help="read FIELD from COLUMN (repeatable), e.g. claim_reviewed=claim")
    importer.add_argument("--org", help="organisation id (default: the default organisation)")
    importer.set_defaults(func=sources_import_command)
    relink = commands.add_parser(
        "relink", help="queue linking the claims to the evidence stored now (reviews stay)")
    relink.add_argument("--org", help="organisation id (default: the default organisation)")
    relink.add_argument("--since", type=_since, metavar="DATE",
                        help="only claims of articles received or processed since DATE "
                        "(YYYY-MM-DD or an ISO datetime, UTC)")
    relink.set_defaults(func=relink_command)
    keys = commands.add_parser("keys", help="manage API keys (stored hashed)")
    keys.set_defaults(func=keys_command)
    key_commands = keys.add_subparsers(dest="keys_command", required=True)
    create = key_commands.add_parser("create", help="create a key; prints it alone on stdout")
    create.add_argument("--org", help="organisation id, created if new (default: the default "
                        "organisation)")
    create.add_argument("--role", required=True, choices=["submitter", "reviewer", "admin"])
    create.add_argument("--name", help="who or what uses the key")
    listing = key_commands.add_parser("list", help="list keys (never the keys themselves)")
    listing.add_argument("--org", help="only this organisation's keys")
    revoke = key_commands.add_parser("revoke", help="revoke a key by id")
    revoke.add_argument("id")
    return parser


def _since(value: str) -> datetime:
    from service.relink_cli import parse_since

    return parse_since(value)


def main(argv: Sequence[str] | None = None) -> int:
    from service.logs import configure_logging

    args = build_parser().parse_args(argv)
    settings = Settings()
    configure_logging(settings.log_format, settings.log_level)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
