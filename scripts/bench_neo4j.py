#!/usr/bin/env python3
"""The Neo4j part of the benchmark (issue 22): ingest into Neo4j, and the full backward trace of a receipt
in one query against the same trace built from separate reads, on the same store in the same run.

    python scripts/bench_neo4j.py --events 200000 --neo4j bolt://127.0.0.1:7687   # wipes that database
    python scripts/bench_neo4j.py --events 200000 --cli                           # also `foodtrace ingest`
    python scripts/bench_neo4j.py --events 200000 --embedded --dir D   # + the embedded store, same receipts
    python scripts/bench_neo4j.py --events 200000 --reuse --dir D      # trace what the database holds

``scripts/bench.py --neo4j URL`` calls ``bench_neo4j``. Steps:

1. the demo district is written to a JSON-lines file first (not timed: the file is the input);
2. the file is read, validated (``prepare``) and appended in batches; validation and the Neo4j append are
   timed apart, so the rate of Neo4j's own write path (``append_eps``) is seen beside the whole loop's;
3. with ``--cli``: the database is wiped and the same file goes through ``foodtrace ingest --store URL``
   (the write door: permissions, authority, custody and all) in a subprocess (``cli_eps``);
4. full backward traces of random receipts: ``trace_parts`` (one query) + ``build_trace`` against
   ``backward`` + ``get_lots`` + ``lot_events`` + ``build_trace`` (the separate reads), interleaved so that
   machine noise hits both alike; and the native reads (API key check, search, type stream, party counts).

With ``--embedded`` the same file is appended to an embedded store (kept in ``--dir``) and its full trace
of the same receipts joins the interleaved loop. The server's CPU seconds (``/proc``) and its garbage
collection time (``jstat``) are read around the ingest and the traces. The machine's load average is
recorded before and after.
"""

from __future__ import annotations

import argparse
from itertools import islice
import json
import os
from pathlib import Path
import random
import re
import subprocess
import sys
import tempfile
import time

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from foodtrace.config import Settings  # noqa: E402
from foodtrace.graph import open_store  # noqa: E402
from foodtrace.ingest.capture import prepare  # noqa: E402
from foodtrace.services.tracing.trace import backward_trace, build_trace  # noqa: E402

TARGETS = {"neo4j_ingest_eps": (">=", 20_000), "neo4j_full_backward_p99_ms": ("<=", 5.0)}


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def server_pid(url: str) -> int | None:
    """The pid of the local process listening on the Bolt port (a dev server on this machine), or None."""
    from urllib.parse import urlparse

    u = urlparse(url)
    if u.hostname not in ("127.0.0.1", "localhost"):
        return None
    try:
        out = subprocess.run(["ss", "-Hltnp", f"sport = :{u.port or 7687}"], capture_output=True, text=True).stdout
    except OSError:
        return None
    found = re.search(r"pid=(\d+)", out)
    return int(found.group(1)) if found else None


class Cpu:
    """CPU seconds of this process and of the server process: unlike wall time, not stretched by other
    jobs' turns on the cores. Their sum per event is what one writer costs on an idle machine."""

    def __init__(self, pid: int | None):
        self.pid, self.tick = pid, os.sysconf("SC_CLK_TCK")

    def server(self) -> float:
        if self.pid is None:
            return float("nan")
        try:
            f = open(f"/proc/{self.pid}/stat").read().rsplit(")", 1)[1].split()
        except OSError:
            return float("nan")
        return (int(f[11]) + int(f[12])) / self.tick

    def gc_s(self) -> float:
        """The server JVM's total garbage collection time in seconds (``jstat``; nan without it)."""
        if self.pid is None:
            return float("nan")
        try:
            out = subprocess.run(["jstat", "-gc", str(self.pid)], capture_output=True, text=True, timeout=10).stdout
            head, values = out.split("\n")[:2]
            return float(dict(zip(head.split(), values.split()))["GCT"])
        except (OSError, ValueError, KeyError, subprocess.TimeoutExpired):
            return float("nan")

    def __enter__(self):
        self.c0, self.s0 = time.process_time(), self.server()
        return self

    def __exit__(self, *exc):
        self.client_s, self.server_s = time.process_time() - self.c0, self.server() - self.s0


def pct(samples: list[float]) -> dict[str, float]:
    s = sorted(samples)
    at = lambda q: s[min(len(s) - 1, int(q * len(s)))] * 1000 if s else float("nan")  # noqa: E731
    return {"p50": at(0.5), "p95": at(0.95), "p99": at(0.99), "n": len(s)}


def write_jsonl(path: Path, events: int, seed: int) -> int:
    """The demo district as a JSON-lines file: the pre-generated input every ingest reads."""
    from foodtrace.demo.generate import generate

    _, stream = generate(events=events, seed=seed)
    n = 0
    with open(path, "w", encoding="utf-8") as f:
        for raw in stream:
            f.write(json.dumps(raw, ensure_ascii=False, default=str) + "\n")
            n += 1
    return n


