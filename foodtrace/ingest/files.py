"""``foodtrace ingest FILE``: the format is chosen by the file's extension —
``.jsonl`` JSON lines, ``.csv`` / ``.xlsx`` ledgers or the CSV layouts (``ledgers``), ``.jsonld``
an EPCIS 2.0 document, ``.json`` an EPCIS document when it is one (a JSON object with an
``epcisBody`` or an EPCIS type), JSON lines otherwise."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path
from typing import Callable

from foodtrace.errors import FoodtraceError
from foodtrace.ingest.capture import Append
from foodtrace.graph.store import AppendResult, GraphStore
from foodtrace.ingest.capture import prepare
from foodtrace.i18n.refusals import localize
from foodtrace.ingest.ledger_words import say
from foodtrace.ingest.ledgers import LedgerBatch, read_tables
from foodtrace.ingest.tables import read_csv_table, read_xlsx_tables
from foodtrace.ingest.epcis import EVENT_TYPES, import_document
from foodtrace.ingest.jsonl import cannot_read, ingest_jsonl

EPCIS_DOCUMENTS = {"EPCISDocument", "EPCISQueryDocument"} | EVENT_TYPES


@dataclass
class IngestReport:
    kind: str  # jsonl | ledger | epcis
    result: AppendResult
    not_traced: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    ledgers: dict[str, int] = field(default_factory=dict)  # rows read per ledger (spreadsheets)
    conversions: list[dict] = field(default_factory=list)  # units converted (spreadsheets)
    events: list = field(default_factory=list)  # the events a dry run would store
    rows: list[tuple[str | None, int]] = field(default_factory=list)  # (sheet, row) of each of ``events``
    refused: list[dict] = field(default_factory=list)  # EPCIS with ``partial``: events not stored


@dataclass(frozen=True)
class LedgerOptions:
    """How spreadsheets are read: the district's time zone for times without one, the language of
    errors, the importing party (the default of the ledger's own-party column), a forced ledger."""

    tz: tzinfo
    lang: str = "zh"
    party: str | None = None
    ledger: str | None = None


def ingest_spreadsheet(data: bytes, name: str, *, append: Append, captured_by: str, options: LedgerOptions,
                       dry_run: bool = False) -> IngestReport:
    """A ``.xlsx`` workbook or a CSV file, read as ledgers and recorded through ``append`` as one
    all-or-nothing batch (``dry_run``: validated, nothing appended). Errors of the write door
    name the row and column instead of the event."""
    o = options
    tables = read_xlsx_tables(data, o.lang) if name.lower().endswith(".xlsx") else [read_csv_table(data, o.lang)]
    batch = read_tables(tables, tz=o.tz, lang=o.lang, party=o.party, ledger=o.ledger)
    events = prepare(batch.events, captured_by=captured_by)
    rows = [(p.sheet, p.row) for p in batch.places]
    try:
        result = append(events)
    except FoodtraceError as exc:
        _name_rows(exc, batch, o.lang)
        raise
    return IngestReport("ledger", result, ledgers=dict(batch.ledgers), conversions=batch.conversions,
                        events=events if dry_run else [], rows=rows if dry_run else [])


def _name_rows(exc: FoodtraceError, batch: LedgerBatch, lang: str) -> None:
    """The write door's refusal of some events as the rows and columns they came from, in ``lang``:
    its message names the first row, column and reason."""
    localize(exc, lang)
    for d in exc.details:
        d["position"], d["field"] = batch.where(d.get("position"), d.get("field"))
    exc.where = say("row", lang, row="{position}")
    first = next((d for d in exc.details if isinstance(d.get("position"), int)), None)
    if first is None:
        exc.message += say("rows_note", lang)
        return
    sheet, _, column = (first.get("field") or "").rpartition("!")
    place = " ".join(p for p in (sheet, say("row", lang, row=first["position"])) if p)
    exc.message = say("row_refused", lang, place=place, column=say("column", lang, column=column) if column else "",
                      reason=first["reason"], n=len(exc.details))


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise cannot_read(path, exc) from exc


def _looks_like_epcis(data: bytes) -> bool:
    head = data[:4096].decode("utf-8", "ignore")
    return '"epcisBody"' in head or any(f'"{t}"' in head for t in EPCIS_DOCUMENTS) or \
        ('"@context"' in head and "epcis" in head.lower())


def ingest_file(store: GraphStore, path: Path, *, append: Append, captured_by: str, batch_size: int = 0,
                progress: Callable[[int], None] | None = None, ledger: LedgerOptions | None = None,
                dry_run: bool = False, partial: bool = False) -> IngestReport:
    """Ingest a file of events by its kind, every batch through ``append`` (the write door);
    ``partial``: an EPCIS document's valid events are stored, the others reported."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".xlsx"):
        from datetime import timezone

        return ingest_spreadsheet(_read(path), path.name, append=append, captured_by=captured_by,
                                  options=ledger or LedgerOptions(timezone.utc, "en"), dry_run=dry_run)
    if suffix == ".jsonld" or (suffix == ".json" and _looks_like_epcis(_read(path))):
        res = import_document(store, _read(path), path.name, append=append, captured_by=captured_by, partial=partial)
        return IngestReport("epcis", res.result, res.not_traced, res.warnings, refused=res.refused)
    return IngestReport("jsonl", ingest_jsonl(path, append=append, captured_by=captured_by, batch_size=batch_size,
                                              progress=progress))
