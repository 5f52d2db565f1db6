#!/usr/bin/env python3
"""Issue 22, part "walk": the embedded store's bare lineage walk against SQLite's WITH RECURSIVE, and the open.

    python scripts/bench_walk.py --store /path/to/bench.db [--baseline /path/to/baseline.db] [--rounds 3]

(also run by ``scripts/bench.py`` as a part: ``measure(run)``). Over 1,000 random receipts (backward) and live-pig lots
(forward), each way of walking below makes a pass over all the lots per round, the order of the ways turned
by one each round (after one pass of each not counted):

- ``ours``: ``store.backward(code)`` / ``store.forward(code)`` — the public call: the store's lock, the
  catch-up check, the walk, the ``Lineage`` (lots and links);
- ``before``: the walk as it was before this part (networkx's ``predecessors``/``successors`` views, a deque,
  ``SELECT MAX(seq)`` on every walk), on the same graph — the change measured under the same load;
- ``sql_same``: the baseline's ``WITH RECURSIVE`` returning what ours returns: each lot reached with its
  links (``LEFT JOIN`` of the edge table on the lots reached);
- ``sql_lots``: the baseline as ``bench.py``'s traversal row runs it: the lots reached only (less output
  than ours: the comparison favours SQL).

Every walk's lots and links are first checked against SQL's and against the walk before (a mismatch fails
the run). Figures are p50/p95/p99 in ms; the speed-ups are the other's percentile over ours at the same
percentile, per round, and their median over rounds (default 5). The open is measured in a subprocess (open returns, graph ready, resident bytes of the graph).
"""

from __future__ import annotations

import argparse
from collections import deque
import json
import os
from pathlib import Path
import sqlite3
import statistics
import subprocess
import sys
import time

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from foodtrace.graph.store import Lineage  # noqa: E402

TARGETS = {"walk_speedup_same_p99": (">=", 3.0), "walk_speedup_lots_p99": (">=", 3.0), "walk_open_s": ("<=", 2.0)}
ROWS = [
    ("walk_speedup_same_p99", "bare traversal (receipt backward) vs SQL, same output (lots and links): x at p99", ""),
    ("walk_speedup_lots_p99", "bare traversal vs SQL returning the lots only (less than ours): x at p99", ""),
    ("walk_speedup_over_before_p50", "bare traversal now vs before issue 22's walk part, same run: x at p50", ""),
    ("walk_open_s", "open a store (bench_walk, a fresh process): s", ""),
    ("walk_graph_ready_s", "… the lineage graph there (walks in SQLite until then): s", ""),
    ("walk_graph_load_s", "loading the lineage now: s", ""),
    ("walk_graph_load_before_s", "loading the lineage as before (networkx): s", ""),
    ("walk_graph_bytes_per_link", "the lineage in memory now: resident bytes per link", ""),
    ("walk_graph_bytes_per_link_before", "the lineage in memory as before (networkx): bytes per link", ""),
    ("walk_graph_gb_at_10m", "the lineage at 10M events (this run's bytes per link and links per event x 10M): GB", ""),
]

SQL_SAME = {
    False: ("WITH RECURSIVE up(code) AS (SELECT ? UNION SELECT e.parent FROM edge e JOIN up ON e.child = up.code) "
            "SELECT u.code, e.parent FROM up u LEFT JOIN edge e ON e.child = u.code"),
    True: ("WITH RECURSIVE down(code) AS (SELECT ? UNION SELECT e.child FROM edge e JOIN down ON e.parent = down.code) "
           "SELECT d.code, e.child FROM down d LEFT JOIN edge e ON e.parent = d.code"),
}

SQL_LOTS = {  # bench.py's UP and DOWN
    False: ("WITH RECURSIVE up(code) AS (SELECT ? UNION SELECT e.parent FROM edge e JOIN up ON e.child = up.code) "
            "SELECT code FROM up"),
    True: ("WITH RECURSIVE down(code) AS (SELECT ? UNION SELECT e.child FROM edge e JOIN down ON e.parent = down.code) "
           "SELECT code FROM down"),
}


def before(store, g, code: str, forward: bool) -> Lineage:
    """The walk as EmbeddedStore._walk did it before issue 22's walk part, on ``g`` (the networkx graph
    loaded as before: ``old_graph``), for the comparison under the same load."""
    with store._lock:
        store.conn.execute("SELECT COALESCE(MAX(seq), 0) FROM events").fetchone()  # its catch-up check
        if code not in g:
            return Lineage(code, frozenset([code]), ())
        step = g.successors if forward else g.predecessors
        seen, edges, queue = {code}, [], deque([code])
        while queue:
            node = queue.popleft()
            for nxt in step(node):
                edges.append((node, nxt) if forward else (nxt, node))
                if nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
        return Lineage(code, frozenset(seen), tuple(edges))


