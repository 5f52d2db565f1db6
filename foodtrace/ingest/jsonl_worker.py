"""A JSON-lines ingest on two cores: a worker process reads the file, decodes and validates each line,
stamps the events, encodes them (digests and stored bodies) and reads every body back through the model —
about half of each event's CPU, none of it touching the store — while this process checks the batch before
(permissions, authority, custody: the write door) and writes it.

The result is the one-process ingest's, batch for batch: the worker runs the same code on the same lines
(``jsonl.read_lines``, ``jsonl._prepare_numbered``, ``capture.read_back``), in order, and this process hands
each batch to the same ``append`` (the write door), so each batch is still all or nothing, a bad line still
stops the ingest at its batch (the batches before it stay), a malformed line is still reported when the
file has been read, and the door's read-back is done once per event (in the worker; a batch whose read-back
found a problem goes to the door unmarked, which finds it again and refuses the batch with the door's other
refusals). The worker is at most one batch ahead (a pipe of bounded size between them); it is stopped when
this process stops, for whatever reason.
"""

from __future__ import annotations

import gc
from multiprocessing.connection import Connection
import os
from pathlib import Path
import subprocess
import sys
import time
from typing import Callable

from foodtrace.errors import FoodtraceError
from foodtrace.ingest import jsonl_wire

# A file smaller than this is ingested in one process: starting the worker (a fresh interpreter importing
# the model, about a second of the other core) pays off from a few batches of 10,000 lines on.
MIN_BYTES = 8 << 20
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])  # the directory holding this ``foodtrace`` package


def wanted(path: Path, batch_size: int) -> bool:
    """Whether to ingest ``path`` with a worker: batches (not one all-or-nothing batch), a file of
    ``MIN_BYTES`` or more and a second core that is idle (``_free_cores``) — unless
    ``FOODTRACE_INGEST_WORKER`` (read when called) says ``0`` (never) or ``1`` (whenever in batches)."""
    switch = os.environ.get("FOODTRACE_INGEST_WORKER", "").strip()
    if not batch_size or switch == "0":
        return False
    if switch == "1":
        return True
    try:
        if Path(path).stat().st_size < MIN_BYTES:
            return False  # asked first: sampling the cores takes half a second
    except OSError:
        return False  # the one-process path reports the unreadable file
    return _free_cores() >= 0.5  # at least half a core beyond this process's is idle


def _free_cores(sample_s: float = 0.5) -> float:
    """Cores beyond this process's that no one else is using now: measured over ``sample_s`` seconds from
    the kernel's CPU counters (``/proc/stat``; this process sleeps meanwhile, so its core counts as idle
    and is taken off), or by the 1-minute load average where they cannot be read. The worker adds about a
    quarter to the ingest's CPU (each batch is pickled and unpickled once, the two processes slow each other:
    24.7 against 19.3 CPU s for 200,000 events, load 2–4): on a machine whose cores are all
    busy it makes the ingest slower, not faster (measured: docs/performance.md). The load average alone
    lags a minute behind: after a busy minute it kept the worker off on idle cores."""
    cores = os.cpu_count() or 1
    before = _cpu_times()
    if before is not None:
        time.sleep(sample_s)
        after = _cpu_times()
        if after is not None:
            idle = idle_share(before, after)
            if idle is not None:
                return cores * idle - 1
    try:
        busy = os.getloadavg()[0]
    except OSError:
        busy = 0.0
    return cores - 1 - busy


def _cpu_times(path: str = "/proc/stat") -> tuple[int, int] | None:
    """(idle, total) clock ticks of all cores since boot, or None where the kernel does not say."""
    try:
        with open(path, encoding="ascii") as f:
            fields = f.readline().split()
    except OSError:
        return None
    if len(fields) < 5 or fields[0] != "cpu":
        return None
    try:
        ticks = [int(x) for x in fields[1:]]
    except ValueError:
        return None
    return ticks[3] + (ticks[4] if len(ticks) > 4 else 0), sum(ticks[:8])  # idle + iowait; guests are in user


def idle_share(before: tuple[int, int], after: tuple[int, int]) -> float | None:
    """The share of all cores' time that was idle between two ``_cpu_times`` samples (None: no tick passed)."""
    total = after[1] - before[1]
    if total <= 0:
        return None
    return min(1.0, max(0.0, (after[0] - before[0]) / total))


