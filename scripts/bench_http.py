"""HTTP part of scripts/bench.py: ``wrk`` (Debian's C load generator) against foodtrace and, in the same
run, against the same stack's ceiling — a Starlette app returning a 3 KB page under the same uvicorn
(uvloop + httptools when installed) with the same workers — so every figure has a ratio beside it that
the machine's load cannot flatter.

    python scripts/bench_http.py --store sqlite:////tmp/x.db --codes codes.txt --seconds 5   # alone
    python scripts/bench_http.py --store sqlite:////tmp/x.db --codes codes.txt --fresh receipts.txt  # first scans
                                                                              # of receipts, each asked once
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
from pathlib import Path
import shutil
import subprocess
import sys
import tempfile
import time

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from scripts.loadgen import wait_until_serving  # noqa: E402

PAGE = "<!doctype html><html><head><meta charset=utf-8><title>hello</title></head><body><main>" + \
       "<p>" + "farm to table " * 15 + "</p>" + ("<p>" + "x" * 180 + "</p>") * 14 + "</main></body></html>"

# wrk: one random code per request from the codes file (or each in turn, BENCH_ORDER=each-once); at the end,
# the figures as one JSON line
LUA = r"""
local codes, path = {}, os.getenv("BENCH_PATH")
for line in io.lines(os.getenv("BENCH_CODES")) do codes[#codes + 1] = line end
local headers = {}
local auth = os.getenv("BENCH_AUTH")
if auth and #auth > 0 then headers["Authorization"] = auth end
math.randomseed(tonumber(os.getenv("BENCH_SEED") or "7"))
local in_order, next_code = os.getenv("BENCH_ORDER") == "each-once", 0
request = function()
  local code
  if in_order then  -- each code once, in the file's order (a receipt scanned once, as shoppers do)
    next_code = next_code % #codes + 1
    code = codes[next_code]
  else
    code = codes[math.random(#codes)]
  end
  return wrk.format("GET", (path:gsub("{}", function() return code end)), headers)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('\nBENCH_JSON {"requests": %d, "seconds": %.3f, "p50_ms": %.3f, "p99_ms": %.3f, ' ..
    '"max_ms": %.3f, "errors": %d, "non_2xx": %d}\n', summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.connect + e.read + e.write + e.timeout, e.status))
end
"""


def hello_app():
    """The ceiling: the same framework's smallest page of about the consumer page's size."""
    from starlette.applications import Starlette
    from starlette.responses import HTMLResponse
    from starlette.routing import Route

    async def page(request):
        return HTMLResponse(PAGE)

    return Starlette(routes=[Route("/l/{code:path}", page)])


def ensure_wrk() -> str:
    """The ``wrk`` binary; installed from Debian (apt-get, as root) when missing."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0:
        raise SystemExit("wrk is missing: install Debian's package (apt-get install wrk) or run as root")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], env=env, capture_output=True).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], env=env, check=True, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], env=env, check=True, capture_output=True)
    return shutil.which("wrk") or "/usr/bin/wrk"


def load() -> float:
    return os.getloadavg()[0]


