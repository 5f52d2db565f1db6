"""The FastAPI application factory. Nothing happens at import time."""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI

from .. import __version__
from ..config import Settings
from ..graph import open_store
from ..graph.store import GraphStore
from . import errors
from .routes import console, events, interchange, lots, pages, qr, reports, rules, supervision


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> FastAPI:
    """Build the app. The store is opened on startup (unless one is given) and closed on shutdown."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        own = store is None
        app.state.store = store if store is not None else open_store(settings.store, settings)
        try:
            yield
        finally:
            if own:
                app.state.store.close()

    app = FastAPI(title="foodtrace", version=__version__, lifespan=lifespan,
                  description="Farm-to-table traceability for meat and vegetables (肉类蔬菜流通追溯).")
    app.state.settings = settings
    errors.install(app)
    app.include_router(events.router)
    app.include_router(interchange.router)  # before lots: its {code:path} would swallow /epcis
    app.include_router(qr.router)  # before lots: its {code:path} would swallow /qr.svg
    app.include_router(console.router)  # before lots too (/graph, /trace.csv)
    app.include_router(lots.router)
    app.include_router(pages.router)
    app.include_router(rules.router)
    app.include_router(supervision.router)
    app.include_router(reports.router)  # inspectors only (see the module)
    return app