def run(path: Path, captured_by: str, batch_size: int, flush: Callable[[list[int], list], None],
        between: Callable[[], object] | None = None) -> None:
    """Read, validate and encode ``path`` in a worker process; ``flush(line numbers, encoded batch)`` each
    batch of ``batch_size`` lines (0: the whole file) here, in file order, then ``between()`` once this
    function holds the batch no more (a collection of the garbage collector's young generations then
    walks what outlives the batch, not the whole batch). Raises what the one-process ingest would raise,
    where it would.

    The worker is a fresh interpreter running this module's ``serve`` (not ``multiprocessing``'s spawn,
    which would import the caller's main script again), importing this very copy of the package; batches
    come back pickled over a pipe (``jsonl_wire``), with their stored rows made (``graph.batch_rows``)."""
    readable, writable = os.pipe()
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (_PACKAGE_ROOT, env.get("PYTHONPATH", "")) if p)
    try:
        worker = subprocess.Popen(
            [sys.executable, "-P", "-c", "from foodtrace.ingest.jsonl_worker import serve; serve()", str(writable),
             str(path), captured_by, str(batch_size)], pass_fds=(writable,), env=env, stdin=subprocess.DEVNULL)
    finally:
        os.close(writable)
    receiving = Connection(readable, writable=False)
    try:
        while True:
            try:
                kind, numbers, payload = jsonl_wire.loads(receiving.recv_bytes())
            except EOFError:
                raise RuntimeError(f"the ingest worker stopped unexpectedly (exit code {worker.poll()})") from None
            if kind == "end":
                return
            if kind == "error":
                raise payload
            if kind == "crash":
                raise RuntimeError(f"the ingest worker failed:\n{payload}")
            flush(numbers, payload)
            del payload
            if between is not None:
                between()
    finally:
        receiving.close()
        if worker.poll() is None:
            worker.terminate()
        worker.wait()


def serve() -> None:
    """The worker's entry point: ``serve FD PATH CAPTURED_BY BATCH_SIZE`` (see ``run``)."""
    fd, path, captured_by, batch_size = sys.argv[1:5]
    _work(Connection(int(fd), readable=False), path, captured_by, int(batch_size))


def _work(conn, path: str, captured_by: str, batch_size: int) -> None:
    """The worker: each batch of lines as ("batch", line numbers, encoded and read-back batch with its rows),
    then ("end"); an error of the input as ("error", the error), after the batches before it."""
    from foodtrace.graph.batch import EncodedBatch
    from foodtrace.graph.batch_rows import make_rows
    from foodtrace.ingest.capture import read_back
    from foodtrace.ingest.jsonl import _prepare_numbered, read_batches

    def send(chunk: list) -> None:
        events = EncodedBatch.of(_prepare_numbered(chunk, captured_by))
        read_back(events)  # marks the batch when every body reads back; else the door finds the problems again
        make_rows(events)  # the rows to store but for their numbers: less for the main process to do
        conn.send_bytes(jsonl_wire.dumps(("batch", [no for no, _ in chunk], events)))

    try:
        gc.disable()  # as the one-process ingest: the young generations are collected between batches
        for chunk in read_batches(Path(path), batch_size):
            send(chunk)
            del chunk  # gone before read_batches collects the young generations: nothing of it to walk
        conn.send_bytes(jsonl_wire.dumps(("end", None, None)))
    except FoodtraceError as exc:
        _try_send(conn, ("error", None, exc))
    except (BrokenPipeError, EOFError, KeyboardInterrupt):
        return  # the main process stopped (or was interrupted): nothing to tell it
    except BaseException:  # noqa: BLE001 - a bug: its traceback, for the main process to raise
        import traceback

        _try_send(conn, ("crash", None, traceback.format_exc()))
    finally:
        conn.close()


def _try_send(conn, message: tuple) -> None:
    try:
        conn.send_bytes(jsonl_wire.dumps(message))
    except (BrokenPipeError, EOFError, OSError):
        pass
    except Exception as exc:  # noqa: BLE001 - an error that does not pickle: its text
        _try_send(conn, ("crash", None, f"{message[2]!s} ({exc})"))