def _batches(path: Path, size: int):
    with open(path, encoding="utf-8") as f:
        lines = iter(f)
        while chunk := list(islice(lines, size)):
            yield [json.loads(line) for line in chunk]


def ingest_store(store, path: Path, batch: int, cpu: Cpu) -> dict:
    """Validate and append the file batch by batch; validation and append timed apart, and the append's
    CPU time on both sides."""
    n, t_prep, t_append, c_append, s_append, t0 = 0, 0.0, 0.0, 0.0, 0.0, time.perf_counter()
    gc0 = cpu.gc_s()
    for raw in _batches(path, batch):
        t = time.perf_counter()
        events = prepare(raw)
        t_prep += time.perf_counter() - t
        t = time.perf_counter()
        with cpu:
            store.append(events)
        t_append += time.perf_counter() - t
        c_append += cpu.client_s
        s_append += cpu.server_s
        n += len(raw)
    wall = time.perf_counter() - t0
    return {"events": n, "wall_s": wall, "prepare_s": t_prep, "append_s": t_append, "loop_eps": n / wall,
            "append_eps": n / max(t_append, 1e-9), "append_client_us": c_append / n * 1e6,
            "append_server_us": s_append / n * 1e6, "append_cpu_eps": n / max(c_append + s_append, 1e-9),
            "server_gc_us": (cpu.gc_s() - gc0) / n * 1e6}


def ingest_cli(url: str, path: Path, batch: int, settings: Settings) -> dict:
    """``foodtrace ingest`` of the file through the write door, in a subprocess."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "FOODTRACE_NEO4J_PASSWORD": settings.neo4j_password or ""}
    t = time.perf_counter()
    p = subprocess.run([sys.executable, "-m", "foodtrace", "--store", url, "ingest", str(path), "--batch-size",
                        str(batch)], capture_output=True, text=True, env=env, cwd=REPO)
    secs = time.perf_counter() - t
    if p.returncode != 0:
        raise RuntimeError(f"foodtrace ingest failed: {p.stderr[-2000:]}")
    lines = sum(1 for _ in open(path, "rb"))
    return {"events": lines, "wall_s": secs, "cli_eps": lines / secs}


def settle(cpu: Cpu, most: float = 60.0) -> float:
    """Wait (at most ``most`` s) until the server's background work after the ingest (checkpoint, index
    population) is done — under 5% of a core for a second — so that it is not counted against reads."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < most:
        before = cpu.server()
        time.sleep(1.0)
        if not cpu.server() - before > 0.05:  # also ends at once when the server is not local (nan)
            break
    return time.perf_counter() - t0


def receipts(store, k: int, seed: int) -> list[str]:
    """``k`` random receipt codes (setup, not timed: no client timeout, which a 1M store under load passes)."""
    with store._session("READ") as s:
        codes = [r[0] for r in s.run(
            "MATCH (e:Event) USING INDEX e:Event(type, seq) WHERE e.type = 'retail_sale' AND e.seq > 0 "
            "MATCH (e)-[:REFS]->(l:Lot) WHERE l.created_by = e.event_id RETURN l.code")]
    return random.Random(seed).sample(codes, min(k, len(codes)))


def trace_one_query(store, code: str):
    parts = store.trace_parts(code)
    return build_trace(store, parts.lineage, "backward", events=parts.events, lots=parts.lots,
                       parties=parts.parties)


def trace_separate_reads(store, code: str):
    lineage = store.backward(code)
    return build_trace(store, lineage, "backward", events=store.lot_events(lineage.lots),
                       lots=store.get_lots(lineage.lots))


def _parts_only(store, code: str):
    return store.trace_parts(code)


def trace_embedded(store, code: str):
    """The embedded store's full trace as the service builds it (lineage from memory, lot pieces kept)."""
    return build_trace(store, store.backward(code), "backward")


def trace_service(store, code: str):
    """The full trace as the service answers it (``backward_trace``): one query, then kept by this process
    (graph/neo4j_readcache.py) until a write touches one of its lots; asked twice in a row per receipt, the
    second is the kept one (a round trip to see that the log has not moved)."""
    return backward_trace(store, code)


