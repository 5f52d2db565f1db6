"""What the operator sees of each request: a request id (taken from a sane
``X-Request-ID`` or made up, returned as a header and in error answers), one
log line, and the request metrics.

The log line holds the method, the route *template* (never the raw path or
the query string, which may carry a lot code or a secret), the status, the
duration, the principal (key id and party — never the key) and the client's
network (/24 for IPv4, /48 for IPv6), never its full address.
"""

from __future__ import annotations

from functools import lru_cache
import ipaddress
import logging
import os
import re
import time
from typing import Any

from starlette.datastructures import MutableHeaders

from foodtrace.services.admin.health import Prober
from foodtrace.api.logs import write_line
from foodtrace.api.metrics import Metrics, ObservedStore

log = logging.getLogger("foodtrace.request")

_LINE = "%s %s %s %.1fms id=%s principal=%s client=%s"
_SANE_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
CONSUMER_ROUTES = {"/l/{code:path}": "page", "/01/{gtin}/10/{lot:path}": "digital_link",
                   "/api/v1/public/lots/{code:path}": "api"}
CAPTURE_ROUTES = {("POST", "/api/v1/events"), ("POST", "/api/v1/epcis/capture"), ("POST", "/api/v1/receipts")}
_STATUS_CODES = {401: "unauthorized", 403: "forbidden", 404: "not_found", 409: "conflict", 413: "too_large",
                 422: "invalid_input", 429: "rate_limited", 503: "store_unavailable"}


@lru_cache(maxsize=4096)  # the same few clients ask again and again: parse each address once
def client_network(host: str | None) -> str:
    """The client's network, not its address: 203.0.113.0/24, 2001:db8:1::/48."""
    try:
        ip = ipaddress.ip_address(host or "")
    except ValueError:
        return "-"
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def request_id_of(scope: dict) -> str | None:
    return (scope.get("state") or {}).get("request_id")


def new_request_id(given: bytes = b"") -> str:
    """The request id: the client's ``X-Request-ID`` when it is sane (8-64 of ``A-Za-z0-9._-``), else a new one."""
    text = given.decode("latin-1") if given else ""
    return text if text and _SANE_ID.fullmatch(text) else os.urandom(16).hex()  # as random as uuid4().hex


class Recorder:
    """What each answered request leaves behind: the request metrics (and the consumer-scan and capture-refusal
    ones) and one log line. Used by ``Observe`` and by the kept consumer views (``api/kept.py``)."""

    def __init__(self, metrics: Metrics):
        self.metrics = metrics
        self._series: dict[tuple[str, str, int], tuple] = {}

    def record(self, method: str, route: str, status: int, seconds: float, rid: str, principal: str = "-",
               client_host: str | None = None, error_code: str | None = None) -> None:
        m = self.metrics
        counted = self._series.get((route, method, status))
        if counted is None:  # a labelled series looked up once (routes are templates: a bounded set)
            if len(self._series) > 10_000:
                self._series.clear()
            scan = None
            if route in CONSUMER_ROUTES:
                outcome = {200: "shown", 404: "not_found", 429: "rate_limited"}.get(status, "error")
                scan = m.scans.labels(CONSUMER_ROUTES[route], outcome)
            counted = self._series[(route, method, status)] = (m.requests.labels(route, method, str(status)),
                                                               m.latency.labels(route, method), scan)
        counted[0].inc()
        counted[1].observe(seconds)
        if counted[2] is not None:
            counted[2].inc()
        if status >= 400 and (method, route) in CAPTURE_ROUTES:
            m.refused.labels(error_code or _STATUS_CODES.get(status, "error")).inc()
        if not log.isEnabledFor(logging.INFO):
            return
        ms = round(seconds * 1000, 1)
        client = client_network(client_host)
        fields: dict[str, Any] = {"request_id": rid, "method": method, "route": route, "status": status,
                                  "duration_ms": ms, "principal": principal, "client": client}
        args = (method, route, status, ms, rid, principal, client)
        if write_line(log, logging.INFO, _LINE % args, fields):
            return  # written as the configured handler writes a record (api/logs.py), without making one
        # the record made without looking up the caller's frame (what ``log.info`` spends most on), handled as usual
        log.handle(log.makeRecord(log.name, logging.INFO, __file__, 0, _LINE, args, None, extra={"fields": fields}))


class Observe:
    """ASGI middleware: request id, one log line, request and consumer-scan and capture-refusal metrics."""

    def __init__(self, app, recorder: Recorder):
        self.app, self.recorder = app, recorder

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        rid = new_request_id(dict(scope.get("headers") or []).get(b"x-request-id", b""))
        scope.setdefault("state", {})["request_id"] = rid
        status = 500
        start = time.perf_counter()

        async def send_with_id(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)["X-Request-ID"] = rid
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            state = scope.get("state") or {}
            self.recorder.record(scope.get("method", "?"), getattr(scope.get("route"), "path", None) or "(unmatched)",
                                 status, time.perf_counter() - start, rid, state.get("principal") or "-",
                                 (scope.get("client") or (None,))[0], state.get("error_code"))


def install(app, settings) -> None:
    """Metrics and the request middleware (outermost: it sees every answer, 413s included)."""
    app.state.metrics = Metrics()
    app.state.recorder = Recorder(app.state.metrics)
    app.add_middleware(Observe, recorder=app.state.recorder)


def watch(app, store):
    """The store the routes use: timed and counted; its status read at each scrape (with the readiness timeout)."""
    settings = app.state.settings
    timeout = min(settings.ready_timeout_s, settings.store_timeout_s)
    app.state.prober = Prober(store)
    backend = "neo4j" if str(getattr(store, "url", "")).startswith(("bolt", "neo4j")) else "embedded"
    app.state.metrics.watch_store(backend, lambda: app.state.prober.status(timeout))
    return ObservedStore(store, app.state.metrics)
