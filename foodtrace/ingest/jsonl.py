"""JSON-lines event files: one event object per line (blank lines and lines
starting with ``#`` are skipped). Positions in errors are line numbers."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timezone
import gc
import json
from pathlib import Path
from typing import Callable, Iterator

from foodtrace.errors import FoodtraceError, InvalidInput
from foodtrace.graph.store import AppendResult
from foodtrace.i18n.keyed import keyed, noted
from foodtrace.i18n.refusals import refusal
from foodtrace.ingest import jsonl_worker
from foodtrace.ingest.capture import Append, MAX_ERRORS, prepare
from foodtrace.ingest.safe_json import MalformedJson
from foodtrace.ingest.safe_json import loads, max_depth_setting


def read_lines(path: Path) -> Iterator[tuple[int, object]]:
    """``(line number, parsed JSON)`` for each event line; ``InvalidInput`` on
    unreadable files or malformed JSON (naming the line)."""
    try:
        fh = open(path, encoding="utf-8")
    except OSError as exc:
        raise cannot_read(path, exc) from exc
    with fh:
        errors = []
        limit = max_depth_setting()  # once per file, not per line
        try:
            for no, line in enumerate(fh, start=1):
                s = line.strip()
                if not s or s.startswith("#"):
                    continue
                try:
                    yield no, loads(s, max_depth=limit, source=f"line {no}", positioned=False)
                except MalformedJson as exc:
                    cause = exc.__cause__
                    if isinstance(cause, json.JSONDecodeError):
                        errors.append(refusal(no, None, "jsonl_malformed_at", reason=cause.msg, column=cause.colno))
                    else:
                        errors.append(refusal(no, None, "jsonl_malformed", reason=getattr(cause, "msg", exc.message)))
                except InvalidInput as exc:  # non-finite numbers, deep nesting: name the line and the field
                    errors.extend({**d, "position": no} for d in exc.details)
                    if len(errors) >= MAX_ERRORS:
                        break
        except UnicodeDecodeError as exc:
            errors.append(refusal(None, "file", "jsonl_not_utf8", reason=exc.reason, utf8="UTF-8"))
        if errors:
            raise keyed(InvalidInput, "jsonl_malformed_lines", errors, path=str(path), n=len(errors))


def cannot_read(path: Path, exc: OSError) -> InvalidInput:
    """A file that cannot be read (missing, a folder, not allowed): the system's reason."""
    return keyed(InvalidInput, "file_unreadable", [refusal(None, "file", "file_os_error", reason=str(exc))],
                 path=str(path), reason=exc.strerror)


def ingest_jsonl(path: Path, *, append: Append, captured_by: str, batch_size: int = 0,
                 progress: Callable[[int], None] | None = None, parallel: bool | None = None) -> AppendResult:
    """Ingest a JSON-lines file through ``append`` (the write door), stamped ``captured_by``.

    With ``batch_size`` 0 (the default) the whole file is one all-or-nothing
    batch: every line is validated first and nothing is stored if any is bad.
    With ``batch_size`` N, lines are committed N at a time (a bad line stops
    the import; batches before it stay; re-running is safe since capture is
    idempotent). ``parallel``: read, validate and encode in a worker process while this one checks and
    writes (``jsonl_worker``; the same batches and errors); by default when the file is large enough.
    """
    stored, dups, holders = [], [], []
    last_seq = 0

    def append_numbered(numbers: list[int], events: list) -> None:
        nonlocal last_seq
        try:
            res = append(events)
        except FoodtraceError as exc:  # positions in the batch -> line numbers
            for d in exc.details:
                if isinstance(d.get("position"), int) and 0 <= d["position"] < len(numbers):
                    d["position"] = numbers[d["position"]]
            noted(exc, "note_line_numbers")
            raise
        stored.extend(res.stored)
        dups.extend(res.duplicates)
        holders.extend(res.placeholders)
        last_seq = res.last_seq
        if progress:
            progress(len(numbers))

    def flush(chunk: list[tuple[int, object]]) -> None:
        append_numbered([no for no, _ in chunk], _prepare_numbered(chunk, captured_by))

    if parallel if parallel is not None else jsonl_worker.wanted(path, batch_size):
        with young_gc_only():  # the same batches as below, read and encoded on the other core
            jsonl_worker.run(path, captured_by, batch_size, append_numbered, between=lambda: gc.collect(1))
        return AppendResult(stored=stored, duplicates=dups, placeholders=holders, last_seq=last_seq)
    with young_gc_only():
        for chunk in read_batches(path, batch_size):
            flush(chunk)
            del chunk  # gone before read_batches collects the young generations: nothing of it to walk
    return AppendResult(stored=stored, duplicates=dups, placeholders=holders, last_seq=last_seq)


def read_batches(path: Path, batch_size: int) -> Iterator[list[tuple[int, object]]]:
    """The file's (line number, parsed line) pairs in batches of ``batch_size`` (0: one batch); the young
    generations of the garbage collector are collected once the caller has handled each full batch."""
    chunk: list[tuple[int, object]] = []
    for no, raw in read_lines(path):
        chunk.append((no, raw))
        if batch_size and len(chunk) >= batch_size:
            yield chunk
            chunk = []
            gc.collect(1)
    if chunk:
        yield chunk


@contextmanager
def young_gc_only() -> Iterator[None]:
    """Within: no automatic collections of the cyclic garbage collector (the caller collects the young
    generations between batches). A bulk ingest allocates millions of objects that are not garbage —
    events, rows, the lineage graph's dicts — and each automatic full collection walks all of them again:
    at 200k events that was about 40% of the time. Acyclic garbage is freed as always, by reference counts."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _prepare_numbered(chunk: list[tuple[int, object]], captured_by: str) -> list:
    """Validate events (one pass over the chunk), reporting line numbers as positions."""
    try:
        return prepare([raw for _, raw in chunk], record_time=datetime.now(timezone.utc), captured_by=captured_by)
    except InvalidInput as exc:
        errors = exc.details
        for d in errors:
            if isinstance(d.get("position"), int) and 0 <= d["position"] < len(chunk):
                d["position"] = chunk[d["position"]][0]
    raise keyed(InvalidInput, "jsonl_batch_errors", errors[:MAX_ERRORS], n=len(errors))
