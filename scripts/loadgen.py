#!/usr/bin/env python3
"""A small HTTP load generator for loopback only: N keep-alive connections in
threads for a bounded number of seconds, GET paths built from codes read on
stdin. Prints JSON: requests/s, latency percentiles, errors.

    echo CODE | python scripts/loadgen.py --port 8000 --path /l/{} --seconds 10
"""

from __future__ import annotations

import argparse
import http.client
import json
import sys
import threading
import time
from urllib.parse import quote


def wait_until_serving(port: int, host: str = "127.0.0.1", timeout: float = 60.0) -> bool:
    """Poll ``/openapi.json`` until the server answers (True) or ``timeout`` passes (False)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            c = http.client.HTTPConnection(host, port, timeout=2)
            c.request("GET", "/openapi.json")
            c.getresponse().read()
            return True
        except OSError:
            time.sleep(0.2)
    return False


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1", choices=["127.0.0.1", "localhost", "::1"])
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--path", required=True, help="path template, {} is replaced by a code")
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--header", action="append", default=[], help="'Name: value' sent with every request")
    args = ap.parse_args()
    headers = dict(h.split(":", 1) for h in args.header)
    headers = {k.strip(): v.strip() for k, v in headers.items()}
    codes = [c.strip() for c in sys.stdin if c.strip()] or ["x"]
    deadline = time.perf_counter() + min(args.seconds, 120.0)  # bounded whatever the flag says
    lat: list[list[float]] = [[] for _ in range(args.connections)]
    errors = [0] * args.connections

    def worker(i: int) -> None:
        conn = http.client.HTTPConnection(args.host, args.port, timeout=10)
        k = i
        while time.perf_counter() < deadline:
            path = args.path.format(quote(codes[k % len(codes)], safe=""))
            k += args.connections
            t = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                resp = conn.getresponse()
                resp.read()
                if resp.status >= 400:
                    errors[i] += 1
            except (OSError, http.client.HTTPException):
                errors[i] += 1
                conn.close()
                conn = http.client.HTTPConnection(args.host, args.port, timeout=10)
                continue
            lat[i].append(time.perf_counter() - t)
        conn.close()

    start = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.connections)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    elapsed = time.perf_counter() - start
    all_lat = sorted(x for part in lat for x in part)
    n = len(all_lat)

    def p(q: float) -> float:
        return all_lat[min(n - 1, int(q * n))] * 1000 if n else float("nan")

    print(json.dumps({"requests": n, "seconds": elapsed, "rps": n / elapsed, "p50_ms": p(0.5), "p95_ms": p(0.95),
                      "p99_ms": p(0.99), "errors": sum(errors)}))


if __name__ == "__main__":
    main()
