"""The trace rows of scripts/bench.py: traversal, full trace (the first time and again), consumer scan (a receipt
never traced and the same again) and the recall of a slaughterhouse-day, on the embedded store and on Neo4j,
beside the baseline a typical system uses, built from the same file in the same run (lots and links in plain
SQLite tables, traversed by ``WITH RECURSIVE``, each lot's event bodies read and parsed); percentiles in ms."""

from __future__ import annotations

import json
from pathlib import Path
import sqlite3
import subprocess
import time

from foodtrace.config import Settings
from foodtrace.graph import open_store
from foodtrace.services.safety.rules import load_rules
from foodtrace.services.tracing.consumer import ready_view
from foodtrace.services.tracing.trace import build_trace
from scripts.bench_district import REPO, ingest, log


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


def trace_figures(r: dict) -> None:
    """Issue 22's figures of these rows (their keys in bench.py's ``TARGETS``), set in the results ``r`` from the
    percentiles measured: the embedded store's, the baseline's and, when run, Neo4j's (scripts/bench_neo4j.py)."""
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
