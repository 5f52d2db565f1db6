#!/usr/bin/env python3
"""foodtrace benchmark: embedded vs Neo4j vs a plain SQL recursive query.

    python scripts/bench.py                      # 1,000,000 events, embedded + SQL baseline + HTTP
    python scripts/bench.py --events 100000 --neo4j auto   # also Neo4j (starts scripts/neo4j-dev)
    python scripts/bench.py --events 10000000 --skip-http  # the 10M run (about an hour here)

Generates a district with the demo generator, ingests it through the real
capture pipeline (validation included), then measures ingest rate, open time
and resident memory per event, traversal and full-trace latency percentiles over
random lots (receipts backward; live-pig and vegetable-base lots forward), the
consumer scan (first and kept), recall, and HTTP with wrk against the same stack's
hello-world ceiling in the same run (scripts/bench_http.py). Every row shows the
baseline measured in the same run and the ratio; the machine's load average is
recorded before and after. Prints a Markdown table and writes JSON (and the
table) to bench-results/.

This file holds the arguments, the order of the steps, the targets and the output;
the steps are in modules named for what they measure: scripts/bench_district.py
(the district ingested, opened, its lots sampled), scripts/bench_rows_trace.py
(traversal, full trace, consumer scan and recall against the SQL baseline, and on
Neo4j), scripts/bench_rows_http.py (views kept in the file, the wrk runs),
scripts/bench_report.py, scripts/bench_neo4j.py and the ``PARTS`` below; the table
is scripts/bench_table.py's.
"""

from __future__ import annotations

import argparse
from datetime import datetime, timezone
import json
import os
from pathlib import Path
import platform
import shutil
import sys
import tempfile

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from foodtrace.config import Settings  # noqa: E402
from foodtrace.graph import open_store  # noqa: E402
from scripts.bench_district import ingest, log, open_in_subprocess, sample_lots  # noqa: E402
from scripts.bench_ingest import measure_ingest  # noqa: E402
from scripts.bench_rows_http import FILED_PER_SECOND, http_figures, measure_http  # noqa: E402
from scripts.bench_rows_trace import measure_baseline, measure_neo4j, measure_store, trace_figures  # noqa: E402

TARGETS = {  # at 1M events (issue 22); 10M targets are noted in docs/performance.md
    "ingest_embedded_eps": (">=", 50_000),
    "ingest_neo4j_eps": (">=", 20_000),
    "open_s": ("<=", 2.0),
    "bytes_per_event": ("<=", 600),
    "traversal_p99_ms": ("<=", 0.5),
    "full_backward_p99_ms": ("<=", 0.5),
    "neo4j_full_backward_p99_ms": ("<=", 5.0),
    "forward_pig_p99_ms": ("<=", 20.0),
    "speedup_vs_sql_p99": (">=", 3.0),
    "full_speedup_vs_sql_p99": (">=", 3.0),
    "consumer_scan_p99_ms": ("<=", 1.0),
    "recall_sh_day_ms": ("<=", 50.0),
    "http_consumer_rps": (">=", 2000),
    "http_consumer_p99_ms": ("<=", 20.0),
    "http_consumer_of_ceiling": (">=", 0.25),
    "http_consumer_new_rps": (">=", 2000),  # the same targets for receipts scanned the first time
    "http_consumer_new_p99_ms": ("<=", 20.0),
    "http_consumer_new_of_ceiling": (">=", 0.25),
    "http_consumer_filed_rps": (">=", 2000),  # and for receipts scanned the first time, views kept in the file
    "http_consumer_filed_p99_ms": ("<=", 20.0),
    "http_consumer_filed_of_ceiling": (">=", 0.25),
    "report_s": ("<=", 3.0),
    "report_kept_s": ("<=", 3.0),
}

