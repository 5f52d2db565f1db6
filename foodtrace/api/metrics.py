"""The Prometheus metrics of one app: definitions, the store wrapper that times
store calls and counts stored captures, and the collector that reads the
store's status at scrape time.

The per-request series (requests, latency, consumer scans) are plain numbers counted on the event loop
and read at scrape time (``LoopCounter``, ``LoopHistogram``: no lock or machinery per request); the
others are prometheus_client's. Every app has its own registry (tests build many apps in one process). Labels
are bounded: route templates (``/l/{code:path}``, never a lot code), store
method names, event types, error codes.
"""

from __future__ import annotations

from bisect import bisect_left
import logging
import time
from typing import Any, Callable, Iterable

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily
from prometheus_client.utils import floatToGoString

log = logging.getLogger("foodtrace.metrics")

LATENCY_BUCKETS = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class Metrics:
    """The app's metrics, in a registry of its own."""

    def __init__(self) -> None:
        r = self.registry = CollectorRegistry(auto_describe=True)
        # counted once per request on the event loop (``observe.Recorder``): plain numbers, read when scraped
        self.requests = LoopCounter("foodtrace_http_requests", "HTTP requests by route template, method and status",
                                    ["route", "method", "status"], registry=r)
        self.latency = LoopHistogram("foodtrace_http_request_duration_seconds",
                                     "HTTP request latency by route template", ["route", "method"], LATENCY_BUCKETS,
                                     registry=r)
        self.stored = Counter("foodtrace_captures_stored", "Events newly stored, by event type", ["type"], registry=r)
        self.duplicates = Counter("foodtrace_captures_duplicate",
                                  "Events sent again with the same content (stored before: a no-op)", registry=r)
        self.refused = Counter("foodtrace_captures_refused",
                               "Capture requests refused (nothing stored), by reason (the error code)", ["reason"],
                               registry=r)
        self.scans = LoopCounter("foodtrace_consumer_scans", "Consumer scans (page, GS1 Digital Link or public API) "
                                 "by outcome", ["channel", "outcome"], registry=r)
        self.store_latency = Histogram("foodtrace_store_call_duration_seconds", "Store call latency by method",
                                       ["call"], buckets=LATENCY_BUCKETS, registry=r)

    def watch_store(self, backend: str, probe: Callable[[], Any]) -> None:
        """Read the store's status (``probe()``: a ``StoreStatus``; raises when the store does not
        answer) at every scrape."""
        old = getattr(self, "_store_collector", None)
        if old is not None:  # the app was started again (tests): one collector at a time
            self.registry.unregister(old)
        self._store_collector = StoreCollector(backend, probe)
        self.registry.register(self._store_collector)


class _Count:
    __slots__ = ("value",)

    def __init__(self) -> None:
        self.value = 0

    def inc(self, amount: int = 1) -> None:
        self.value += amount


class _Observed:
    __slots__ = ("bounds", "counts", "sum")

    def __init__(self, bounds: tuple[float, ...]) -> None:
        self.bounds, self.counts, self.sum = bounds, [0] * len(bounds), 0.0

    def observe(self, value: float) -> None:
        self.counts[bisect_left(self.bounds, value)] += 1  # the first bucket whose bound is >= value
        self.sum += value


class LoopCounter:
    """A labelled counter kept as plain numbers (no lock, no per-call machinery) and exported when scraped,
    as prometheus_client's ``Counter`` would export it. Only for counts made on one thread: the event loop."""

    def __init__(self, name: str, documentation: str, labelnames: list[str], registry: CollectorRegistry):
        self.name, self.documentation, self.labelnames = name, documentation, labelnames
        self._children: dict[tuple[str, ...], _Count] = {}
        registry.register(self)

    def labels(self, *values: str) -> _Count:
        child = self._children.get(values)
        if child is None:
            child = self._children[values] = self._new()
        return child

    def _new(self) -> _Count:
        return _Count()

    def describe(self) -> list:
        return [CounterMetricFamily(self.name, self.documentation, labels=self.labelnames)]

    def collect(self) -> Iterable[CounterMetricFamily]:
        family = CounterMetricFamily(self.name, self.documentation, labels=self.labelnames)
        for values, child in list(self._children.items()):  # a copy: the loop may add a series meanwhile
            family.add_metric(list(values), child.value)
        yield family


