"""The server's background filler of kept consumer views (``api/view_filler.py``): ``foodtrace serve`` on an
SQLite file starts one low-priority child that keeps the receipt's view and page in the file without anyone
scanning, fills again after an append dropped it (the new page says what the append said), and stops with the
server — stopped, or killed outright. Off for ``FOODTRACE_VIEW_FILL_EVERY_S=0`` and for stores without a file."""

from __future__ import annotations

import os
from pathlib import Path
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from foodtrace.api import view_filler
from foodtrace.api.filed_page import unpacked
from foodtrace.config import Settings
from foodtrace.graph import open_store
from foodtrace.ingest.capture import capture
from foodtrace.services.safety.recall import start_recall
from foodtrace.services.tracing.consumer import persisted
from scripts.loadgen import wait_until_serving
from tests.browser_support import free_port
from tests.builders import pork_chain

WAIT = 60  # seconds: the filler is at the lowest priority on a busy machine


def _serve(url: str, port: int, every: str) -> subprocess.Popen:
    env = {**os.environ, "FOODTRACE_STORE": url, "FOODTRACE_VIEW_FILL_EVERY_S": every}
    p = subprocess.Popen([sys.executable, "-m", "foodtrace", "serve", "--port", str(port)], env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if not wait_until_serving(port):
        p.kill()
        raise RuntimeError("server did not start")
    return p


def _fillers(server_pid: int) -> list[int]:
    """The processes running the filler of this server (``db views --every … --parent <pid>``)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"views" in argv and b"--parent" in argv and argv[argv.index(b"--parent") + 1] == str(server_pid).encode():
            found.append(int(entry.name))
    return found


def _until(what, timeout: float = WAIT):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        got = what()
        if got:
            return got
        time.sleep(0.2)
    return what()


def _kept_page(db: Path) -> bytes | None:
    with sqlite3.connect(db) as con:
        try:
            row = con.execute("SELECT body FROM kept_views WHERE key LIKE 'RCPT%'").fetchone()
        except sqlite3.OperationalError:
            return None
    if row is None:
        return None
    view = persisted().decode(row[0])
    if view.page is None:
        return None
    settings = Settings()  # the server's: the same environment
    return unpacked(view.page, settings.lang, settings.tz)[1]


@pytest.fixture
def store_file(tmp_path) -> Path:
    db = tmp_path / "filler.db"
    with open_store(f"sqlite:///{db}") as s:
        capture(s, pork_chain())
    return db


def test_the_server_keeps_the_receipts_page_in_the_file_and_again_after_a_recall(store_file):
    url = f"sqlite:///{store_file}"
    server = _serve(url, free_port(), "1")
    try:
        assert _until(lambda: _fillers(server.pid)), "no filler started"
        page = _until(lambda: _kept_page(store_file))
        assert page is not None and b"RCPT" in page and b"clenbuterol found" not in page  # nobody scanned it
        with open_store(url) as s:  # another process appends: the row goes in its transaction
            start_recall(s, ["PIG"], "clenbuterol found")
        again = _until(lambda: (p := _kept_page(store_file)) is not None and b"clenbuterol found" in p and p)
        assert again and b'class="verdict v-recalled' in again  # filled again, as of the recall
        filler = _fillers(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    assert _until(lambda: not any(Path(f"/proc/{pid}").exists() for pid in filler), 15)


def test_the_filler_stops_when_the_server_is_killed(store_file):
    server = _serve(f"sqlite:///{store_file}", free_port(), "1")
    filler = _until(lambda: _fillers(server.pid))
    assert filler
    os.kill(server.pid, signal.SIGKILL)
    server.wait()
    assert _until(lambda: not any(Path(f"/proc/{pid}").exists() and b"zombie" not in _state(pid) for pid in filler),
                  15), "the filler outlived its server"


def _state(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/status").read_bytes().lower()
    except OSError:
        return b"zombie"


@pytest.mark.parametrize("store, every", [("sqlite:///x.db", 0), ("memory://", 300), ("bolt://127.0.0.1:1", 300)])
def test_no_filler_when_off_or_without_a_file(store, every):
    assert view_filler.start(Settings(store=store, view_fill_every_s=every), {}) is None


@pytest.mark.parametrize("lang, said", [("zh", "后台保存消费者查询页的低优先级进程已启动"),
                                        ("en", "a low-priority process keeping consumer views in the background started")])
def test_the_filler_says_it_started_in_the_servers_language_and_stops(tmp_path, caplog, lang, said):
    settings = Settings(store=f"sqlite:///{tmp_path / 'x.db'}", view_fill_every_s=300, lang=lang)
    with caplog.at_level("INFO", logger="foodtrace.api"):
        child = view_filler.start(settings, {})
    try:
        assert child is not None and child.poll() is None
        assert any(said in r.getMessage() and str(child.pid) in r.getMessage() for r in caplog.records)
    finally:
        view_filler.stop(child)
    assert child.poll() is not None
