"""A real browser for page tests: Debian's Chromium driven by Playwright
(no browser download), and the real app served by uvicorn on a free port.

In CI (``CI`` set) a missing Chromium is a failure, never a skip.
"""

from __future__ import annotations

from contextlib import contextmanager
import os
import shutil
import socket
import threading
import time
from typing import Iterator

from tests.guards import require_module, unavailable

CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


def chromium_path() -> str:
    path = os.environ.get("FOODTRACE_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        unavailable("no Chromium: scripts/test installs Debian's chromium (apt-get install chromium fonts-noto-cjk)")
    return path


@contextmanager
def launch_browser() -> Iterator[object]:
    """A headless Chromium browser (Playwright ``Browser``)."""
    sync_playwright = require_module("playwright.sync_api").sync_playwright
    path = chromium_path()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(app, port: int | None = None) -> Iterator[str]:
    """Serve an ASGI app on 127.0.0.1 in a thread (on ``port`` or a free one); yields its base URL."""
    import uvicorn

    port = port or free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not server.started:
        if time.time() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