def server_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) spent so far by process ``pid`` and its children (uvicorn's workers)."""
    stats = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # gone meanwhile
            stats[int(entry.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))  # ppid, utime + stime
    ours, grew = {pid}, True
    while grew:
        more = {p for p, (ppid, _) in stats.items() if ppid in ours} - ours
        ours |= more
        grew = bool(more)
    total = sum(stats[p][1] for p in ours if p in stats)
    return total / os.sysconf("SC_CLK_TCK")


def serve(target: str, port: int, workers: int, env: dict) -> subprocess.Popen:
    """A uvicorn server; its output to a file (a pipe nobody reads fills up and stops the server)."""
    cmd = [sys.executable, "-m", "uvicorn", "--factory", target, "--host", "127.0.0.1", "--port", str(port),
           "--workers", str(workers), "--log-level", "warning", "--no-access-log"]
    out = tempfile.NamedTemporaryFile("wb", prefix="bench-server-", suffix=".log", delete=False)
    return subprocess.Popen(cmd, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:  # uvicorn waits for open keep-alive connections; do not wait forever
        proc.kill()
        proc.wait(timeout=15)


def wrk(binary: str, port: int, path: str, codes_file: Path, seconds: float, connections: int,
        auth: str = "", seed: int = 7, server: int | None = None, each_once: bool = False) -> dict:
    """One wrk run; with ``server`` (its pid) also the server's CPU time per request (``cpu_us``), which a
    loaded machine inflates far less than it deflates req/s."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(LUA)
    env = {**os.environ, "BENCH_PATH": path, "BENCH_CODES": str(codes_file), "BENCH_AUTH": auth, "BENCH_SEED": str(seed),
           "BENCH_ORDER": "each-once" if each_once else "random"}
    before, cpu = load(), server_cpu_s(server) if server else 0.0
    out = subprocess.run([binary, "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency",
                          "-s", f.name, f"http://127.0.0.1:{port}"], env=env, capture_output=True, text=True)
    os.unlink(f.name)
    if out.returncode != 0 or "BENCH_JSON " not in out.stdout:
        raise RuntimeError(f"wrk failed ({out.returncode}): {out.stderr.strip() or out.stdout.strip()}")
    line = next(ln for ln in out.stdout.splitlines() if ln.startswith("BENCH_JSON "))
    r = json.loads(line[len("BENCH_JSON "):])
    r["rps"] = r["requests"] / max(r["seconds"], 1e-9)
    r["load_before"], r["load_after"] = before, load()
    if server:
        r["cpu_us"] = (server_cpu_s(server) - cpu) / max(r["requests"], 1) * 1e6
    return r


def wait_until_ready(port: int, workers: int, timeout: float = 180.0) -> bool:
    """Poll ``/readyz`` until ``workers`` answers in a row say ready (the lineage loaded, as a load balancer
    would wait for before sending consumers), then a second for the worker's first full collection
    (api/gc_policy.py) to pass; False after ``timeout``."""
    deadline, in_a_row = time.time() + timeout, 0
    while time.time() < deadline:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request("GET", "/readyz")
            ok = c.getresponse().status == 200
            c.close()
        except OSError:
            ok = False
        in_a_row = in_a_row + 1 if ok else 0
        if in_a_row >= 4 * max(workers, 1):  # connections spread over the workers: each must have said so
            time.sleep(1.0)
            return True
        time.sleep(0.1 if ok else 0.3)
    return False


def http_bench(db_url: str, codes: list[str], seconds: float, port: int, workers: int, key: str,
               connections: int = 16, fresh: list[str] | None = None, filed: list[str] | None = None) -> dict:
    """The ceiling, then foodtrace's consumer page, public JSON and trace API; each a wrk run. The first
    run scans ``fresh`` receipts (none of ``codes``), each once in turn: every request a receipt no worker
    has seen, as shoppers scan (a receipt is scanned once); ``consumer_page_new["repeated"]`` counts the
    requests past the end of the list, which wrapped round (0 when the list was long enough). With ``filed``
    (receipts whose views the caller kept in the store's file, none of the others), the next run scans them
    the same way (``consumer_page_filed``). The trace API is measured twice: ``trace_api_first`` as it comes
    (most requests build the trace in their worker), ``trace_api`` after a warm-up of its own (the traces kept)."""
    binary = ensure_wrk()
    codes_file = Path(tempfile.mkstemp(suffix=".txt")[1])
    codes_file.write_text("\n".join(codes) + "\n")
    asked = set(codes)  # once: in the comprehension's condition it was built again for every fresh code
    fresh = [c for c in (fresh or []) if c not in asked] or list(codes)
    fresh_file = Path(tempfile.mkstemp(suffix=".txt")[1])
    fresh_file.write_text("\n".join(fresh) + "\n")
    filed = [c for c in (filed or []) if c not in asked]
    filed_file = Path(tempfile.mkstemp(suffix=".txt")[1])
    filed_file.write_text("\n".join(filed) + "\n")
    base = {**os.environ, "PYTHONPATH": str(REPO)}
    results: dict = {"workers": workers, "connections": connections, "wrk": binary}
    try:
        ceiling = serve("scripts.bench_http:hello_app", port, workers, base)
        try:
            if not wait_until_serving(port, timeout=60):  # hello has no /openapi.json: a 404 answers too
                raise RuntimeError("the ceiling app did not start")
            results["ceiling"] = wrk(binary, port, "/l/{}", codes_file, seconds, connections, server=ceiling.pid)
        finally:
            stop(ceiling)
        time.sleep(0.5)
        # measure the server, not the consumer routes' per-address rate limit (all requests from loopback)
        env = {**base, "FOODTRACE_STORE": db_url, "FOODTRACE_PUBLIC_RATE_PER_MINUTE": "1000000000",
               "FOODTRACE_PUBLIC_BURST": "1000000000"}
        app = serve("foodtrace.api.serving:app_from_env", port, workers, env)
        try:
            if not wait_until_serving(port, timeout=120) or not wait_until_ready(port, workers):
                raise RuntimeError("the foodtrace server did not start or never said it was ready")
            # first scans: each request a receipt never scanned before (each view is built)
            first = results["consumer_page_new"] = wrk(binary, port, "/l/{}", fresh_file, seconds, connections,
                                                       server=app.pid, each_once=True)
            first["distinct"], first["repeated"] = len(fresh), max(0, first["requests"] - len(fresh))
            if filed:  # first scans again, each view kept in the file (foodtrace db views)
                kept = results["consumer_page_filed"] = wrk(binary, port, "/l/{}", filed_file, seconds, connections,
                                                            server=app.pid, each_once=True)
                kept["distinct"], kept["repeated"] = len(filed), max(0, kept["requests"] - len(filed))

            def warm_up(path: str, auth: str = "") -> dict:
                """wrk runs over the same codes until each worker must have kept each code's answer (requests
                spread over the workers at random: ten a code a worker leaves ~0.005% unkept), at most 12 runs."""
                warm = {"runs": 0, "requests": 0}
                while warm["requests"] < 10 * len(codes) * workers and warm["runs"] < 12:
                    w = wrk(binary, port, path, codes_file, seconds, connections, auth, seed=100 + warm["runs"])
                    warm["runs"], warm["requests"] = warm["runs"] + 1, warm["requests"] + w["requests"]
                    warm["last_rps"] = w["rps"]
                return warm

            results["warm_up"] = warm_up("/l/{}")
            # the measured runs: the same 1,000 random receipts, their views kept
            runs = (("consumer_page", "/l/{}", codes_file, ""),
                    ("public_json", "/api/v1/public/lots/{}", codes_file, ""))
            for name, path, file, auth in runs:
                results[name] = wrk(binary, port, path, file, seconds, connections, auth, server=app.pid)
            # the trace API: first its first run, in which most requests build a trace the worker has not kept
            # (from the lots' pieces it keeps, or from the file's events for those it does not: a view read
            # from the file built none), then, after its own warm-up, the traces kept
            trace, auth = "/api/v1/lots/{}/backward", f"Bearer {key}"
            results["trace_api_first"] = wrk(binary, port, trace, codes_file, seconds, connections, auth,
                                             server=app.pid)
            results["trace_warm_up"] = warm_up(trace, auth)
            results["trace_api"] = wrk(binary, port, trace, codes_file, seconds, connections, auth, server=app.pid)
            for name in ("consumer_page_new", *(("consumer_page_filed",) if filed else ()), *(n for n, *_ in runs),
                         "trace_api_first", "trace_api"):
                results[name]["of_ceiling"] = results[name]["rps"] / max(results["ceiling"]["rps"], 1e-9)
                if results[name].get("cpu_us"):  # the ceiling's server CPU per request over this one's
                    results[name]["cpu_of_ceiling"] = results["ceiling"]["cpu_us"] / results[name]["cpu_us"]
        finally:
            stop(app)
    finally:
        codes_file.unlink(missing_ok=True)
        fresh_file.unlink(missing_ok=True)
        filed_file.unlink(missing_ok=True)
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", required=True)
    ap.add_argument("--codes", required=True, help="a file of lot codes, one a line")
    ap.add_argument("--seconds", type=float, default=5)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--port", type=int, default=8099)
    ap.add_argument("--fresh", help="a file of receipt codes for the first scans, each asked once (default: --codes)")
    args = ap.parse_args()
    from foodtrace.graph import open_store
    from foodtrace.services.admin.keys import issue_key

    with open_store(args.store) as store:
        key = issue_key(store, "BENCH", "admin", label="scripts/bench_http.py").key
    def read(path: str) -> list[str]:
        return [c.strip() for c in Path(path).read_text().splitlines() if c.strip()]

    fresh = read(args.fresh) if args.fresh else None
    print(json.dumps(http_bench(args.store, read(args.codes), args.seconds, args.port, args.workers, key,
                                fresh=fresh), indent=2))


if __name__ == "__main__":
    main()
