"""Files and documents in, through the write door: a JSON-lines, CSV or EPCIS file (the CLI),
an EPCIS document (the HTTP API). The formats live in ``ingest``; every batch they yield is
recorded by ``door.record_events`` for the principal."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from foodtrace.graph.store import AppendResult, GraphStore
from foodtrace.ingest.csv_import import import_csv
from foodtrace.ingest.epcis import EpcisImport, import_document
from foodtrace.ingest.files import IngestReport, ingest_file
from foodtrace.services.capture.door import record_events
from foodtrace.services.capture.principal import Principal
from foodtrace.services.safety.rules.config import RuleConfig


def _door(store: GraphStore, principal: Principal, rules: RuleConfig | None) -> Callable[[list], AppendResult]:
    return lambda events: record_events(store, principal, events, rules=rules)


def ingest_file_as(store: GraphStore, principal: Principal, path: Path, *, rules: RuleConfig | None = None,
                   batch_size: int = 0, progress: Callable[[int], None] | None = None,
                   partial: bool = False) -> IngestReport:
    """Ingest a file (its kind by its name) for ``principal``, all or nothing per batch (an EPCIS
    document with ``partial``: every event that can be stored, the others reported)."""
    return ingest_file(store, path, append=_door(store, principal, rules), captured_by=principal.captured_by,
                       batch_size=batch_size, progress=progress, partial=partial)


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


__all__ = ["ingest_file_as", "import_epcis_as", "import_csv_as"]