# Issue 22's rows, printed after the main table, each with its target and ✔/✘ ("not run" when the run skipped
# it): (result key, what it is, the baseline it is compared with in the same run or "").
ISSUE_22 = [
    ("http_consumer_rps", "consumer page /l/{code}, 1,000 random receipts, views kept: req/s", "ceiling req/s"),
    ("http_consumer_p99_ms", "consumer page /l/{code}, views kept: p99 ms", ""),
    ("http_consumer_of_ceiling", "consumer page as a share of the same run's Starlette ceiling", ""),
    ("http_consumer_cpu_of_ceiling", "consumer page: the ceiling's server CPU per request over the page's", ""),
    ("http_consumer_new_rps", "consumer page, every request a receipt never scanned (each view built): req/s",
     "ceiling req/s"),
    ("http_consumer_new_p99_ms", "consumer page, every request a receipt never scanned: p99 ms (wrk's, pauses counted)",
     ""),
    ("http_consumer_new_of_ceiling", "consumer page, every request a receipt never scanned, as a share of the ceiling",
     ""),
    ("views_fill_cpu_ms", "views kept in the file ahead of the scans (`foodtrace db views`' code, pages too): "
     "CPU ms a view", ""),
    ("views_fill_ms", "views kept in the file ahead of the scans: wall ms a view (the machine's load counts)", ""),
    ("http_consumer_filed_rps", "consumer page, every request a receipt never scanned, its view kept in the file: "
     "req/s", "ceiling req/s"),
    ("http_consumer_filed_p99_ms", "consumer page, never scanned, view kept in the file: p99 ms", ""),
    ("http_consumer_filed_of_ceiling", "consumer page, never scanned, view kept in the file, as a share of the ceiling",
     ""),
    ("full_backward_p99_ms", "full backward trace of a receipt, again (kept): p99 ms", "SQL WITH RECURSIVE p99"),
    ("full_speedup_vs_sql_p99", "full trace: times faster than the SQL baseline at p99, same output", ""),
    ("speedup_vs_sql_p99", "bare traversal: times faster than the SQL baseline at p99", ""),
    ("ingest_embedded_eps", "ingest, embedded: events/s", ""),
    ("ingest_neo4j_eps", "ingest, Neo4j: events/s", ""),
    ("open_s", "open a store: s", ""),
    ("report_s", "the year's district report, the first time (folded): s", ""),
    ("report_kept_s", "the year's district report asked again (figures kept, nothing before its end changed): s", ""),
    ("neo4j_full_backward_p99_ms", "Neo4j full backward trace of a receipt, again (kept by the process): p99 ms", ""),
]

# Issue-22 parts measured by their own modules: add one line each ("scripts.bench_<part>"). A part module has
# ``TARGETS`` ({key: (op, target)}), ``ROWS`` (like ``ISSUE_22``) and ``measure(run) -> dict`` (key -> value,
# merged into the results); ``run`` holds ``args``, ``db`` (the embedded store's file), ``store`` (open),
# ``lots`` (the sampled codes), ``work`` (a scratch directory), ``results`` (so far) and ``log``.
PARTS: list[str] = []
PARTS.append("scripts.bench_walk")  # the walk against SQL (same output, interleaved passes), the lineage load
PARTS.append("scripts.bench_ledger")  # a stall's month ledger: the time index against the whole-log way


def machine() -> str:
    cpu = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB, Python {platform.python_version()}, {platform.system()}"


def verdict(key: str, value: float) -> str:
    if key not in TARGETS:
        return ""
    op, target = TARGETS[key]
    if value != value:  # NaN: not measured in this run
        return f"{op} {target:g} (not run)"
    ok = value >= target if op == ">=" else value <= target
    return f"{op} {target:g} {'✔' if ok else '✘'}"


