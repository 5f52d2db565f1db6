"""``foodtrace ingest FILE``: the format is chosen by the file's extension —
``.jsonl`` JSON lines, ``.csv`` the CSV layouts, ``.jsonld`` an EPCIS 2.0
document, ``.json`` an EPCIS document when it is one (a JSON object with an
``epcisBody`` or an EPCIS type), JSON lines otherwise."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from foodtrace.errors import InvalidInput, detail
from foodtrace.ingest.capture import Append
from foodtrace.graph.store import AppendResult, GraphStore
from foodtrace.ingest.csv_import import import_csv
from foodtrace.ingest.epcis import EVENT_TYPES, import_document
from foodtrace.ingest.jsonl import ingest_jsonl

EPCIS_DOCUMENTS = {"EPCISDocument", "EPCISQueryDocument"} | EVENT_TYPES


@dataclass
class IngestReport:
    kind: str  # jsonl | csv | epcis
    result: AppendResult
    not_traced: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    refused: list[dict] = field(default_factory=list)  # EPCIS with ``partial``: events not stored


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}", [detail(None, "file", str(exc))]) from exc


def _looks_like_epcis(data: bytes) -> bool:
    head = data[:4096].decode("utf-8", "ignore")
    return '"epcisBody"' in head or any(f'"{t}"' in head for t in EPCIS_DOCUMENTS) or \
        ('"@context"' in head and "epcis" in head.lower())


def ingest_file(store: GraphStore, path: Path, *, append: Append, captured_by: str, batch_size: int = 0,
                progress: Callable[[int], None] | None = None, partial: bool = False) -> IngestReport:
    """Ingest a file of events by its kind, every batch through ``append`` (the write door);
    ``partial``: an EPCIS document's valid events are stored, the others reported."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return IngestReport("csv", import_csv(_read(path), append=append, captured_by=captured_by))
    if suffix == ".jsonld" or (suffix == ".json" and _looks_like_epcis(_read(path))):
        res = import_document(store, _read(path), path.name, append=append, captured_by=captured_by, partial=partial)
        return IngestReport("epcis", res.result, res.not_traced, res.warnings, res.refused)
    return IngestReport("jsonl", ingest_jsonl(path, append=append, captured_by=captured_by, batch_size=batch_size,
                                              progress=progress))
