"""The statistics report's checkpoints: the figures a report computed are kept in the store
(``GraphStore.report_checkpoints``) with the log position they reflect, and the next report of the same
period, time zone and rules reads them back — a few kilobytes — while the log still says the same about
every event before the period's end.

A report's figures are a function of the live events whose time is before its end (the records as they
stood then: ``collect`` / ``replay``), of the period, the time zone, the rules and the code. So a checkpoint
is keyed by the period's first and last day, the zone, the rules (their content and the file the report
names) and a digest of the code's modules (``code_stamp``), and ``graph/report_facts_checkpoints.py`` judges
it on the time index: valid exactly while no event before the end was stored or retracted after it
was made. An old event reported late, a retraction or a correction of an event before the end makes the
report fold again at once (and keep the new figures); events after the end leave it as it is. Nothing is
updated on append: the write side pays nothing.

The figures are kept as JSON (orjson; each section's ``model_dump``) and validated back into the report's
models — no pickle, so a store file from elsewhere cannot make a report run code; a blob that does not
validate counts as missing. ``tests/integration/test_report_checkpoints.py`` holds every path to the
whole-log fold.
"""

from __future__ import annotations

from functools import lru_cache
import hashlib
import logging
import os
from pathlib import Path
from typing import Any, Callable, TypeVar

import orjson
from pydantic import ValidationError

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


@lru_cache(maxsize=1)
def code_stamp() -> str:
    """A digest of the modules the figures come from: the report, the rules, the report facts, the model."""
    root = Path(__file__).resolve().parents[2]
    h = hashlib.sha256(__version__.encode())
    try:
        for folder, pattern in (("services/report", "*.py"), ("services/safety/rules", "*.py"),
                                ("graph", "report_facts*.py"), ("model", "*.py")):
            for f in sorted((root / folder).glob(pattern)):
                h.update(f.name.encode())
                h.update(f.read_bytes())
        h.update((root / "rules.toml").read_bytes())
    except OSError:  # the package's files cannot be read (a zip): checkpoints of this process only
        h.update(os.urandom(16))
    return h.hexdigest()[:16]


def kept_figures(store: GraphStore, p: Period, rules_json: str, compute: Callable[[], T],
                 encode: Callable[[T], Any], decode: Callable[[Any], T]) -> tuple[T, bool]:
    """The report's figures: read back from a valid checkpoint (``decode`` validates the kept JSON back into
    the report's models), else computed by ``compute()`` and kept (``encode``: to JSON-ready data). Returns
    them and whether they were read back."""
    shelf = store.report_checkpoints()
    if shelf is None:
        return compute(), False
    kind = key(p, rules_json)
    hwm = shelf.mark()  # before reading: what is appended meanwhile makes the new checkpoint stale at once
    blob = shelf.get(kind, None, p.end)
    if blob is not None:
        try:
            return decode(orjson.loads(blob)), True
        except (orjson.JSONDecodeError, ValidationError, KeyError, TypeError, AttributeError) as exc:
            _log.warning("report checkpoint not read (%s): folding again", exc)
    figures = compute()
    try:
        shelf.put(kind, None, p.end, hwm, orjson.dumps(encode(figures)))
    except Exception as exc:  # e.g. a read-only file: the report itself is complete
        _log.warning("report checkpoint not kept (%s)", exc)
    return figures, False


def clear(store: GraphStore) -> int:
    """Drop every checkpoint (the next reports fold and keep them again)."""
    shelf = store.report_checkpoints()
    return 0 if shelf is None else shelf.clear()


__all__ = ["kept_figures", "key", "clear", "KIND"]
