"""Import evidence sources from JSONL, CSV or schema.org ClaimReview JSON-LD.

Records are upserted by URL within the organisation, so importing a file twice stores
nothing twice. A bad record is reported with its line (JSONL, CSV) or its 1-based record
index (JSON) and skipped; each batch commits, so good records are never rolled back by bad
ones. A record without ``kind`` is a ``fact_check`` when it has ``claim_reviewed``, else a
``document``. CSV cells that are empty are missing values, and columns that name no field
are ignored; ``mapping`` renames columns or keys (``{"claim_reviewed": "claim"}``). The
command then queues one relink job for the organisation's claims the stored or changed sources
could affect (``service.store.relink``).
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from tqdm import tqdm

from schemas.sources import ImportProblem, ImportSummary, SourceCreate
from service.store.clock import utcnow
from service.store.models import Organisation
from service.store.sources import upsert_source

if TYPE_CHECKING:
    from service.store.settings import Settings

FORMATS = ("jsonl", "csv", "claimreview")
_EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".json": "claimreview",
               ".jsonld": "claimreview"}
FIELDS = frozenset(SourceCreate.model_fields)


class ImportFailure(Exception):
    """The file as a whole cannot be imported (unknown format, not JSON, bad mapping)."""


@dataclass(frozen=True)
class RawRecord:
    """One record as read, or why it could not be read."""

    line: int | None = None
    record: int | None = None
    data: dict[str, Any] | None = None
    error: str | None = None


def import_sources(session_factory: sessionmaker[Session], *, org_id: str, path: Path | str,
                   fmt: str | None = None, mapping: dict[str, str] | None = None,
                   progress: bool = True, batch_size: int = 200, max_bytes: int | None = None,
                   max_records: int | None = None) -> ImportSummary:
    """Upsert every good record of ``path`` into the organisation's sources; report the rest.

    A file over ``max_bytes`` or ``max_records`` (None: no limit) is refused whole, before
    anything of it is stored.
    """
    path = Path(path)
    with session_factory() as session:
        if session.get(Organisation, org_id) is None:
            raise ImportFailure(f"organisation {org_id} does not exist")
    fmt, mapping = detect_format(path, fmt), _checked(mapping or {})
    check_import_size(path, fmt=fmt, max_bytes=max_bytes, max_records=max_records)
    records = read_records(path, fmt=fmt, mapping=mapping)
    summary = ImportSummary()
    bar = tqdm(records, desc=path.name, unit=" records", file=sys.stderr, disable=not progress)
    iterator = iter(bar)
    while batch := list(islice(iterator, batch_size)):
        _store_batch(session_factory, org_id=org_id, batch=batch, summary=summary)
    bar.close()
    return summary


def run_import_command(path: str, *, fmt: str | None, maps: list[str],
                       org_id: str | None) -> int:
    """``claimdesk sources import``: 0 all stored, 1 some records skipped, 2 nothing read."""
    from service.store.db import make_engine, make_session_factory
    from service.store.migrate import upgrade_database
    from service.store.settings import Settings

    settings = Settings()
    org = org_id or settings.default_org_id
    started = utcnow()
    try:
        mapping = dict(_split_map(item) for item in maps)
        upgrade_database(settings)
        engine = make_engine(settings.resolved_database_url())
        try:
            summary = import_sources(make_session_factory(engine), org_id=org, path=path,
                                     fmt=fmt, mapping=mapping,
                                     max_bytes=settings.max_import_bytes,
                                     max_records=settings.max_import_records)
        finally:
            engine.dispose()
    except ImportFailure as exc:
        sys.stderr.write(f"claimdesk sources import: {exc}\n")
        return 2
    sys.stdout.write(format_summary(summary))
    if summary.imported or summary.updated:
        _queue_relink(settings, org_id=org, changed_since=started)
    return 1 if summary.skipped else 0


def _queue_relink(settings: Settings, *, org_id: str, changed_since: datetime) -> None:
    """One job links again the claims the sources stored or changed since ``changed_since``
    could affect (a stored source needs no Redis; the claims catch up with ``claimdesk
    relink`` when there is none)."""
    from service.relink_cli import NO_QUEUE, cli_queue
    from service.store.relink import queue_relink

    queue = cli_queue(settings)
    job_id = None if queue is None else queue_relink(
        queue, org_id=org_id, sources_changed_since=changed_since,
        job_timeout=settings.job_timeout)
    if job_id is None:
        reason = NO_QUEUE if queue is None else "Redis did not take the job"
        sys.stderr.write(f"claimdesk sources import: claims not linked again ({reason}); "
                         "run `claimdesk relink` later\n")
    else:
        sys.stdout.write(f"queued {job_id}: claims the new and changed sources could affect "
                         "will be linked again\n")


def format_summary(summary: ImportSummary) -> str:
    """The summary as lines of text: counts, then one line per skipped record."""
    lines = [f"imported {summary.imported}, updated {summary.updated}, "
             f"unchanged {summary.unchanged}, skipped {summary.skipped}"]
    for problem in summary.problems:
        where = f"line {problem.line}" if problem.line is not None else f"record {problem.record}"
        lines.append(f"  skipped {where}: {problem.reason}")
    return "\n".join(lines) + "\n"


def _split_map(item: str) -> tuple[str, str]:
    field, sep, column = item.partition("=")
    if not sep or not field.strip() or not column.strip():
        raise ImportFailure(f"--map takes FIELD=COLUMN, not {item!r}")
    return field.strip(), column.strip()


def detect_format(path: Path, fmt: str | None) -> str:
    """``fmt`` when given, else the format its extension names."""
    if fmt is not None:
        if fmt not in FORMATS:
            raise ImportFailure(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
        return fmt
    found = _EXTENSIONS.get(path.suffix.lower())
    if found is None:
        raise ImportFailure(f"cannot tell the format of {path.name}; pass --format")
    return found


def check_import_size(path: Path, *, fmt: str, max_bytes: int | None,
                      max_records: int | None) -> None:
    """Refuse a file larger than ``max_bytes`` or with more than ``max_records`` records (a
    counting pass reads it once before the import does)."""
    if not path.is_file():
        return  # read_records says so
    size = path.stat().st_size
    if max_bytes is not None and size > max_bytes:
        raise ImportFailure(f"{path.name} is {size} bytes, over the limit of {max_bytes} "
                            "(CLAIMDESK_MAX_IMPORT_BYTES): split it, or raise the limit")
    if max_records is not None:
        counted = sum(1 for _ in islice(read_records(path, fmt=fmt, mapping={}),
                                        max_records + 1))
        if counted > max_records:
            raise ImportFailure(f"{path.name} has more than {max_records} records, the limit "
                                "(CLAIMDESK_MAX_IMPORT_RECORDS): split it, or raise the limit")


def read_records(path: Path, *, fmt: str, mapping: dict[str, str]) -> Iterator[RawRecord]:
    """The records of a file, mapped to source fields."""
    if not path.is_file():
        raise ImportFailure(f"{path} is not a readable file")
    if fmt == "jsonl":
        return _mapped(_read_jsonl(path), mapping, keep_unknown=True)
    if fmt == "csv":
        return _mapped(_read_csv(path), mapping, keep_unknown=False)
    return _read_claimreview(path)


def claimreview_fields(node: dict[str, Any]) -> dict[str, Any]:
    """Source fields of one schema.org ClaimReview, as fact-checkers publish it."""
    rating = _first_object(node.get("reviewRating"))
    item = _first_object(node.get("itemReviewed"))
    fields = {
        "kind": "fact_check",
        "claim_reviewed": node.get("claimReviewed"),
        "claimant": _name(item.get("author")),
        "publisher": _name(node.get("author")) or _name(node.get("publisher")),
        "url": node.get("url"),
        "published_at": node.get("datePublished") or None,
        "title": node.get("name") or node.get("headline"),
        "rating_text": rating.get("alternateName") or rating.get("name"),
        "rating_value": rating.get("ratingValue"),
        "best_rating": rating.get("bestRating"),
        "worst_rating": rating.get("worstRating"),
    }
    return {key: (None if value == "" else value) for key, value in fields.items()}


def _checked(mapping: dict[str, str]) -> dict[str, str]:
    unknown = sorted(set(mapping) - FIELDS)
    if unknown:
        raise ImportFailure(f"--map names unknown fields {unknown}; fields are {sorted(FIELDS)}")
    return mapping


def _store_batch(factory: sessionmaker[Session], *, org_id: str, batch: list[RawRecord],
                 summary: ImportSummary) -> None:
    with factory() as session:
        for raw in batch:
            source, reason = _validated(raw)
            if source is not None:
                try:
                    with session.begin_nested():
                        _, outcome = upsert_source(session, org_id=org_id, source=source)
                except (IntegrityError, DataError) as exc:
                    reason = f"the database refused it: {exc.orig}"
                else:
                    setattr(summary, _COUNTERS[outcome], getattr(summary, _COUNTERS[outcome]) + 1)
                    continue
            summary.skipped += 1
            summary.problems.append(ImportProblem(line=raw.line, record=raw.record,
                                                  reason=reason or "unreadable"))
        session.commit()


_COUNTERS = {"created": "imported", "updated": "updated", "unchanged": "unchanged"}


def _validated(raw: RawRecord) -> tuple[SourceCreate | None, str | None]:
    if raw.error is not None or raw.data is None:
        return None, raw.error
    data = dict(raw.data)
    if not data.get("kind"):
        data["kind"] = "fact_check" if data.get("claim_reviewed") else "document"
    try:
        return SourceCreate.model_validate(data), None
    except ValidationError as exc:
        return None, "; ".join(_describe(error) for error in exc.errors())


def _describe(error: Any) -> str:
    where = ".".join(str(part) for part in error.get("loc", ()))
    message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
    return f"{where}: {message}" if where else message


def _mapped(records: Iterable[RawRecord], mapping: dict[str, str], *,
            keep_unknown: bool) -> Iterator[RawRecord]:
    for raw in records:
        if raw.data is None:
            yield raw
            continue
        data = dict(raw.data)
        for field, column in mapping.items():
            if column in data:
                data[field] = data.pop(column)
        if not keep_unknown:
            data = {k: (v if v != "" else None) for k, v in data.items() if k in FIELDS}
        yield RawRecord(line=raw.line, data=data)


def _read_jsonl(path: Path) -> Iterator[RawRecord]:
    with path.open("rb") as handle:
        for number, raw_line in enumerate(handle, 1):
            try:
                line = raw_line.decode("utf-8-sig" if number == 1 else "utf-8")
                data = json.loads(line) if line.strip() else None
            except UnicodeDecodeError:
                yield RawRecord(line=number, error="not UTF-8 text")
                continue
            except json.JSONDecodeError as exc:
                yield RawRecord(line=number, error=f"not valid JSON: {exc.msg}")
                continue
            if data is None:
                continue
            if not isinstance(data, dict):
                yield RawRecord(line=number, error="not a JSON object")
                continue
            yield RawRecord(line=number, data=data)


def _read_csv(path: Path) -> Iterator[RawRecord]:
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        reader = csv.DictReader(handle)
        _ = reader.fieldnames  # reads the header
        line = reader.line_num + 1
        for row in reader:
            if None in row:
                yield RawRecord(line=line, error="more cells than the header has columns")
            elif any(v for v in row.values()):
                yield RawRecord(line=line, data=dict(row))
            line = reader.line_num + 1


def _read_claimreview(path: Path) -> Iterator[RawRecord]:
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportFailure(f"{path.name} is not a JSON document: {exc}") from None
    in_graph = isinstance(document, dict) and isinstance(document.get("@graph"), list)
    nodes = document["@graph"] if in_graph else document
    for index, node in enumerate(nodes if isinstance(nodes, list) else [nodes], 1):
        if _is_claim_review(node):
            yield RawRecord(record=index, data=claimreview_fields(node))
        elif not in_graph:  # a page's @graph also holds WebPage, Organization ... nodes
            yield RawRecord(record=index, error="not a ClaimReview object")


def _is_claim_review(node: Any) -> bool:
    if not isinstance(node, dict):
        return False
    kinds = node.get("@type")
    return "ClaimReview" in (kinds if isinstance(kinds, list) else [kinds])


def _first_object(value: Any) -> dict[str, Any]:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, dict)), None)
    return value if isinstance(value, dict) else {}


def _name(value: Any) -> str | None:
    if isinstance(value, str):
        return value or None
    if isinstance(value, list):
        return next((n for n in (_name(v) for v in value) if n), None)
    if isinstance(value, dict):
        return _name(value.get("name"))
    return None
