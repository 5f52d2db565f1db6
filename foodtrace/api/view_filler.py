"""The server's background filler of kept consumer views: ``foodtrace serve`` (one process or several workers)
starts one child process, at the system's lowest priority, that keeps the view and page of every retail
receipt in the store's SQLite file and does it again every ``FOODTRACE_VIEW_FILL_EVERY_S`` seconds — for the
receipts sold since and the views appends dropped — so that nearly every first scan is answered from the file
without an operator running ``foodtrace db views``. It is that very command (``--every``, ``--parent``: it
stops when the server is gone), with the server's settings (store, rules, language, time zone). Only for an
SQLite file (Neo4j keeps no views in a file; an in-memory store is the server's own); 0 turns it off."""

from __future__ import annotations

import logging
import os
import subprocess
import sys

from foodtrace.config import Settings
from foodtrace.i18n import t

log = logging.getLogger("foodtrace.api")
NICE = 19  # the lowest priority: the server's requests come first on every core


def _lowest_priority() -> None:  # in the child, before it runs
    os.nice(NICE)


def start(settings: Settings, env: dict[str, str]) -> subprocess.Popen | None:
    """The filler started for ``settings`` (``env``: its ``FOODTRACE_*`` settings as variables), or None when
    it is off or the store keeps no views in a file."""
    every = settings.view_fill_every_s
    if every <= 0 or not settings.store.startswith("sqlite:///"):
        return None
    command = [sys.executable, "-m", "foodtrace", "db", "views", "--every", str(every), "--parent", str(os.getpid())]
    try:
        child = subprocess.Popen(command, env={**os.environ, **env}, stdin=subprocess.DEVNULL,
                                 stdout=subprocess.DEVNULL, preexec_fn=_lowest_priority)  # noqa: PLW1509
    except OSError as exc:  # the server serves without it: first scans build their views, as before
        log.warning(t("view_filler_failed", settings.lang).format(reason=exc))
        return None
    log.info(t("view_filler_started", settings.lang).format(pid=child.pid, every=every))
    return child


def stop(child: subprocess.Popen | None) -> None:
    """Stop the filler (what it wrote stays: each page of views is its own transaction)."""
    if child is None or child.poll() is not None:
        return
    child.terminate()
    try:
        child.wait(timeout=10)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()


__all__ = ["start", "stop"]
