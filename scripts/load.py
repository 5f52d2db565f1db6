#!/usr/bin/env python3
"""Mixed load on loopback: consumer scans, captures and traces against a served
demo district, for a bounded time; prints per-operation counts, errors and
latency percentiles (JSON with --json).

    python scripts/load.py                 # 60 s, 6 connections, a 20,000-event demo
    python scripts/load.py --seconds 10 --events 5000

It also prints the server's /metrics counters (requests, captures, scans, log
sequence) before and after the load.
"""

from __future__ import annotations

import argparse
from datetime import datetime, timezone
import http.client
import json
import os
from pathlib import Path
import random
import subprocess
import sys
import tempfile
import threading
import time

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from foodtrace.demo.load import load_demo  # noqa: E402
from foodtrace.graph import open_store  # noqa: E402
from foodtrace.services.admin.keys import issue_key  # noqa: E402
from scripts.loadgen import wait_until_serving  # noqa: E402


WATCHED = ("foodtrace_http_requests_total", "foodtrace_captures_stored_total", "foodtrace_captures_refused_total",
           "foodtrace_consumer_scans_total", "foodtrace_log_seq", "foodtrace_lineage_edges")


def metric_totals(port: int) -> dict[str, float]:
    """The watched /metrics series summed over their labels (the script runs on loopback: no key needed)."""
    from prometheus_client.parser import text_string_to_metric_families

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", "/metrics")
        text = conn.getresponse().read().decode()
    finally:
        conn.close()
    out = dict.fromkeys(WATCHED, 0.0)
    for fam in text_string_to_metric_families(text):
        for s in fam.samples:
            if s.name in out:
                out[s.name] += s.value
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--events", type=int, default=20_000)
    ap.add_argument("--connections", type=int, default=6)
    ap.add_argument("--port", type=int, default=8096)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    seconds = min(args.seconds, 600.0)  # bounded whatever the flag says

    work = Path(tempfile.mkdtemp(prefix="ftload-"))
    url = f"sqlite:///{work / 'load.db'}"
    store = open_store(url)
    district = load_demo(store, events=args.events)
    farm = next(p for p, d in district.parties.items() if d.get("kind") == "scale_farm")
    op = issue_key(store, farm, "operator").key
    insp_party = next(p for p, d in district.parties.items() if d.get("kind") == "regulator")
    insp = issue_key(store, insp_party, "inspector").key
    con = store.conn  # the script reads sample codes directly
    receipts = [r[0] for r in con.execute(
        "SELECT l.code FROM lots l JOIN events e ON e.event_id = l.created_by WHERE e.type = 'retail_sale' LIMIT 2000")]
    store.close()

    env = {**os.environ, "FOODTRACE_STORE": url, "FOODTRACE_PUBLIC_RATE_PER_MINUTE": "100000000",
           "FOODTRACE_PUBLIC_BURST": "100000000"}
    server = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "foodtrace.api.app:create_app",
                               "--host", "127.0.0.1", "--port", str(args.port), "--log-level", "warning"],
                              cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        if not wait_until_serving(args.port):
            raise SystemExit("the server did not start")
        metrics_before = metric_totals(args.port)
        stats: dict[str, list[float]] = {"scan": [], "capture": [], "trace": []}
        errors: dict[str, int] = {k: 0 for k in stats}
        lock = threading.Lock()
        stop = time.perf_counter() + seconds

        def worker(i: int) -> None:
            rnd = random.Random(i)
            conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=30)
            n = 0
            while time.perf_counter() < stop:
                n += 1
                kind = rnd.choices(["scan", "capture", "trace"], weights=[70, 15, 15])[0]
                code = rnd.choice(receipts)
                if kind == "scan":
                    req = ("GET", f"/l/{code}", None, {})
                elif kind == "trace":
                    req = ("GET", f"/api/v1/lots/{code}/backward", None, {"Authorization": f"Bearer {insp}"})
                else:
                    ev = [{"type": "commission", "event_time": datetime.now(timezone.utc).isoformat(),
                           "party": farm, "lots": [{"code": f"LOAD-{i}-{n}-{time.time_ns()}", "product": "live_pig",
                                                    "quantity": 10, "unit": "head"}]}]
                    req = ("POST", "/api/v1/events", json.dumps(ev),
                           {"Authorization": f"Bearer {op}", "Content-Type": "application/json"})
                t = time.perf_counter()
                try:
                    conn.request(req[0], req[1], body=req[2], headers=req[3])
                    resp = conn.getresponse()
                    resp.read()
                    ok = resp.status < 400
                except (OSError, http.client.HTTPException):
                    ok = False
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=30)
                dt = time.perf_counter() - t
                with lock:
                    if ok:
                        stats[kind].append(dt)
                    else:
                        errors[kind] += 1

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.connections)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        metrics_after = metric_totals(args.port)
    finally:
        server.terminate()
        server.wait(timeout=30)

    def pct(xs: list[float], q: float) -> float:
        xs = sorted(xs)
        return xs[min(len(xs) - 1, int(q * len(xs)))] * 1000 if xs else float("nan")

    result = {k: {"requests": len(v), "errors": errors[k], "rps": len(v) / seconds, "p50_ms": pct(v, 0.5),
                  "p99_ms": pct(v, 0.99)} for k, v in stats.items()}
    result["seconds"] = seconds
    result["total_errors"] = sum(errors.values())
    result["metrics"] = {k: {"before": metrics_before[k], "after": metrics_after[k]} for k in WATCHED}
    if args.json:
        print(json.dumps(result))
    else:
        print(f"mixed load, {seconds:.0f} s, {args.connections} connections, loopback")
        print("| operation | requests | errors | req/s | p50 ms | p99 ms |\n| --- | --- | --- | --- | --- | --- |")
        for k in ("scan", "capture", "trace"):
            r = result[k]
            print(f"| {k} | {r['requests']} | {r['errors']} | {r['rps']:.0f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} |")
        print("\n/metrics (summed over labels)\n| series | before | after |\n| --- | --- | --- |")
        for k, v in result["metrics"].items():
            print(f"| {k} | {v['before']:.0f} | {v['after']:.0f} |")
    sys.exit(1 if result["total_errors"] else 0)


if __name__ == "__main__":
    main()