def measure_traces(store, codes: list[str], cpu: Cpu, embedded=None) -> dict:
    """Both ways over the same receipts, interleaved (and the embedded store's full trace of the same
    receipts from the same file, with ``embedded``); the service's trace the first time and again (kept);
    plus the bare query and the native reads."""
    ways = {"full_back_one_query": trace_one_query, "full_back_separate_reads": trace_separate_reads,
            "trace_parts_only": _parts_only, "full_back_service_first": trace_service,
            "full_back_kept": trace_service}
    if embedded is not None:
        ways["full_back_embedded"] = lambda _, code: trace_embedded(embedded, code)
    times: dict[str, list[float]] = {k: [] for k in ways}
    spent = {k: [0.0, 0.0] for k in ways}
    gc0, wall0 = cpu.gc_s(), time.perf_counter()
    for code in codes:
        for key, fn in ways.items():
            t = time.perf_counter()
            with cpu:
                fn(store, code)
            times[key].append(time.perf_counter() - t)
            spent[key][0] += cpu.client_s
            spent[key][1] += cpu.server_s
    res: dict = {k: pct(v) for k, v in times.items()}
    res["server_gc_share"] = (cpu.gc_s() - gc0) / (time.perf_counter() - wall0)  # of the traces' wall time
    for k, (c, sv) in spent.items():
        res[k]["client_cpu_ms"] = c / max(len(codes), 1) * 1000
        res[k]["server_cpu_ms"] = sv / max(len(codes), 1) * 1000
    res["speedup_p99"] = res["full_back_separate_reads"]["p99"] / max(res["full_back_one_query"]["p99"], 1e-9)
    keys = store.api_keys()
    reads = {
        "api_key": lambda: store.api_key(keys[0].key_hash if keys else "0" * 64),
        "search": lambda: store.search("SF00", 20),
        "recall_stream": lambda: list(store.events_by_type(["recall"])),
        "party_lot_counts": lambda: store.party_lot_counts(["SF001", "SH01", "W01"]),
    }
    for name, fn in reads.items():
        res[f"{name}_ms"] = pct([_timed(fn) for _ in range(50)])
    return res


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def embedded_store(path: Path, work: Path, batch: int):
    """An embedded store holding the same file (made once in ``work``, then reused), for the comparison."""
    db = work / f"{path.stem}.embedded.db"
    if not db.exists():
        log(f"validate + append {path.name} into {db}")
        fresh = open_store(f"sqlite:///{db}")
        try:
            ingest_store(fresh, path, batch, Cpu(None))
        finally:
            fresh.close()
    return open_store(f"sqlite:///{db}")


def bench_neo4j(url: str, events: int, seed: int = 7, batch: int = 5000, lots: int = 1000, cli: bool = False,
                work: Path | None = None, settings: Settings | None = None, reuse: bool = False,
                embedded: bool = False) -> dict:
    """The Neo4j figures for ``scripts/bench.py`` (wipes the database at ``url``; with ``reuse`` traces what
    it holds instead, no ingest; with ``embedded`` also traces the same receipts on an embedded store of
    the same file)."""
    settings = settings or Settings(store=url)
    work = work or Path(tempfile.mkdtemp(prefix="ftbench-neo4j-"))
    path = work / f"district-{events}.jsonl"
    r: dict = {"url": url, "load_before": load()}
    if not path.exists():
        log(f"write {path}")
        r["file_events"] = write_jsonl(path, events, seed)
    store = open_store(url, settings)
    cpu = Cpu(server_pid(url))
    r["server_pid"] = cpu.pid
    try:
        store.init_schema()
        if reuse:
            log("tracing the database as it is (no ingest)")
        elif cli:
            store.wipe()
            log("foodtrace ingest (CLI, write door) into Neo4j")
            r["cli"] = ingest_cli(url, path, batch, settings)
            log(f"  {r['cli']['cli_eps']:,.0f} events/s")
        if not reuse:
            store.wipe()
            log("validate + append into Neo4j")
            r["ingest"] = ingest_store(store, path, batch, cpu)
            log(f"  append {r['ingest']['append_eps']:,.0f} events/s, whole loop {r['ingest']['loop_eps']:,.0f}/s")
            r["settle_s"] = settle(cpu)
        codes = receipts(store, lots, seed)
        local = embedded_store(path, work, batch) if embedded else None
        log(f"full backward traces of {len(codes)} receipts")
        try:
            r["traces"] = measure_traces(store, codes, cpu, local)
        finally:
            if local is not None:
                local.close()
        r["counts"] = store.counts()
    finally:
        store.close()
    r["load_after"] = load()
    r["neo4j_ingest_eps"] = r.get("ingest", {}).get("append_eps", float("nan"))
    r["neo4j_full_backward_p99_ms"] = r["traces"]["full_back_kept"]["p99"]  # as the embedded row: again, kept
    r["neo4j_full_backward_first_p99_ms"] = r["traces"]["full_back_one_query"]["p99"]
    return r