def _pct(samples: list[float]) -> dict[str, float]:
    s = sorted(samples)
    return {f"p{q}": s[min(len(s) - 1, int(q / 100 * len(s)))] * 1000 for q in (50, 95, 99)}


def _same(lin: Lineage, rows: list, forward: bool) -> bool:
    lots = {r[0] for r in rows}
    links = {(r[0], r[1]) if forward else (r[1], r[0]) for r in rows if r[1] is not None}
    return lin.lots == lots and set(lin.edges) == links and len(lin.edges) == len(set(lin.edges))


def old_graph(db: Path):
    """The lineage as the store loaded it before (networkx ``LineageGraph`` filled from the live links)."""
    import gc

    from foodtrace.graph.lineage_load import LIVE_LINKS
    from scripts.networkx_lineage import LineageGraph, fill

    con = sqlite3.connect(db)
    try:
        top = con.execute("SELECT COALESCE(MAX(seq), 0) FROM events").fetchone()[0]
        cur, g = con.execute(LIVE_LINKS, (top,)), LineageGraph()
        gc.disable()
        while rows := cur.fetchmany(65536):
            fill(g, rows)
        gc.enable()
        return g
    finally:
        con.close()


def passes(store, old, con: sqlite3.Connection, codes: list[str], forward: bool, round_: int) -> dict:
    """One round: a pass over all codes per way of walking, in an order turned by one each round (a pass
    that follows another on the same codes finds what they share warm, so no way is always first)."""
    walk = store.forward if forward else store.backward
    lots_only, same, pc = SQL_LOTS[forward], SQL_SAME[forward], time.perf_counter
    ways = {
        "ours": walk,
        "before": lambda c: before(store, old, c, forward),
        "sql_same": lambda c: con.execute(same, (c,)).fetchall(),
        "sql_lots": lambda c: con.execute(lots_only, (c,)).fetchall(),
    }
    names = list(ways)
    names = names[round_ % 4:] + names[:round_ % 4]
    out: dict = {}
    for name in names:
        fn, t = ways[name], []
        for code in codes:
            t0 = pc()
            fn(code)
            t.append(pc() - t0)
        out[name] = _pct(t)
    return out


def check(store, old, con: sqlite3.Connection, codes: list[str], forward: bool) -> int:
    """How many walks differ from SQL's (lots and links) or from the walk before this part."""
    walk = store.forward if forward else store.backward
    return sum((not _same(lin := walk(c), con.execute(SQL_SAME[forward], (c,)).fetchall(), forward))
               + (before(store, old, c, forward) != lin) for c in codes)


