"""The FastAPI application factory. Nothing happens at import time."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager

from fastapi import FastAPI

from foodtrace import __version__
from foodtrace.api import errors, gc_policy, observe
from foodtrace.api.forms import ComplaintGuard
from foodtrace.api.head import HeadAsGet
from foodtrace.api.limits import BodyLimit
from foodtrace.api.openapi import openapi_document
from foodtrace.api.ratelimit import TokenBuckets
from foodtrace.api.sessions import People
from foodtrace.api.routes import (
    console,
    epcis_rest,
    events,
    favicon,
    health,
    interchange,
    keys,
    ledgers,
    lots,
    pages,
    parties,
    public,
    qr,
    receipts,
    reports,
    rules,
    signin,
    supervision,
    warnings,
    users,
    users_page,
)
from foodtrace.config import Settings
from foodtrace.graph import open_store
from foodtrace.graph.store import GraphStore
from foodtrace.services.tracing.consumer import persisted
from foodtrace.api import docs
from foodtrace.api.headers import SecurityHeaders
from foodtrace.api.input_guard import InputGuard
from foodtrace.api.kept import KeptFirstApp

DESCRIPTION = """Farm-to-table traceability for meat and vegetables (肉类蔬菜流通追溯).

Send an API key as `Authorization: Bearer <key>` (or `X-API-Key: <key>`). Roles: **operator** (writes events
of its own party, registers receipts as the receiver, reads its own lots), **inspector** (reads every lot and
party, searches), **admin** (registers parties, issues keys, anything else), **viewer** (the district reports
only). People signed in at `/signin` use the same routes with their session cookie (and `X-CSRF-Token` on
writes). Without a key only the consumer
view `/api/v1/public/lots/{code}` answers (rate-limited per client address).
Errors are always `{"error": {"code", "message", "details": [{"position", "field", "reason"}]}}`."""


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> FastAPI:
    """Build the app. The store is opened on startup (unless one is given) and closed on shutdown."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        own = store is None
        app.state.store = observe.watch(app, store if store is not None else open_store(settings.store, settings))
        # the kept views' build (a hash of the package's files: tens of ms) made now, not in the first scan
        persisted()
        collector = None
        if gc_policy.installed():  # a serving worker (api/serving.py): keep full collections short
            collector = asyncio.ensure_future(gc_policy.keep(lambda: app.state.store.status(catch_up=True)))
        try:
            yield
        finally:
            if collector is not None:
                collector.cancel()
            app.state.people.db.close()
            if own:
                app.state.store.close()

    app = KeptFirstApp(title="foodtrace", version=__version__, lifespan=lifespan, description=DESCRIPTION,
                         docs_url=None, redoc_url=None)  # docs: docs.install; kept views first: api/kept.py
    app.state.settings = settings
    app.state.buckets = TokenBuckets(settings.public_rate_per_minute / 60.0, settings.public_burst)
    app.state.complaint_guard = ComplaintGuard(settings)
    app.state.people = People(settings)  # sessions of signed-in people, sign-in lockouts
    app.add_middleware(HeadAsGet)  # innermost: HEAD is routed as GET, every layer above sees its headers
    app.add_middleware(InputGuard, max_depth=settings.max_json_depth)  # inside the body limit
    app.add_middleware(BodyLimit, max_bytes=settings.max_request_bytes)
    app.add_middleware(SecurityHeaders)  # every response (observe.install adds the outermost)
    docs.install(app)
    errors.install(app)
    observe.install(app, settings)
    # interchange, qr, console before lots: the lots router's {code:path} would swallow their suffixes
    for module in (health, favicon, events, receipts, ledgers, interchange, epcis_rest, qr, console, lots, public,
                   parties, keys, users, rules, supervision, reports, warnings, signin, users_page, pages):
        app.include_router(module.router)
    app.openapi = lambda: openapi_document(app)
    return app