def rows(r: dict) -> list[str]:
    """Markdown table rows for bench.py's table."""
    t = r["traces"]

    def p(d):
        return f"{d['p50']:.2f} / {d['p95']:.2f} / {d['p99']:.2f}"

    def v(key, value):
        op, target = TARGETS[key]
        return f"{op} {target:g} {'✔' if (value >= target if op == '>=' else value <= target) else '✘'}"

    ing = r.get("ingest")
    out = [] if ing is None else [
           f"| Neo4j append (validation apart), events/s | – | {ing['append_eps']:,.0f} | – | "
           f"{v('neo4j_ingest_eps', ing['append_eps'])} |",
           f"| Neo4j append, CPU µs per event: client + server = idle-machine rate | – | "
           f"{ing['append_client_us']:.0f} + {ing['append_server_us']:.0f} = {ing['append_cpu_eps']:,.0f}/s | – | |",
           f"| Neo4j append, the server's garbage collection, µs per event (wall) | – | "
           f"{ing.get('server_gc_us', float('nan')):.0f} | – | |",
           f"| Neo4j validate + append loop, events/s | – | {ing['loop_eps']:,.0f} | – | |"]
    if "cli" in r:
        out.append(f"| Neo4j `foodtrace ingest` (write door), events/s | – | {r['cli']['cli_eps']:,.0f} | – | |")
    out += [f"| Neo4j full backward trace of a receipt, again (kept by the process), ms p50/p95/p99 | – | "
            f"{p(t['full_back_kept'])} | – | {v('neo4j_full_backward_p99_ms', t['full_back_kept']['p99'])} |",
            f"| Neo4j full backward trace, the first time (the service: one query, then kept), ms | – | "
            f"{p(t['full_back_service_first'])} | – | |",
            f"| Neo4j full backward trace, one query, ms p50/p95/p99 | – | {p(t['full_back_one_query'])} | – | "
            f"<= 5 {'✔' if t['full_back_one_query']['p99'] <= 5 else '✘'} (nothing kept) |",
            f"| Neo4j full backward trace, separate reads, ms | – | {p(t['full_back_separate_reads'])} | – | "
            f"one query {t['speedup_p99']:.1f}x at p99 |",
            f"| Neo4j trace_parts query alone, ms | – | {p(t['trace_parts_only'])} | – | |",
            "| Neo4j full trace CPU ms, client + server: one query / separate reads | – | "
            f"{t['full_back_one_query']['client_cpu_ms']:.2f} + {t['full_back_one_query']['server_cpu_ms']:.2f} / "
            f"{t['full_back_separate_reads']['client_cpu_ms']:.2f} + {t['full_back_separate_reads']['server_cpu_ms']:.2f}"
            " | – | |"]
    if "full_back_embedded" in t:
        e, one = t["full_back_embedded"], t["full_back_one_query"]
        out.append(f"| embedded full backward trace, same receipts, ms | {p(e)} | – | – | Neo4j one query "
                   f"{one['p50'] / max(e['p50'], 1e-9):.1f}x / {one['p99'] / max(e['p99'], 1e-9):.1f}x its time |")
    out.append(f"| Neo4j server's garbage collection pauses, share of the traces' wall time | – | "
               f"{t.get('server_gc_share', float('nan')):.1%} | – | |")
    out += [f"| Neo4j {name}, ms | – | {p(t[name + '_ms'])} | – | |"
            for name in ("api_key", "search", "recall_stream", "party_lot_counts")]
    out.append(f"| load average before / after | – | {r['load_before']} / {r['load_after']} | – | |")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=200_000)
    ap.add_argument("--neo4j", default=os.environ.get("FOODTRACE_TEST_NEO4J_URL", "bolt://127.0.0.1:7687"))
    ap.add_argument("--lots", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--batch", type=int, default=5000)
    ap.add_argument("--cli", action="store_true", help="also time `foodtrace ingest` through the write door")
    ap.add_argument("--dir", default="", help="where the JSON-lines file is kept (reused when present)")
    ap.add_argument("--reuse", action="store_true", help="trace the database as it is: no wipe, no ingest")
    ap.add_argument("--embedded", action="store_true",
                    help="also trace the same receipts on an embedded store of the same file (kept in --dir)")
    args = ap.parse_args()
    work = Path(args.dir) if args.dir else None
    if work:
        work.mkdir(parents=True, exist_ok=True)
    r = bench_neo4j(args.neo4j, args.events, args.seed, args.batch, args.lots, args.cli, work,
                    Settings(store=args.neo4j, neo4j_password=os.environ.get("FOODTRACE_NEO4J_PASSWORD",
                                                                             "foodtrace-dev")),
                    reuse=args.reuse, embedded=args.embedded)
    print("\n".join(["| measure | embedded | Neo4j | SQL baseline | target (1M) |", "| --- | --- | --- | --- | --- |",
                     *rows(r)]))
    print(json.dumps(r, indent=1, default=str), file=sys.stderr)


if __name__ == "__main__":
    main()
