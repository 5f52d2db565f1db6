#!/usr/bin/env python3
"""foodtrace benchmark: embedded vs Neo4j vs a plain SQL recursive query.

    python scripts/bench.py                      # 1,000,000 events, embedded + SQL baseline + HTTP
    python scripts/bench.py --events 100000 --neo4j auto   # also Neo4j (starts scripts/neo4j-dev)
    python scripts/bench.py --events 10000000 --skip-http  # the 10M run (about an hour here)

Generates a district with the demo generator, ingests it through the real
capture pipeline (validation included), then measures ingest rate, open time
and resident memory per event, traversal and full-trace latency percentiles over
random lots (receipts backward; live-pig and vegetable-base lots forward),
recall, and HTTP throughput from a second process. Prints a Markdown table and
writes JSON (and the table) to bench-results/.
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
from foodtrace.services.tracing.trace import build_trace  # noqa: E402
from scripts.bench_ingest import measure_ingest  # noqa: E402
from scripts.loadgen import wait_until_serving  # noqa: E402

TARGETS = {  # at 1M events (issue 9); 10M targets are noted in the table
    "ingest_embedded_eps": (">=", 50_000),
    "ingest_neo4j_eps": (">=", 20_000),
    "open_s": ("<=", 4.0),
    "bytes_per_event": ("<=", 600),
    "traversal_p99_ms": ("<=", 0.5),
    "full_backward_p99_ms": ("<=", 5.0),
    "forward_pig_p99_ms": ("<=", 20.0),
    "speedup_vs_sql_p99": (">=", 3.0),
    "recall_sh_day_ms": ("<=", 50.0),
    "http_consumer_rps": (">=", 2000),
    "http_consumer_p99_ms": ("<=", 20.0),
    "report_s": ("<=", 30.0),  # issue 8: "seconds on a 1M-event district"
}


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


def sample_lots(db: Path, k: int, seed: int) -> dict[str, list[str]]:
    con = sqlite3.connect(db)
    rnd = random.Random(seed)

    def pick(sql: str) -> list[str]:
        rows = [r[0] for r in con.execute(sql)]
        return rnd.sample(rows, min(k, len(rows)))

    lots = {
        "receipts": pick("SELECT l.code FROM lots l JOIN events e ON e.event_id = l.created_by "
                         "WHERE e.type = 'retail_sale'"),
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
    return lots


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
        INSERT INTO lot_event SELECT le.code, e.body FROM s.lot_events le JOIN s.events e ON e.seq = le.seq;
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
    res = {
        "traversal_back": pct(timed(store.backward, lots["receipts"])),
        "traversal_fwd_pig": pct(timed(store.forward, lots["pigs"])),
        "full_back": pct(timed(lambda c: build_trace(store, store.backward(c), "backward"), lots["receipts"])),
        "full_fwd_pig": pct(timed(lambda c: build_trace(store, store.forward(c), "forward"), lots["pigs"])),
        "full_fwd_veg": pct(timed(lambda c: build_trace(store, store.forward(c), "forward"), lots["veg"])),
    }
    t = time.perf_counter()
    reached: set[str] = set()
    for code in lots["sh_day"]:
        reached |= store.forward(code).lots
    res["recall_sh_day_ms"] = (time.perf_counter() - t) * 1000
    res["recall_sh_day_lots"] = len(reached)
    return res


def http_load(db_url: str, codes: list[str], seconds: float, port: int, workers: int) -> dict:
    from foodtrace.services.admin.keys import issue_key

    with open_store(db_url) as store:  # the trace API needs a key
        key = issue_key(store, "BENCH", "admin", label="scripts/bench.py").key
    # measure the server, not the consumer routes' per-address rate limit (every request here is from loopback)
    env = {**os.environ, "FOODTRACE_STORE": db_url, "FOODTRACE_PUBLIC_RATE_PER_MINUTE": "1000000000",
           "FOODTRACE_PUBLIC_BURST": "1000000000"}
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "foodtrace.api.app:create_app", "--host", "127.0.0.1",
         "--port", str(port), "--workers", str(workers), "--log-level", "warning"],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        if not wait_until_serving(port):
            raise RuntimeError("the benchmark server did not start")
        results = {}
        for name, path, extra in (("consumer", "/l/{}", []),
                                  ("trace_api", "/api/v1/lots/{}/backward", ["--header", f"Authorization: Bearer {key}"])):
            loader = subprocess.run(
                [sys.executable, str(REPO / "scripts" / "loadgen.py"), "--port", str(port), "--seconds",
                 str(seconds), "--path", path, "--connections", "8", *extra],
                input="\n".join(codes), capture_output=True, text=True, check=True)
            results[name] = json.loads(loader.stdout)
        return results
    finally:
        server.terminate()
        server.wait(timeout=30)


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
    ok = value >= target if op == ">=" else value <= target
    return f"{op} {target:g} {'✔' if ok else '✘'}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--lots", type=int, default=1000, help="random lots per measurement")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--batch", type=int, default=5000)
    ap.add_argument("--neo4j", default="", help="Neo4j URL, 'auto' (start scripts/neo4j-dev), or empty to skip")
    ap.add_argument("--skip-http", action="store_true")
    ap.add_argument("--http-seconds", type=float, default=10)
    ap.add_argument("--workers", type=int, default=2, help="uvicorn worker processes for the HTTP part")
    ap.add_argument("--dir", default="", help="working directory (default: a temporary one)")
    ap.add_argument("--out", default=str(REPO / "bench-results"))
    args = ap.parse_args()

    work = Path(args.dir or tempfile.mkdtemp(prefix="ftbench-"))
    work.mkdir(parents=True, exist_ok=True)
    db = work / "bench.db"
    for p in work.glob("bench.db*"):
        p.unlink()
    r: dict = {"events_target": args.events, "machine": machine(),
               "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
               "command": " ".join([Path(sys.argv[0]).name] + sys.argv[1:])}

    log(f"ingest into the embedded store {db}")
    store = open_store(f"sqlite:///{db}")
    n, secs = ingest(store, args.events, args.seed, args.batch)
    store.close()
    r["events"] = n
    r["ingest_embedded_eps"] = n / secs
    r["db_bytes"] = sum(p.stat().st_size for p in work.glob("bench.db*"))
    log(f"  {n:,} events in {secs:.1f}s")

    log("open (subprocess, graph rebuilt) and resident memory")
    o = open_in_subprocess(f"sqlite:///{db}")
    r["open_s"] = o["open_s"]
    r["bytes_per_event"] = (o["rss_after"] - o["rss_before"]) / max(1, o["events"])
    r["graph_ready_s"] = o["graph_ready_s"]
    r["ingest_file"] = measure_ingest(args.events, work / "ingest", skip_generate=True)  # scripts/bench_ingest.py

    lots = sample_lots(db, args.lots, args.seed)
    store = open_store(f"sqlite:///{db}")
    log("embedded traversals")
    r["embedded"] = measure_store(store, lots)
    log("district statistics report")
    r["report_s"] = time_report(store)

    log("SQL WITH RECURSIVE baseline")
    base = work / "baseline.db"
    if base.exists():
        base.unlink()
    build_baseline(db, base)
    con = sqlite3.connect(base)
    r["baseline"] = {
        "traversal_back": pct(timed(lambda c: con.execute(UP, (c,)).fetchall(), lots["receipts"])),
        "traversal_fwd_pig": pct(timed(lambda c: con.execute(DOWN, (c,)).fetchall(), lots["pigs"])),
        "full_back": pct(timed(lambda c: baseline_full(con, UP, c), lots["receipts"])),
        "full_fwd_pig": pct(timed(lambda c: baseline_full(con, DOWN, c), lots["pigs"])),
    }
    t = time.perf_counter()
    for c in lots["sh_day"]:
        con.execute(DOWN, (c,)).fetchall()
    r["baseline"]["recall_sh_day_ms"] = (time.perf_counter() - t) * 1000
    con.close()

    if args.neo4j:
        url = args.neo4j
        if url == "auto":
            subprocess.run([str(REPO / "scripts" / "neo4j-dev"), "start"], check=True)
            url = subprocess.run([str(REPO / "scripts" / "neo4j-dev"), "url"], capture_output=True, text=True,
                                 check=True).stdout.strip()
        settings = Settings(store=url)
        neo = open_store(url, settings)
        neo.init_schema()
        neo.wipe()
        log(f"ingest into Neo4j {url}")
        nn, ns = ingest(neo, args.events, args.seed, args.batch)
        r["ingest_neo4j_eps"] = nn / ns
        log("Neo4j traversals")
        r["neo4j"] = measure_store(neo, lots)
        r["neo4j"]["report_s"] = time_report(neo)
        neo.close()

    if not args.skip_http:
        log("HTTP load from a second process")
        r["http"] = http_load(f"sqlite:///{db}", lots["receipts"], args.http_seconds, 8099, args.workers)
    store.close()

    emb, bl = r["embedded"], r["baseline"]
    r["traversal_p99_ms"] = emb["traversal_back"]["p99"]
    r["full_backward_p99_ms"] = emb["full_back"]["p99"]
    r["forward_pig_p99_ms"] = emb["full_fwd_pig"]["p99"]
    r["speedup_vs_sql_p99"] = bl["traversal_back"]["p99"] / max(emb["traversal_back"]["p99"], 1e-9)
    r["recall_sh_day_ms"] = emb["recall_sh_day_ms"]
    if "http" in r:
        r["http_consumer_rps"] = r["http"]["consumer"]["rps"]
        r["http_consumer_p99_ms"] = r["http"]["consumer"]["p99_ms"]

    table = render(r)
    print(table)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    (out / f"bench-{args.events}-{stamp}.json").write_text(json.dumps(r, indent=2))
    (out / f"bench-{args.events}-{stamp}.md").write_text(table + "\n")
    if not args.dir:
        shutil.rmtree(work, ignore_errors=True)


def render(r: dict) -> str:
    lines = [f"foodtrace benchmark · {r['events']:,} events · {r['date']}", "",
             f"Machine: {r['machine']}  ", f"Command: `{r['command']}`", "",
             "| measure | embedded | Neo4j | SQL baseline | target (1M) |", "| --- | --- | --- | --- | --- |"]
    neo = r.get("neo4j", {})
    bl = r["baseline"]
    emb = r["embedded"]

    def p(d: dict | None, key: str) -> str:
        if not d or key not in d:
            return "–"
        v = d[key]
        return f"{v['p50']:.2f} / {v['p95']:.2f} / {v['p99']:.2f}"

    lines.append(f"| ingest, events/s | {r['ingest_embedded_eps']:,.0f} | "
                 f"{r.get('ingest_neo4j_eps', float('nan')):,.0f} | – | "
                 f"{verdict('ingest_embedded_eps', r['ingest_embedded_eps'])} (Neo4j >= 20,000"
                 f"{'' if 'ingest_neo4j_eps' not in r else (' ✔' if r['ingest_neo4j_eps'] >= 20000 else ' ✘')}) |")
    lines.append(f"| open a store, s | {r['open_s']:.2f} (graph loaded {r['graph_ready_s']:.2f}) | – | – | "
                 f"{verdict('open_s', r['open_s'])} |")
    fi = r["ingest_file"]
    lines.append(f"| `foodtrace ingest` of a JSON-lines file, events/s (demo generator alone) | {fi['ingest_eps']:,.0f} "
                 f"({fi.get('generate_eps', float('nan')):,.0f}) | – | – | {verdict('ingest_embedded_eps', fi['ingest_eps'])} |")
    lines.append(f"| resident bytes per event | {r['bytes_per_event']:.0f} | – | – | "
                 f"{verdict('bytes_per_event', r['bytes_per_event'])} |")
    lines.append(f"| store file, bytes per event | {r['db_bytes'] / r['events']:.0f} | – | – | |")
    for label, key, tk in (("traversal, receipt backward, ms p50/p95/p99", "traversal_back", "traversal_p99_ms"),
                           ("traversal, pig forward, ms", "traversal_fwd_pig", None),
                           ("full backward trace of a receipt, ms", "full_back", "full_backward_p99_ms"),
                           ("full forward trace of a live-pig lot, ms", "full_fwd_pig", "forward_pig_p99_ms"),
                           ("full forward trace of a vegetable-base lot, ms", "full_fwd_veg", None)):
        tgt = verdict(tk, emb[key]["p99"]) if tk else ""
        lines.append(f"| {label} | {p(emb, key)} | {p(neo, key)} | {p(bl, key)} | {tgt} |")
    lines.append(f"| p99 speed-up over SQL, receipt traversal | {r['speedup_vs_sql_p99']:.1f}x | "
                 f"{(bl['traversal_back']['p99'] / neo['traversal_back']['p99']) if neo else float('nan'):.2f}x | 1x | "
                 f"{verdict('speedup_vs_sql_p99', r['speedup_vs_sql_p99'])} |")
    lines.append(f"| recall of a slaughterhouse-day ({emb['recall_sh_day_lots']:,} lots), ms | "
                 f"{emb['recall_sh_day_ms']:.1f} | {neo.get('recall_sh_day_ms', float('nan')):.1f} | "
                 f"{bl['recall_sh_day_ms']:.1f} | {verdict('recall_sh_day_ms', emb['recall_sh_day_ms'])} |")
    if "report_s" in r:
        lines.append(f"| statistics report of the year, s | {r['report_s']:.1f} | "
                     f"{neo.get('report_s', float('nan')):.1f} | – | {verdict('report_s', r['report_s'])} |")
    if "http" in r:
        for name, label in (("consumer", "consumer page"), ("trace_api", "trace API")):
            h = r["http"][name]
            tgt = (verdict("http_consumer_rps", h["rps"]) + ", p99 " + verdict("http_consumer_p99_ms", h["p99_ms"])
                   if name == "consumer" else "")
            lines.append(f"| HTTP {label}: req/s, p99 ms, errors | {h['rps']:,.0f}, {h['p99_ms']:.1f}, "
                         f"{h['errors']} | – | – | {tgt} |")
    return "\n".join(lines).replace("| nanx |", "| – |").replace("| nan |", "| – |").replace(
        "(Neo4j >= 20,000)", "")


if __name__ == "__main__":
    main()