def run_parts(args, db: Path, store, lots: dict, work: Path, r: dict) -> None:
    """Each part module's measurements (``PARTS``), its targets and rows added to the table."""
    import importlib

    for name in PARTS:
        part = importlib.import_module(name)
        TARGETS.update(getattr(part, "TARGETS", {}))
        ISSUE_22.extend(row for row in getattr(part, "ROWS", []) if row[0] not in {k for k, *_ in ISSUE_22})
        log(f"part {name}")
        run = argparse.Namespace(args=args, db=db, store=store, lots=lots, work=work, results=r, log=log)
        r.update(part.measure(run))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--lots", type=int, default=1000, help="random lots per measurement")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--batch", type=int, default=5000)
    ap.add_argument("--neo4j", default="", help="Neo4j URL, 'auto' (start scripts/neo4j-dev), or empty to skip")
    ap.add_argument("--skip-http", action="store_true")
    ap.add_argument("--http-seconds", type=float, default=10)
    ap.add_argument("--workers", type=int, default=2, help="uvicorn worker processes for the HTTP part "
                                                           "(the ceiling app gets as many)")
    ap.add_argument("--connections", type=int, default=16, help="wrk connections (one wrk thread)")
    ap.add_argument("--dir", default="", help="working directory (default: a temporary one)")
    ap.add_argument("--store", default="", help="measure this existing store file (no generation, no ingest row)")
    ap.add_argument("--out", default=str(REPO / "bench-results"))
    ap.add_argument("--readme", action="store_true", help="write the targets table into README.md (between its "
                                                                  "bench markers)")
    args = ap.parse_args()

    work = Path(args.dir or tempfile.mkdtemp(prefix="ftbench-"))
    work.mkdir(parents=True, exist_ok=True)
    db = work / "bench.db"
    for p in work.glob("bench.db*"):
        p.unlink()
    r: dict = {"events_target": args.events, "machine": machine(), "load": {"start": os.getloadavg()[0]},
               "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
               "command": " ".join([Path(sys.argv[0]).name] + sys.argv[1:])}

    if args.store:
        db = Path(args.store).resolve()
        store = open_store(f"sqlite:///{db}")
        n, r["ingest_embedded_eps"] = store.counts()["events"], float("nan")
        store.close()
        log(f"the existing store {db}: {n:,} events")
    else:
        log(f"ingest into the embedded store {db}")
        store = open_store(f"sqlite:///{db}")
        n, secs = ingest(store, args.events, args.seed, args.batch)
        store.close()
        r["ingest_embedded_eps"] = n / secs
        log(f"  {n:,} events in {secs:.1f}s")
    r["events"] = n
    r["db_bytes"] = sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))

    log("open (subprocess, graph rebuilt) and resident memory")
    o = open_in_subprocess(f"sqlite:///{db}")
    r["open_s"] = o["open_s"]
    r["bytes_per_event"] = (o["rss_after"] - o["rss_before"]) / max(1, o["events"])
    r["graph_ready_s"] = o["graph_ready_s"]
    if not args.store:  # issue 22: `foodtrace ingest` of a pre-generated JSON-lines file, through the write door
        log("foodtrace ingest of a pre-generated JSON-lines file (scripts/bench_ingest.py)")
        r["ingest_file"] = measure_ingest(args.events, work / "ingest", skip_generate=True, rounds=1)
        r["ingest_loop_eps"] = r["ingest_embedded_eps"]  # the generator's loop into store.append, for comparison
        r["ingest_embedded_eps"] = r["ingest_file"]["ingest_eps"]

    lots = sample_lots(db, args.lots, args.seed, 0 if args.skip_http else round(args.http_seconds * FILED_PER_SECOND))
    store = open_store(f"sqlite:///{db}")
    store.counts()  # waits for the lineage graph a large store loads in the background: steady state is measured
    r["load"]["traces"] = os.getloadavg()[0]
    log("embedded traversals")
    r["embedded"] = measure_store(store, lots)
    log("district statistics report: the year and a month, from the report facts and from the whole log")
    from scripts.bench_report import bench_report

    r["report"] = bench_report(store)
    r["report_s"] = r["report"]["year_s"]
    r["report_kept_s"] = r["report"].get("year_kept_s", float("nan"))

    log("SQL WITH RECURSIVE baseline")
    r["baseline"] = measure_baseline(db, work / "baseline.db", lots)

    if args.neo4j:
        r["neo4j"], r["ingest_neo4j_eps"] = measure_neo4j(args, lots)
        from scripts.bench_neo4j import bench_neo4j  # issue 22: file ingest, one-query trace, native reads

        url = r["neo4j"]["url"]
        r["neo4j_native"] = bench_neo4j(url, args.events, args.seed, args.batch, args.lots, work=work,
                                        settings=Settings(store=url))

    run_parts(args, db, store, lots, work, r)

    if not args.skip_http:
        measure_http(store, db, lots, args, r)
    store.close()
    r["load"]["end"] = os.getloadavg()[0]

    trace_figures(r)
    http_figures(r)

    from scripts.bench_table import render, targets_table

    table = render(r, verdict) + "\n\n" + targets_table(r, ISSUE_22, verdict)
    print(table)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    (out / f"bench-{args.events}-{stamp}.json").write_text(json.dumps(r, indent=2))
    (out / f"bench-{args.events}-{stamp}.md").write_text(table + "\n")
    if args.readme:
        from scripts.bench_readme import block, update

        targets = targets_table(r, ISSUE_22, verdict)
        print("README.md updated" if update(REPO / "README.md", block(targets, r, machine()))
              else "README.md has no bench markers: not updated")
    if not args.dir:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