class LoopHistogram(LoopCounter):
    """A labelled histogram kept as plain numbers, like ``LoopCounter`` (one thread: the event loop)."""

    def __init__(self, name: str, documentation: str, labelnames: list[str], buckets: tuple[float, ...],
                 registry: CollectorRegistry):
        self.bounds = (*buckets, float("inf"))
        self._les = [floatToGoString(b) for b in self.bounds]
        super().__init__(name, documentation, labelnames, registry)

    def _new(self) -> _Observed:  # type: ignore[override]
        return _Observed(self.bounds)

    def describe(self) -> list:
        return [HistogramMetricFamily(self.name, self.documentation, labels=self.labelnames)]

    def collect(self) -> Iterable[HistogramMetricFamily]:
        family = HistogramMetricFamily(self.name, self.documentation, labels=self.labelnames)
        for values, child in list(self._children.items()):
            counts, total, running = list(child.counts), child.sum, 0  # type: ignore[attr-defined]
            buckets = []
            for le, n in zip(self._les, counts):
                running += n
                buckets.append((le, running))
            family.add_metric(list(values), buckets, total)
        yield family


class StoreCollector:
    """Gauges read from the store when scraped: up, lineage size, log sequence, catch-up lag."""

    def __init__(self, backend: str, probe: Callable[[], Any]):
        self.backend, self.probe = backend, probe

    def describe(self) -> Iterable:
        return []  # the families depend on the store's answer; nothing to check at registration

    def collect(self) -> Iterable[GaugeMetricFamily]:
        try:
            st = self.probe()
        except Exception as exc:  # noqa: BLE001 — a down store is a value of the gauge, not a failed scrape
            log.warning("store status failed at scrape: %s", type(exc).__name__)
            st = None
        up = GaugeMetricFamily("foodtrace_store_up", "1 when the store answered within its timeout",
                               labels=["backend"])
        up.add_metric([self.backend], 1.0 if st else 0.0)
        yield up
        if self.backend == "neo4j":
            yield GaugeMetricFamily("foodtrace_neo4j_up", "1 when the Neo4j server answered", value=1.0 if st else 0.0)
        if st is None:
            return
        yield GaugeMetricFamily("foodtrace_lineage_nodes", "Lots (nodes) linked in the lineage graph", value=st.lots)
        yield GaugeMetricFamily("foodtrace_lineage_edges", "Links (edges) in the lineage graph", value=st.links)
        yield GaugeMetricFamily("foodtrace_log_seq", "Highest sequence number in the event log", value=st.log_seq)
        yield GaugeMetricFamily("foodtrace_lineage_lag_events",
                                "Events in the log the lineage graph has not caught up with", value=st.lag)


class ObservedStore:
    """A store whose calls are timed and whose appends are counted; everything
    else is the wrapped store's."""

    def __init__(self, inner: Any, metrics: Metrics):
        self._inner, self._metrics = inner, metrics
        self._timed: dict[str, Callable] = {}

    @property
    def inner(self) -> Any:
        return self._inner

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._inner, name)
        if name.startswith("_") or not callable(attr):
            return attr
        timed = self._timed.get(name)
        if timed is None:
            hist = self._metrics.store_latency.labels(name)  # bounded: the store's method names

            def timed(*args, **kw):
                t = time.perf_counter()
                try:
                    return getattr(self._inner, name)(*args, **kw)
                finally:
                    hist.observe(time.perf_counter() - t)

            self._timed[name] = timed
        return timed

    def append(self, events):
        events = list(events)
        t = time.perf_counter()
        try:
            result = self._inner.append(events)
        finally:
            self._metrics.store_latency.labels("append").observe(time.perf_counter() - t)
        stored = set(result.stored)
        for ev in events:
            if getattr(ev, "event_id", None) in stored:
                self._metrics.stored.labels(getattr(ev, "type", "?")).inc()
        if result.duplicates:
            self._metrics.duplicates.inc(len(result.duplicates))
        return result

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self._inner.close()
