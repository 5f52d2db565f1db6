"""The consumer page and the public JSON of a lot, answered before the framework sees the request:
``KeptFirstApp`` is the FastAPI app whose outermost step is this one.

Only the plainest scans take this path: ``GET /l/{code}`` (with no query or ``?lang=zh|en``) and
``GET /api/v1/public/lots/{code}`` (no query), without a request body, for a lot's own code, from a client
within the public rate limit — when the store keeps the lot's view and can say so without waiting
(``kept_view``), or, the first time the lot is scanned, when the store can build it at once
(``GraphStore.answer_now``: the embedded store with its lock free and its lineage loaded); the view built
is kept, and the page rendered from it is kept for the next scan. A receipt is scanned once, as a rule:
this is the path nearly every shopper takes. Everything else — a code that names no lot, a receipt typed
as a link, any other query, a path whose percent-encoding is broken, a client over its limit, a store that
cannot answer at once — goes on through the middleware to the routes (``routes.pages``,
``routes.public``), which give the same answer the slower way. An answer given here does every duty the
middleware does for the others, with the same helpers: the security headers and CSP with a fresh nonce
(``api/headers.py``), the request id (header and log line), the one log line and the request and scan
metrics (``observe.Recorder``), the public rate limit (one token a request, whichever step answers it).
"""

from __future__ import annotations

import logging
import time

from fastapi import FastAPI, Request

from foodtrace.api.client import forwarded_client
from foodtrace.api.deps import rules_of
from foodtrace.api.headers import new_nonce, security_headers
from foodtrace.api.input_guard import path_problem
from foodtrace.api.observe import new_request_id
from foodtrace.api.routes.pages import kept_page_of
from foodtrace.errors import FoodtraceError
from foodtrace.i18n import pick_lang
from foodtrace.graph.store import NOT_NOW
from foodtrace.services.tracing.consumer import ReadyView, kept_view, ready_view
from foodtrace.services.tracing.identifiers import plain_code

log = logging.getLogger("foodtrace.api")

PAGE, API = "/l/", "/api/v1/public/lots/"
PAGE_ROUTE, API_ROUTE = "/l/{code:path}", "/api/v1/public/lots/{code:path}"  # the routes' templates
_LANGS = {b"": None, b"lang=zh": "zh", b"lang=en": "en"}
_HTML, _JSON = (b"content-type", b"text/html; charset=utf-8"), (b"content-type", b"application/json")
_BODY_HEADERS = {b"content-length", b"transfer-encoding"}


class KeptFirstApp(FastAPI):
    """The app: a kept consumer view is answered at once (see the module); every other request as FastAPI does."""

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope["method"] == "GET" and scope["path"].startswith((PAGE, API)):
            start = time.perf_counter()
            try:
                answer = self._kept(scope)
            except Exception:  # noqa: BLE001 — a fault here must not cost the answer: the routes give it
                log.exception("the kept path failed; answered by the routes")
                answer = None
            if answer is not None:
                route, headers, body, rid = answer
                try:
                    await send({"type": "http.response.start", "status": 200, "headers": headers})
                    await send({"type": "http.response.body", "body": body})
                finally:
                    client = scope.get("client")
                    self.state.recorder.record("GET", route, 200, time.perf_counter() - start, rid,
                                               client_host=client[0] if client else None)
                return
        await super().__call__(scope, receive, send)

    def _kept(self, scope) -> tuple[str, list, bytes, str] | None:
        """(route template, headers, body, request id) of the kept answer, or None when the routes must answer."""
        path = scope["path"]
        query = scope.get("query_string", b"")
        page = path.startswith(PAGE)
        if query not in _LANGS or (query and not page):
            return None
        raw = scope.get("raw_path") or b""
        if b"%" in raw and path_problem(raw):
            return None  # the input guard answers it (422 naming the path)
        state = self.state
        store, settings = getattr(state, "store", None), getattr(state, "settings", None)
        code = path[len(PAGE if page else API):]
        if store is None or settings is None or not code.strip():
            return None
        given, accept, forwarded = b"", None, []
        for key, value in scope.get("headers") or ():
            if key in _BODY_HEADERS:
                return None  # a GET with a body: the body limit and the routes see it
            if key == b"x-request-id":
                given = value
            elif key == b"accept-language" and accept is None:  # the first, as the routes read it
                accept = value.decode("latin-1")
            elif key == b"x-forwarded-for":
                forwarded.append(value.decode("latin-1"))
        rules = rules_of(settings)
        try:
            kept = kept_view(store, code, rules)
        except FoodtraceError:
            return None  # the route meets the same problem and answers it with the error shape
        if kept is None and not plain_code(code):
            return None  # a receipt typed as a link, a GS1 string or a URN: the routes resolve it
        client = scope.get("client")
        peer = client[0] if client else "unknown"
        trusted = getattr(state, "trusted_proxies", None)
        if trusted is None:  # read once per app: its settings do not change
            trusted = state.trusted_proxies = tuple(settings.trusted_proxy_list())
        who = forwarded_client(peer, forwarded, trusted) if trusted else peer
        if state.buckets.take(who) > 0:
            return None  # over the limit: the route answers 429 with Retry-After (and takes no token)
        if kept is None:  # a first scan: built here when the store can answer at once, and kept
            kept = self._build_now(store, code, rules)
            if kept is None:
                state.buckets.give_back(who)  # the route takes the request's token
                return None
        rid = new_request_id(given)
        if page:
            lg = pick_lang(_LANGS[query], accept, settings.lang)
            body = kept_page_of(lambda: Request(scope), settings, lg, kept).body(state.complaint_guard.tokens)
            kind, route = _HTML, PAGE_ROUTE
        else:
            body, kind, route = kept.json, _JSON, API_ROUTE
        policy = security_headers(page, new_nonce() if page else "")  # a nonce for a page's policy only
        headers = [(b"content-length", str(len(body)).encode()), kind, *policy, (b"x-request-id", rid.encode())]
        return route, headers, body, rid

    @staticmethod
    def _build_now(store, code: str, rules) -> ReadyView | None:
        """The view of ``code`` built now and kept, as the route would build it (``ready_view`` through
        ``GraphStore.answer_now``), or None when the store cannot answer at once (its lock held, the lineage
        loading, a store over the network) or the code names no lot: the routes answer those."""
        try:
            built = store.answer_now(lambda: ready_view(store, code, rules))
        except FoodtraceError:
            return None
        return None if built is NOT_NOW else built


__all__ = ["KeptFirstApp"]
