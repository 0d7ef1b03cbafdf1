"""``/docs``: Swagger UI served from the installed ``swagger-ui-bundle-v2`` package.

FastAPI's own page loads Swagger UI from a CDN, so it is blank on a host without internet
access; this one loads nothing from elsewhere. ReDoc ships no Python package, so ``/redoc``
is off (``FastAPI(redoc_url=None)``).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse
from swagger_ui_bundle import swagger_ui_path

from service.store.errors import NotFound

ASSETS = "/docs/assets"
# The files the page needs, and nothing else of the package (its index.html loads a demo API).
_FILES = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "favicon-32x32.png": "image/png",
}


def add_docs(app: FastAPI) -> None:
    """Serve Swagger UI at ``/docs`` and its files under ``/docs/assets``; none in the schema."""
    folder = Path(str(swagger_ui_path))

    @app.get("/docs", include_in_schema=False)
    def read_docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} API",
            swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS}/favicon-32x32.png",
            # No badge from the online validator: the page calls nothing but this service.
            swagger_ui_parameters={"validatorUrl": None},
        )

    @app.get(ASSETS + "/{name}", include_in_schema=False)
    def read_docs_asset(name: str) -> FileResponse:
        media_type = _FILES.get(name)
        if media_type is None:
            raise NotFound(f"no docs asset {name!r}")
        return FileResponse(folder / name, media_type=media_type)
