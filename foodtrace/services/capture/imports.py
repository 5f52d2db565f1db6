"""Files and documents in, through the write door: a JSON-lines, CSV, XLSX or EPCIS file (the CLI),
an EPCIS document or a spreadsheet ledger (the HTTP API). The formats live in ``ingest``; every batch
they yield is recorded by ``door.record_events`` for the principal — or, in a dry run, checked by
``door.check`` exactly as it would be recorded, and not stored.

Spreadsheet ledgers are read with the district's time zone (``Settings.tz``) for times written
without one, the principal's party as the default of the ledger's own-party column, and errors in
the caller's language."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from foodtrace.graph.store import AppendResult, GraphStore
from foodtrace.ingest.csv_import import import_csv
from foodtrace.ingest.epcis import EpcisImport, import_document
from foodtrace.ingest.files import IngestReport, LedgerOptions, ingest_file, ingest_spreadsheet
from foodtrace.services.capture.door import check, record_events
from foodtrace.services.capture.principal import Principal
from foodtrace.services.report.period import parse_tz
from foodtrace.services.safety.rules.config import RuleConfig

XLSX_MAGIC = b"PK\x03\x04"


def _door(store: GraphStore, principal: Principal, rules: RuleConfig | None,
          dry_run: bool = False) -> Callable[[list], AppendResult]:
    if dry_run:
        def would(events: list) -> AppendResult:
            check(store, principal, events, rules=rules)
            known = store.get_events([e.event_id for e in events])
            return AppendResult(stored=[e.event_id for e in events if e.event_id not in known],
                                duplicates=[e.event_id for e in events if e.event_id in known])
        return would
    return lambda events: record_events(store, principal, events, rules=rules)


def ledger_options(principal: Principal, tz: str, lang: str = "zh", ledger: str | None = None) -> LedgerOptions:
    return LedgerOptions(parse_tz(tz), lang if lang in ("zh", "en") else "zh", principal.party, ledger)


def ingest_file_as(store: GraphStore, principal: Principal, path: Path, *, rules: RuleConfig | None = None,
                   batch_size: int = 0, progress: Callable[[int], None] | None = None, tz: str = "+08:00",
                   lang: str = "zh", ledger: str | None = None, dry_run: bool = False,
                   partial: bool = False) -> IngestReport:
    """Ingest a file (its kind by its name) for ``principal``, all or nothing per batch (``dry_run``:
    checked, nothing stored; an EPCIS document with ``partial``: every event that can be stored, the
    others reported)."""
    return ingest_file(store, path, append=_door(store, principal, rules, dry_run),
                       captured_by=principal.captured_by, batch_size=batch_size, progress=progress,
                       ledger=ledger_options(principal, tz, lang, ledger), dry_run=dry_run, partial=partial)


def import_spreadsheet_as(store: GraphStore, principal: Principal, data: bytes, name: str = "", *,
                          tz: str = "+08:00", lang: str = "zh", ledger: str | None = None, dry_run: bool = False,
                          rules: RuleConfig | None = None) -> IngestReport:
    """Import a ledger workbook (``.xlsx``, recognised by its content too) or CSV file for ``principal``,
    all or nothing (``dry_run``: checked, nothing stored)."""
    if data.startswith(XLSX_MAGIC) and not name.lower().endswith(".xlsx"):
        name = "upload.xlsx"
    return ingest_spreadsheet(data, name or "upload.csv", append=_door(store, principal, rules, dry_run),
                              captured_by=principal.captured_by, options=ledger_options(principal, tz, lang, ledger),
                              dry_run=dry_run)


def import_xlsx_as(store: GraphStore, principal: Principal, data: bytes, **kw) -> IngestReport:
    """Import a ledger workbook for ``principal`` (see ``import_spreadsheet_as``)."""
    return import_spreadsheet_as(store, principal, data, "ledger.xlsx", **kw)


def import_epcis_as(store: GraphStore, principal: Principal, doc: dict | str | bytes, source: str = "document",
                    rules: RuleConfig | None = None, partial: bool = False) -> EpcisImport:
    """Import an EPCIS 2.0 document for ``principal``: all or nothing, or (``partial``) every event
    the principal may record, the others reported in ``refused``."""
    return import_document(store, doc, source, append=_door(store, principal, rules),
                           captured_by=principal.captured_by, partial=partial)


def import_csv_as(store: GraphStore, principal: Principal, data: bytes | str,
                  rules: RuleConfig | None = None) -> AppendResult:
    """Import a CSV ledger for ``principal``, all or nothing."""
    return import_csv(data, append=_door(store, principal, rules), captured_by=principal.captured_by)


__all__ = ["ingest_file_as", "import_epcis_as", "import_csv_as", "import_spreadsheet_as", "import_xlsx_as",
           "ledger_options"]
