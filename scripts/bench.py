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
"""

from __future__ import annotations

import argparse
from datetime import datetime, timezone
from itertools import islice
import json
import os
from pathlib import Path
import platform
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from foodtrace.config import Settings  # noqa: E402
from foodtrace.demo.generate import generate  # noqa: E402
from foodtrace.graph import open_store  # noqa: E402
from foodtrace.ingest.capture import prepare  # noqa: E402
from foodtrace.services.safety.rules import load_rules  # noqa: E402
from foodtrace.services.tracing.consumer import ready_view  # noqa: E402
from foodtrace.services.tracing.trace import build_trace  # noqa: E402
from scripts.bench_http import http_bench  # noqa: E402
from scripts.bench_ingest import measure_ingest  # noqa: E402

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


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def pct(samples: list[float]) -> dict[str, float]:
    s = sorted(samples)
    if not s:
        return {"p50": float("nan"), "p95": float("nan"), "p99": float("nan"), "n": 0}

    def at(q: float) -> float:
        return s[min(len(s) - 1, int(q * len(s)))] * 1000

    return {"p50": at(0.50), "p95": at(0.95), "p99": at(0.99), "n": len(s)}


def time_report(store) -> float:
    """Seconds for the district statistics of the demo year (one pass over the log, anomalies included)."""
    from foodtrace.services.report import district_report

    t = time.perf_counter()
    district_report(store, "2025-01-01", "2025-12-31")
    return time.perf_counter() - t


def timed(fn, items) -> list[float]:
    out = []
    for it in items:
        t = time.perf_counter()
        fn(it)
        out.append(time.perf_counter() - t)
    return out


def ingest(store, events: int, seed: int, batch: int) -> tuple[int, float]:
    _, stream = generate(events=events, seed=seed)
    n, t0 = 0, time.perf_counter()
    last = t0
    while True:
        chunk = list(islice(stream, batch))
        if not chunk:
            break
        store.append(prepare(chunk))
        n += len(chunk)
        if time.perf_counter() - last > 10:
            last = time.perf_counter()
            log(f"  {n:,} events, {n / (last - t0):,.0f}/s")
    return n, time.perf_counter() - t0


FRESH_RECEIPTS = 60_000
FILED_PER_SECOND = 8_000  # receipts whose views the bench keeps in the file, per second of an HTTP run


def sample_lots(db: Path, k: int, seed: int, filed: int = 0) -> dict[str, list[str]]:
    con = sqlite3.connect(db)
    rnd = random.Random(seed)

    def pick(sql: str) -> list[str]:
        rows = [r[0] for r in con.execute(sql)]
        return rnd.sample(rows, min(k, len(rows)))

    receipts = [r[0] for r in con.execute("SELECT l.code FROM lots l JOIN events e ON e.event_id = "
                                                  "l.created_by WHERE e.type = 'retail_sale'")]
    pick2 = rnd.sample(receipts, min(2 * k, len(receipts)))
    taken = set(pick2)
    rest = [c for c in receipts if c not in taken]
    lots = {
        # for the HTTP first scans: receipts none of the others is, each requested once (a 10 s run at the
        # page's build rate asks for far fewer); drawn with a generator of their own, so that the samples
        # below are those the same seed drew before
        "fresh": random.Random(seed + 1).sample(rest, min(FRESH_RECEIPTS, len(rest))),
        "receipts": pick2[:k],
        "scan": pick2[k:] or pick2[:k],  # receipts never traced before: a consumer's first scan
        "pigs": pick("SELECT code FROM lots WHERE product = 'live_pig'"),
        "veg": pick("SELECT l.code FROM lots l JOIN events e ON e.event_id = l.created_by "
                    "WHERE e.type = 'commission' AND l.product NOT LIKE 'live_%'"),
    }
    row = con.execute(
        "SELECT party, substr(event_time, 1, 10) AS day, COUNT(*) c FROM events "
        "WHERE type = 'transformation' GROUP BY party, day ORDER BY c DESC LIMIT 1").fetchone()
    day_lots = [r[0] for r in con.execute(
        "SELECT l.code FROM lots l JOIN events e ON e.event_id = l.created_by "
        "WHERE e.type = 'transformation' AND e.party = ? AND substr(e.event_time, 1, 10) = ?", row[:2])]
    lots["sh_day"] = day_lots
    con.close()
    # for the HTTP first scans of views kept in the file: ``filed`` receipts none of the others is, with a
    # generator of their own; a store too small for both lists gives up the end of ``fresh`` (half at most)
    taken = taken | set(lots["fresh"])
    lots["filed"] = random.Random(seed + 2).sample([c for c in rest if c not in taken],
                                                   min(filed, len(rest) - len(lots["fresh"])))
    short = min(filed - len(lots["filed"]), len(lots["fresh"]) // 2)
    if short > 0:
        lots["filed"] += lots["fresh"][-short:]
        lots["fresh"] = lots["fresh"][:-short]
    return lots


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


def build_baseline(src: Path, dst: Path) -> None:
    """The typical system: lots and links in plain tables, traversed by WITH RECURSIVE."""
    con = sqlite3.connect(dst)
    con.executescript(f"""
        ATTACH DATABASE '{src}' AS s;
        CREATE TABLE edge(parent TEXT NOT NULL, child TEXT NOT NULL);
        INSERT INTO edge SELECT parent, child FROM s.links WHERE seq NOT IN (SELECT seq FROM s.retractions);
        CREATE INDEX edge_child ON edge(child, parent);
        CREATE INDEX edge_parent ON edge(parent, child);
        CREATE TABLE lot_event(code TEXT NOT NULL, body TEXT NOT NULL);
        INSERT INTO lot_event SELECT le.code, e.body FROM s.lot_events le JOIN s.events e ON e.seq = le.seq
            WHERE e.seq NOT IN (SELECT seq FROM s.retractions) ORDER BY e.event_time, e.seq;
        CREATE INDEX lot_event_code ON lot_event(code);
        DETACH DATABASE s;
    """)
    con.commit()
    con.close()


UP = ("WITH RECURSIVE up(code) AS (SELECT ? UNION SELECT e.parent FROM edge e JOIN up ON e.child = up.code) "
      "SELECT code FROM up")
DOWN = ("WITH RECURSIVE down(code) AS (SELECT ? UNION SELECT e.child FROM edge e JOIN down ON e.parent = down.code) "
        "SELECT code FROM down")


def baseline_full(con: sqlite3.Connection, sql: str, code: str) -> None:
    codes = [r[0] for r in con.execute(sql, (code,))]
    for i in range(0, len(codes), 500):
        part = codes[i:i + 500]
        for _, body in con.execute(f"SELECT code, body FROM lot_event WHERE code IN ({','.join('?' * len(part))})",
                                   part):
            json.loads(body)


def open_in_subprocess(url: str) -> dict:
    code = (
        "import json, time, sys\n"
        "def rss():\n"
        "    return int(open('/proc/self/statm').read().split()[1]) * 4096\n"
        "from foodtrace.graph import open_store\n"
        "import foodtrace.services.tracing\n"
        "before = rss(); t = time.perf_counter(); s = open_store(sys.argv[1]); dt = time.perf_counter() - t\n"
        "n = s.counts()['events']; ready = time.perf_counter() - t  # counts() waits for the lineage graph\n"
        "print(json.dumps({'open_s': dt, 'graph_ready_s': ready, 'rss_before': before, 'rss_after': rss(), 'events': n}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code, url], capture_output=True, text=True, check=True, cwd=REPO)
    return json.loads(out.stdout)


def measure_store(store, lots: dict[str, list[str]]) -> dict:
    """Traversals and full traces. The first full-trace pass over the receipts starts with nothing kept
    (each lot's piece is built, then kept); the second pass is the same receipts again."""
    rules = load_rules()  # once, as the server does (its settings name the file)
    timed(store.backward, lots["receipts"])  # one walk of each receipt not counted, on both sides: steady state
    res = {
        "traversal_back": pct(timed(store.backward, lots["receipts"])),
        "traversal_fwd_pig": pct(timed(store.forward, lots["pigs"])),
        "full_back_first": pct(timed(lambda c: build_trace(store, store.backward(c), "backward"), lots["receipts"])),
        "full_back": pct(timed(lambda c: build_trace(store, store.backward(c), "backward"), lots["receipts"])),
        "full_fwd_pig": pct(timed(lambda c: build_trace(store, store.forward(c), "forward"), lots["pigs"])),
        "full_fwd_veg": pct(timed(lambda c: build_trace(store, store.forward(c), "forward"), lots["veg"])),
        "scan_new": pct(timed(lambda c: ready_view(store, c, rules), lots["scan"])),
        "scan_again": pct(timed(lambda c: ready_view(store, c, rules), lots["scan"])),
    }
    t = time.perf_counter()
    reached: set[str] = set()
    for code in lots["sh_day"]:
        reached |= store.forward(code).lots
    res["recall_sh_day_ms"] = (time.perf_counter() - t) * 1000
    res["recall_sh_day_lots"] = len(reached)
    return res


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
    store.close()
    r["load"]["end"] = os.getloadavg()[0]

    emb, bl = r["embedded"], r["baseline"]
    r["traversal_p99_ms"] = emb["traversal_back"]["p99"]
    r["full_backward_p99_ms"] = emb["full_back"]["p99"]
    r["forward_pig_p99_ms"] = emb["full_fwd_pig"]["p99"]
    r["consumer_scan_p99_ms"] = emb["scan_new"]["p99"]
    r["speedup_vs_sql_p99"] = bl["traversal_back"]["p99"] / max(emb["traversal_back"]["p99"], 1e-9)
    r["full_speedup_vs_sql_p99"] = bl["full_back"]["p99"] / max(emb["full_back"]["p99"], 1e-9)
    r["recall_sh_day_ms"] = emb["recall_sh_day_ms"]
    if "neo4j" in r:
        r["neo4j_full_backward_p99_ms"] = r["neo4j_native"]["neo4j_full_backward_p99_ms"]  # again, kept
        r["ingest_neo4j_eps"] = r["neo4j_native"]["neo4j_ingest_eps"]
    if "http" in r:
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


def measure_baseline(db: Path, base: Path, lots: dict) -> dict:
    if base.exists():
        base.unlink()
    build_baseline(db, base)
    con = sqlite3.connect(base)
    timed(lambda c: con.execute(UP, (c,)).fetchall(), lots["receipts"])  # not counted, as on our side
    res = {
        "traversal_back": pct(timed(lambda c: con.execute(UP, (c,)).fetchall(), lots["receipts"])),
        "traversal_fwd_pig": pct(timed(lambda c: con.execute(DOWN, (c,)).fetchall(), lots["pigs"])),
        "full_back": pct(timed(lambda c: baseline_full(con, UP, c), lots["receipts"])),
        "full_fwd_pig": pct(timed(lambda c: baseline_full(con, DOWN, c), lots["pigs"])),
        "full_fwd_veg": pct(timed(lambda c: baseline_full(con, DOWN, c), lots["veg"])),
        "scan_new": pct(timed(lambda c: baseline_full(con, UP, c), lots["scan"])),
    }
    res["full_back_first"] = res["full_back"]
    res["scan_again"] = res["scan_new"]
    t = time.perf_counter()
    for c in lots["sh_day"]:
        con.execute(DOWN, (c,)).fetchall()
    res["recall_sh_day_ms"] = (time.perf_counter() - t) * 1000
    con.close()
    return res


def measure_neo4j(args, lots: dict) -> tuple[dict, float]:
    url = args.neo4j
    if url == "auto":
        subprocess.run([str(REPO / "scripts" / "neo4j-dev"), "start"], check=True)
        url = subprocess.run([str(REPO / "scripts" / "neo4j-dev"), "url"], capture_output=True, text=True,
                             check=True).stdout.strip()
    neo = open_store(url, Settings(store=url))
    neo.init_schema()
    neo.wipe()
    log(f"ingest into Neo4j {url}")
    nn, ns = ingest(neo, args.events, args.seed, args.batch)
    log("Neo4j traversals")
    res = measure_store(neo, lots)
    res["report_s"] = time_report(neo)
    res["url"] = url
    neo.close()
    return res, nn / ns


if __name__ == "__main__":
    main()
