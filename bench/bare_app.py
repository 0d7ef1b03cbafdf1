"""The baseline of ``bench/load.py``: a bare FastAPI app with one route that validates the body
``POST /v1/articles`` takes (``schemas.articles.ArticleCreate``) and answers 202, run by
uvicorn with the options ``claimdesk serve`` uses (no access log: claimdesk's own
``RequestIds`` line is part of what the service costs).

    .venv/bin/python bench/bare_app.py --port 8123
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import uvicorn  # noqa: E402
from fastapi import FastAPI, Response  # noqa: E402

from schemas.articles import ArticleAccepted, ArticleCreate  # noqa: E402
from service.logs import uvicorn_log_options  # noqa: E402
from service.server_options import server_options  # noqa: E402

app = FastAPI()


@app.post("/v1/articles", status_code=202, response_model=ArticleAccepted)
def create_article(body: ArticleCreate, response: Response) -> ArticleAccepted:
    """Validate, answer as the real route does; store nothing."""
    location = "/v1/articles/art_bare"
    response.headers["Location"] = location
    return ArticleAccepted(id="art_bare", state="queued", location=location)


@app.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8123)
    args = parser.parse_args()
    uvicorn.run(app, host=args.host, port=args.port, **uvicorn_log_options(), **server_options())


if __name__ == "__main__":
    main()