def open_figures(db: Path) -> dict:
    """Open in a fresh process: seconds until open returns and until the graph is there, resident bytes."""
    code = (
        "import json, sys, time\n"
        "def rss():\n"
        "    return int(open('/proc/self/statm').read().split()[1]) * 4096\n"
        "from foodtrace.graph import open_store\n"
        "import foodtrace.services.tracing\n"
        "before = rss(); t = time.perf_counter(); s = open_store(sys.argv[1]); opened = time.perf_counter() - t\n"
        "c = s.counts(); ready = time.perf_counter() - t\n"
        "print(json.dumps({'open_s': opened, 'graph_ready_s': ready, 'rss_bytes': rss() - before,\n"
        "                  'events': c['events'], 'links': c['links'], 'lots': s._graph.number_of_nodes()}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code, f"sqlite:///{db}"], capture_output=True, text=True,
                         check=True, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
    return json.loads(out.stdout)


def graph_load(db: Path, which: str) -> dict:
    """Seconds and resident bytes to load the lineage in a fresh process: ``compact`` (the store's load now)
    or ``networkx`` (the load before)."""
    code = (
        "import json, sqlite3, sys, time\n"
        "from pathlib import Path\n"
        "def rss():\n"
        "    return int(open('/proc/self/statm').read().split()[1]) * 4096\n"
        "from foodtrace.graph.lineage_load import load_lineage\n"
        "from scripts.bench_walk import old_graph\n"
        "db, which = Path(sys.argv[1]), sys.argv[2]\n"
        "con = sqlite3.connect(db); top = con.execute('SELECT MAX(seq) FROM events').fetchone()[0]\n"
        "before = rss(); t = time.perf_counter()\n"
        "g = load_lineage(con, top) if which == 'compact' else old_graph(db)\n"
        "print(json.dumps({'load_s': time.perf_counter() - t, 'rss_bytes': rss() - before,\n"
        "                  'links': g.number_of_edges()}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(db), which], capture_output=True, text=True,
                         check=True, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
    return json.loads(out.stdout)


def load_figures(db: Path, rounds: int = 2) -> dict:
    """The lineage loaded both ways, alternately, ``rounds`` times each (the same load for both)."""
    out: dict = {"compact": [], "networkx": [], "load": os.getloadavg()[0]}
    for _ in range(rounds):
        for which in ("networkx", "compact"):
            out[which].append(graph_load(db, which))
    for which in ("compact", "networkx"):
        out[f"{which}_load_s"] = statistics.median(r["load_s"] for r in out[which])
        out[f"{which}_bytes_per_link"] = statistics.median(r["rss_bytes"] / max(1, r["links"]) for r in out[which])
    return out


def run_walks(store, db: Path, baseline: Path, receipts: list[str], pigs: list[str], rounds: int,
              log=print) -> dict:
    con = sqlite3.connect(baseline)
    old = old_graph(db)
    bad = check(store, old, con, receipts, False) + check(store, old, con, pigs, True)  # each a warm-up too
    if bad:
        raise SystemExit(f"bench_walk: {bad} walks differ from SQL's (lots or links) or from the walk before")
    for kind, codes, fwd in (("back", receipts, False), ("fwd_pig", pigs, True)):
        passes(store, old, con, codes, fwd, 0)  # warm-up, not counted
    res: dict = {"load": [os.getloadavg()[0]], "back": [], "fwd_pig": [], "checked": len(receipts) + len(pigs)}
    for i in range(rounds):
        res["back"].append(passes(store, old, con, receipts, False, i))
        res["fwd_pig"].append(passes(store, old, con, pigs, True, i))
        res["load"].append(os.getloadavg()[0])
        b = res["back"][-1]
        log(f"  round {i + 1}: receipts backward p50/p99 ms ours {b['ours']['p50']:.4f}/{b['ours']['p99']:.4f}, "
            f"before {b['before']['p50']:.4f}/{b['before']['p99']:.4f}, SQL same output "
            f"{b['sql_same']['p50']:.4f}/{b['sql_same']['p99']:.4f}, SQL lots only "
            f"{b['sql_lots']['p50']:.4f}/{b['sql_lots']['p99']:.4f} (load {res['load'][-1]:.1f})")
    con.close()
    for kind in ("back", "fwd_pig"):
        for q in ("p50", "p99"):
            for base in ("sql_same", "sql_lots", "before"):
                ratios = [r[base][q] / max(r["ours"][q], 1e-9) for r in res[kind]]
                res[f"{kind}_{base}_over_ours_{q}"] = statistics.median(ratios)
    return res


def measure(run) -> dict:
    """bench.py's part: the walks on the run's store and baseline, the open of its file."""
    run.store.counts()  # the graph is there
    res = run_walks(run.store, run.db, run.work / "baseline.db", run.lots["receipts"], run.lots["pigs"],
                    getattr(run.args, "walk_rounds", 5), log=run.log)
    res["open"] = open_figures(run.db)
    res["graph_load"] = load_figures(run.db)
    return {"walk": res, **headline(res)}


def headline(res: dict) -> dict:
    o = res["open"]
    return {
        "walk_speedup_same_p99": res["back_sql_same_over_ours_p99"],
        "walk_speedup_same_p50": res["back_sql_same_over_ours_p50"],
        "walk_speedup_lots_p99": res["back_sql_lots_over_ours_p99"],
        "walk_open_s": o["open_s"],
        "walk_graph_ready_s": o["graph_ready_s"],
        "walk_graph_bytes_per_link": o["rss_bytes"] / max(1, o["links"]),
        "walk_speedup_over_before_p50": res["back_before_over_ours_p50"],
        "walk_graph_load_s": res["graph_load"]["compact_load_s"],
        "walk_graph_load_before_s": res["graph_load"]["networkx_load_s"],
        "walk_graph_bytes_per_link_before": res["graph_load"]["networkx_bytes_per_link"],
        "walk_graph_gb_at_10m": res["graph_load"]["compact_bytes_per_link"] * o["links"] / max(1, o["events"]) * 1e7 / 1e9,
    }


def main() -> None:
    from scripts.bench_district import log, sample_lots
    from scripts.bench_rows_trace import build_baseline
    from foodtrace.graph import open_store

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", required=True, help="an embedded store file (only read)")
    ap.add_argument("--baseline", default="", help="the SQL baseline built from it (made beside it if missing)")
    ap.add_argument("--lots", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    db = Path(args.store).resolve()
    base = Path(args.baseline or db.with_name("baseline.db"))
    if not base.exists():
        log(f"building the SQL baseline {base}")
        build_baseline(db, base)
    lots = sample_lots(db, args.lots, args.seed)
    log("open (subprocess)")
    opened = open_figures(db)
    store = open_store(f"sqlite:///{db}")
    try:
        store.counts()
        log(f"walks, {args.rounds} rounds interleaved")
        res = run_walks(store, db, base, lots["receipts"], lots["pigs"], args.rounds, log=log)
    finally:
        store.close()
    res["open"] = opened
    log("the lineage loaded as before (networkx) and now (compact), alternately, in fresh processes")
    res["graph_load"] = load_figures(db)
    res.update(headline(res))
    summary = {k: v for k, v in res.items() if not isinstance(v, list)}
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
