"""The HTTP rows of scripts/bench.py: the views of other receipts kept in the store's file ahead of their scans
(by the code ``foodtrace db views`` runs, pages too: wall and CPU ms a view), then the wrk runs of
scripts/bench_http.py against the same run's ceiling — the consumer page (receipts never scanned, never scanned
with their views kept in the file, and views kept), the public JSON and the trace API (with an admin key)."""

from __future__ import annotations

import os
import time

from foodtrace.config import Settings
from foodtrace.services.safety.rules import load_rules
from scripts.bench_district import log
from scripts.bench_http import http_bench

FILED_PER_SECOND = 8_000  # receipts whose views the bench keeps in the file, per second of an HTTP run


def keep_views(store, codes: list[str]) -> dict:
    """The views of ``codes`` kept in the store's file by the code ``foodtrace db views`` runs (with their
    pages, rendered as the server's settings say): how long it took, wall and CPU, per view."""
    from foodtrace.api.routes.pages import file_page
    from foodtrace.services.tracing.view_fill import fill_views

    wall, cpu = time.perf_counter(), time.process_time()
    n = fill_views(store, rules=load_rules(), page=file_page(Settings()), only=codes)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {"views": n, "asked": len(codes), "wall_s": wall, "cpu_s": cpu,
            "ms_per_view": wall / max(n, 1) * 1000, "cpu_ms_per_view": cpu / max(n, 1) * 1000}


def measure_http(store, db, lots: dict, args, r: dict) -> None:
    """The views kept, then the wrk runs (``args``: bench.py's ``http_seconds``, ``workers``, ``connections``), set
    in the results ``r`` (``views_fill`` and its ms a view, the load average before wrk, ``http``)."""
    log("HTTP: wrk against the ceiling app, then foodtrace")
    from foodtrace.services.admin.keys import issue_key

    key = issue_key(store, "BENCH", "admin", label="scripts/bench.py").key  # the trace API needs a key
    log(f"views of {len(lots['filed']):,} other receipts kept in the file (foodtrace db views' code)")
    r["views_fill"] = keep_views(store, lots["filed"])
    r["views_fill_ms"] = r["views_fill"]["ms_per_view"]
    r["views_fill_cpu_ms"] = r["views_fill"]["cpu_ms_per_view"]
    r["load"]["http"] = os.getloadavg()[0]
    r["http"] = http_bench(f"sqlite:///{db}", lots["receipts"], args.http_seconds, 8099,
                           args.workers, key, args.connections, fresh=lots["fresh"], filed=lots["filed"])


def http_figures(r: dict) -> None:
    """Issue 22's figures of these rows (their keys in bench.py's ``TARGETS``), set in ``r`` from its ``http``
    when the run measured HTTP."""
    if "http" not in r:
        return
    r["http_consumer_rps"] = r["http"]["consumer_page"]["rps"]
    r["http_consumer_p99_ms"] = r["http"]["consumer_page"]["p99_ms"]
    r["http_consumer_of_ceiling"] = r["http"]["consumer_page"]["of_ceiling"]
    r["http_consumer_cpu_of_ceiling"] = r["http"]["consumer_page"].get("cpu_of_ceiling", float("nan"))
    first = r["http"]["consumer_page_new"]
    r["http_consumer_new_rps"], r["http_consumer_new_p99_ms"] = first["rps"], first["p99_ms"]
    r["http_consumer_new_of_ceiling"] = first["of_ceiling"]
    filed = r["http"].get("consumer_page_filed")
    if filed:
        r["http_consumer_filed_rps"], r["http_consumer_filed_p99_ms"] = filed["rps"], filed["p99_ms"]
        r["http_consumer_filed_of_ceiling"] = filed["of_ceiling"]
