"""The API documentation pages, /docs (Swagger UI) and /redoc (ReDoc), served with every asset from this
app: the scripts and styles ship in the ``fastapi-offline`` package (MIT), the two start-up scripts in
``api/static``. No page reaches another host, so the docs work with outside requests blocked and no
third-party script runs on the origin where the desk and the console keep API keys."""

from __future__ import annotations

import html
from importlib import resources
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS = "/assets/docs"
OWN = "/assets/app"
# Swagger UI and ReDoc set styles from script; ReDoc builds its search index in a blob: worker.
DOCS_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
               "font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; base-uri 'none'; "
               "form-action 'self'; frame-ancestors 'none'")


def _vendor_dir() -> str:
    return str(resources.files("fastapi_offline").joinpath("static"))


def _page(title: str, openapi_url: str, head: str, body: str) -> HTMLResponse:
    text = (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<link rel="icon" href="{ASSETS}/favicon.png">{head}</head>'
            f'<body data-openapi="{html.escape(openapi_url)}">{body}</body></html>')
    return HTMLResponse(text, headers={"Content-Security-Policy": DOCS_POLICY})


def install(app: FastAPI) -> None:
    """Serve /docs, /redoc and their assets (create the app with ``docs_url=None, redoc_url=None``)."""
    app.mount(ASSETS, StaticFiles(directory=_vendor_dir()), name="docs-assets")
    app.mount(OWN, StaticFiles(directory=str(Path(__file__).resolve().parent / "static")), name="app-assets")
    title = f"{app.title} — API"

    @app.get("/docs", include_in_schema=False)
    async def swagger() -> HTMLResponse:
        return _page(title, app.openapi_url, f'<link rel="stylesheet" href="{ASSETS}/swagger-ui.css">',
                     f'<div id="swagger-ui"></div><script src="{ASSETS}/swagger-ui-bundle.js"></script>'
                     f'<script src="{OWN}/docs-swagger.js"></script>')

    @app.get("/redoc", include_in_schema=False)
    async def redoc() -> HTMLResponse:
        return _page(title, app.openapi_url, "<style>body{margin:0;padding:0}</style>",
                     f'<div id="redoc"></div><script src="{ASSETS}/redoc.standalone.js"></script>'
                     f'<script src="{OWN}/docs-redoc.js"></script>')
