"""The consumer page and the public JSON of a lot whose view the store keeps, answered without the
framework's routing and dependency injection (a pure ASGI layer, the innermost middleware).

Only the plainest scans take this path: ``GET /l/{code}`` (with no query or ``?lang=zh|en``) and
``GET /api/v1/public/lots/{code}`` (no query), for a lot's own code whose view the store keeps and can
say so without waiting (``kept_view``), from a client within the public rate limit. Everything else
— a view not kept yet, a receipt typed as a link, any other query, a client over its limit, a store
that cannot answer at once — goes on to the routes (``routes.pages``, ``routes.public``), which give
the same answer the slower way. The outer middleware still runs for every answer given here: the
security headers and CSP, the request id, the log line and the metrics (the route's template is put
in the scope as the router would).
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response

from foodtrace.api.client import client_address
from foodtrace.api.deps import rules_of
from foodtrace.api.routes import pages, public
from foodtrace.api.routes.pages import kept_page
from foodtrace.errors import FoodtraceError
from foodtrace.services.tracing.consumer import kept_view

PAGE, API = "/l/", "/api/v1/public/lots/"
_LANGS = {b"": None, b"lang=zh": "zh", b"lang=en": "en"}


class KeptViews:
    """ASGI middleware: kept consumer views straight from the store's read models."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "GET":
            return await self.app(scope, receive, send)
        path = scope["path"]
        prefix = PAGE if path.startswith(PAGE) else API if path.startswith(API) else None
        query = scope.get("query_string", b"")
        if prefix is None or query not in _LANGS or (prefix == API and query):
            return await self.app(scope, receive, send)
        response = self._answer(scope, prefix, path[len(prefix):], _LANGS[query])
        if response is None:
            return await self.app(scope, receive, send)
        return await response(scope, receive, send)

    def _answer(self, scope, prefix: str, code: str, lang: str | None) -> Response | None:
        """The kept answer, or None when the routes must answer (never raises: nothing here is an error)."""
        app = scope.get("app")
        state = getattr(app, "state", None)
        store, settings = getattr(state, "store", None), getattr(state, "settings", None)
        if store is None or settings is None or not code.strip():
            return None
        try:
            kept = kept_view(store, code, rules_of(settings))
        except FoodtraceError:
            return None  # the route meets the same problem and answers it with the error shape
        if kept is None:
            return None
        request = Request(scope)
        if state.buckets.take(client_address(request)) > 0:
            return None  # over the limit: the route answers 429 with Retry-After (and takes no token)
        scope["route"] = _ROUTES[prefix]
        if prefix == API:
            return Response(kept.json, media_type="application/json")
        return kept_page(request, settings, lang, kept)


def _route(router, template: str):
    """The router's route for these paths (what the request metrics and log line are labelled by)."""
    return next(r for r in router.routes if getattr(r, "path", None) == template)


_ROUTES = {PAGE: _route(pages.router, "/l/{code:path}"), API: _route(public.router, "/api/v1/public/lots/{code:path}")}


__all__ = ["KeptViews"]
