"""The statistics report's checkpoints: the figures a report computed are kept in the store
(``GraphStore.report_checkpoints``) with the log position they reflect, and the next report of the same
period, time zone and rules reads them back — a few kilobytes — while the log still says the same about
every event before the period's end.

A report's figures are a function of the live events whose time is before its end (the records as they
stood then: ``collect`` / ``replay``), of the period, the time zone, the rules and the code. So a checkpoint
is keyed by the period's first and last day, the zone, the rules (their content and the file the report
names) and a digest of the code's modules (``code_stamp``), and the store judges it on its time index
(embedded: ``graph/report_facts_checkpoints.py``; Neo4j: ``graph/neo4j_checkpoints.py``): valid exactly
while no event before the end was stored or retracted after it was made. An old event reported late, a retraction or a correction of an event before the end makes the
report fold again at once (and keep the new figures); events after the end leave it as it is. Nothing is
updated on append: the write side pays nothing.

The figures are kept as JSON (orjson; each section's ``model_dump``) and validated back into the report's
models — no pickle, so a store file from elsewhere cannot make a report run code; a blob that does not
validate counts as missing. ``tests/integration/test_report_checkpoints.py`` holds every path to the
whole-log fold.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
import hashlib
import logging
import os
from pathlib import Path
from typing import Any, Callable, TypeVar

import orjson

from foodtrace import __version__
from foodtrace.graph.store import GraphStore
from foodtrace.services.report.period import Period

_log = logging.getLogger("foodtrace.report")
KIND = "figures"
T = TypeVar("T")


def key(p: Period, rules_json: str) -> str:
    """The checkpoint kind of a report: its days, time zone and rules (their content and the file the report
    names), and the code that computes the figures (another version of it computes them afresh)."""
    text = f"{p.first}|{p.last}|{p.tz_name()}|{rules_json}|{code_stamp()}"
    return f"{KIND}:{hashlib.sha256(text.encode()).hexdigest()[:24]}"


STAMPED = (("services/report", "*.py"), ("services/safety/rules", "*.py"), ("graph", "report_facts*.py"),
           ("graph", "neo4j_report.py"), ("model", "*.py"), (".", "rules.toml"))


def stamped_files() -> list[Path]:
    """The files the figures come from: the report, the rules (code and shipped file), the report facts (the
    embedded store's and Neo4j's), the model."""
    root = Path(__file__).resolve().parents[2]
    return [f for folder, pattern in STAMPED for f in sorted((root / folder).glob(pattern))]


@lru_cache(maxsize=1)
def code_stamp() -> str:
    """A digest of ``stamped_files``: another version of any of them computes the figures afresh."""
    h = hashlib.sha256(__version__.encode())
    try:
        files = stamped_files()
        for f in files:
            h.update(f.name.encode())
            h.update(f.read_bytes())
        if not any(f.name == "rules.toml" for f in files):
            raise OSError("rules.toml")
    except OSError:  # the package's files cannot be read (a zip): checkpoints of this process only
        h.update(os.urandom(16))
    return h.hexdigest()[:16]


def kept_figures(store: GraphStore, p: Period, rules_json: str, compute: Callable[[], T],
                 encode: Callable[[T], Any], decode: Callable[[Any], T]) -> tuple[T, bool]:
    """The report's figures: read back from a valid checkpoint (``decode`` validates the kept JSON back into
    the report's models), else computed by ``compute()`` and kept (``encode``: to JSON-ready data). Returns
    them and whether they were read back."""
    return kept(store, key(p, rules_json), p.end, compute, lambda f: orjson.dumps(encode(f)),
                lambda blob: decode(orjson.loads(blob)))


def kept(store: GraphStore, kind: str, end: datetime, compute: Callable[[], T], encode: Callable[[T], bytes],
         decode: Callable[[bytes], T]) -> tuple[T, bool]:
    """What ``compute()`` gives from the events before ``end``, read back from the store's checkpoint of
    ``kind`` while no such event was stored or retracted since it was kept (``decode``: the kept bytes back,
    validated), else computed and kept (``encode``: to bytes); and whether it was read back. A store without
    checkpoints (``report_checkpoints()`` None) computes each time. Used by the report's figures and the district check."""
    shelf = store.report_checkpoints()
    if shelf is None:
        return compute(), False
    hwm = shelf.mark()  # before reading: what is appended meanwhile makes the new checkpoint stale at once
    blob = shelf.get(kind, None, end)
    if blob is not None:
        try:
            return decode(blob), True
        except (ValueError, KeyError, TypeError, AttributeError) as exc:  # ValidationError, JSONDecodeError
            _log.warning("checkpoint %s not read (%s): computing again", kind.split(":")[0], exc)
    value = compute()
    try:
        shelf.put(kind, None, end, hwm, encode(value))
    except Exception as exc:  # e.g. a read-only file: the answer itself is complete
        _log.warning("checkpoint %s not kept (%s)", kind.split(":")[0], exc)
    return value, False


def clear(store: GraphStore) -> int:
    """Drop every checkpoint (the next reports fold and keep them again)."""
    shelf = store.report_checkpoints()
    return 0 if shelf is None else shelf.clear()


__all__ = ["kept_figures", "kept", "key", "clear", "KIND"]
