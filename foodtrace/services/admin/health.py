"""Is this server fit to take traffic, and who may read its metrics.

Readiness: the store answers within the readiness timeout and the embedded
lineage graph has caught up with the log. A probe runs in a thread of its
own; while one hangs on a stuck store, later probes answer "timeout" at once
instead of piling up threads.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import threading
from typing import Any

from foodtrace.errors import Forbidden, StoreUnavailable, Unauthorized
from foodtrace.graph.status import StoreStatus
from foodtrace.i18n.keyed import keyed
from foodtrace.i18n.refusals import refusal, say_refusal

log = logging.getLogger("foodtrace.health")


class NotReady(StoreUnavailable):
    """503: the server should not take traffic now; ``reason`` says why (no internals)."""

    code = "not_ready"

    def __init__(self, reason: str, *, key: str, **args: Any):
        super().__init__(say_refusal(key, "en", args), [refusal(None, "store", "health_reason", reason=reason)],
                         key=key, args=args)
        self.reason = reason


class Prober:
    """Runs ``store.status()`` with a timeout, one probe at a time."""

    def __init__(self, store: Any):
        self.store = store
        self._lock = threading.Lock()
        self._running: threading.Thread | None = None

    def status(self, timeout: float, catch_up: bool = False) -> StoreStatus:
        """The store's status, or ``NotReady`` (store_timeout, store_unavailable)."""
        box: dict[str, Any] = {}

        def run() -> None:
            try:
                box["status"] = self.store.status(catch_up=catch_up)
            except Exception as exc:  # noqa: BLE001 — reported as a reason, logged with its type
                box["error"] = exc

        with self._lock:
            if self._running is not None and self._running.is_alive():
                raise NotReady("store_timeout", key="health_store_timeout")
            th = self._running = threading.Thread(target=run, name="foodtrace-probe", daemon=True)
            th.start()
        th.join(timeout)
        if th.is_alive():
            raise NotReady("store_timeout", key="health_store_timeout")
        if "error" in box:
            log.warning("store probe failed: %s: %s", type(box["error"]).__name__, box["error"])
            raise NotReady("store_unavailable", key="health_store_unavailable")
        return box["status"]


def readiness(prober: Prober, timeout: float) -> StoreStatus:
    """Ready when the store answers within ``timeout`` and the lineage has caught up with the log."""
    st = prober.status(timeout, catch_up=True)
    if st.lag > 0:
        raise NotReady("lineage_behind", key="health_lineage_behind", lag=st.lag)
    return st


def is_loopback(host: str | None) -> bool:
    try:
        return host is not None and ipaddress.ip_address(host).is_loopback
    except ValueError:  # not an address (a server always gives one): not loopback
        return False


def check_metrics_access(client_host: str | None, authorization: str | None, metrics_key: str) -> None:
    """Loopback clients may read /metrics; others need ``Authorization: Bearer <metrics key>``."""
    if is_loopback(client_host):
        return
    if not metrics_key:
        raise keyed(Forbidden, "health_metrics_loopback", setting="FOODTRACE_METRICS_KEY")
    scheme, _, given = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), metrics_key.encode()):
        raise keyed(Unauthorized, "health_metrics_key", header="Authorization: Bearer <FOODTRACE_METRICS_KEY>")
