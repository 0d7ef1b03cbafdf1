"""The baseline of ``bench/load.py``: a bare FastAPI app with one route that validates the body
``POST /v1/articles`` takes (``schemas.articles.ArticleCreate``) and answers 202, run by
uvicorn with the options ``claimdesk serve`` uses (no access log: claimdesk's own
``RequestIds`` line is part of what the service costs).

With ``--store PATH_OR_URL --redis URL`` the route also does the least any intake that keeps
what it accepted must do: one ``INSERT`` of the text and a commit (raw ``sqlite3`` in WAL mode,
or ``psycopg`` for a ``postgresql://`` URL; one connection per thread) and one ``RPUSH`` of the
id to Redis. No ORM, no RQ, no key check: the floor under ``claimdesk serve``'s intake in this
stack.

    .venv/bin/python bench/bare_app.py --port 8123 [--store /tmp/floor.db --redis URL]
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import threading
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import uvicorn  # noqa: E402
from fastapi import FastAPI, Response  # noqa: E402
from redis import Redis  # noqa: E402

from schemas.articles import ArticleAccepted, ArticleCreate  # noqa: E402
from service.logs import uvicorn_log_options  # noqa: E402
from service.server_options import server_options  # noqa: E402

app = FastAPI()


class Floor:
    """The store and queue of ``--store``: one sqlite3 connection per thread, one Redis."""

    def __init__(self, path: str, redis_url: str) -> None:
        self.path, self.redis, self.local = path, Redis.from_url(redis_url), threading.local()
        self.postgres = path.startswith("postgresql://")
        db = self._connect()
        if not self.postgres:
            db.execute("PRAGMA journal_mode=WAL")
        db.execute("CREATE TABLE IF NOT EXISTS articles (id TEXT PRIMARY KEY, text TEXT, "
                   "title TEXT, state TEXT)")
        db.commit()
        db.close()

    def _connect(self) -> Any:
        if self.postgres:
            import psycopg

            return psycopg.connect(self.path)
        db = sqlite3.connect(self.path, check_same_thread=False)
        db.execute("PRAGMA synchronous=NORMAL")
        return db

    def keep(self, body: ArticleCreate) -> str:
        db = getattr(self.local, "db", None)
        if db is None:
            db = self.local.db = self._connect()
        article_id = f"art_{uuid.uuid4().hex}"
        marks = "%s" if self.postgres else "?"
        db.execute(f"INSERT INTO articles VALUES ({marks}, {marks}, {marks}, 'queued')",
                   (article_id, body.text, body.title))
        db.commit()
        self.redis.rpush("floor:queue", article_id)
        return article_id


FLOOR: Floor | None = None


@app.post("/v1/articles", status_code=202, response_model=ArticleAccepted)
def create_article(body: ArticleCreate, response: Response) -> ArticleAccepted:
    """Validate, answer as the real route does; store and queue only with ``--store``."""
    article_id = FLOOR.keep(body) if FLOOR is not None else "art_bare"
    location = f"/v1/articles/{article_id}"
    response.headers["Location"] = location
    return ArticleAccepted(id=article_id, state="queued", location=location)


@app.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8123)
    parser.add_argument("--store", metavar="SQLITE_PATH", help="insert each body here")
    parser.add_argument("--redis", metavar="URL", help="and push its id to this Redis")
    args = parser.parse_args()
    if args.store:
        global FLOOR
        FLOOR = Floor(args.store, args.redis or "redis://127.0.0.1:6379/0")
    uvicorn.run(app, host=args.host, port=args.port, **uvicorn_log_options(), **server_options())


if __name__ == "__main__":
    main()
