"""A lot's records written out for others: its whole trace as an EPCIS 2.0 document or as the
FSMA 204 sortable spreadsheet (the formats themselves live in ``ingest``)."""

from __future__ import annotations

from typing import Any, Callable, Iterable

from foodtrace.graph.store import GraphStore
from foodtrace.ingest.epcis_export import export_lot
from foodtrace.ingest.fsma import fsma_rows, write_fsma
from foodtrace.services.tracing.identifiers import resolve


def lot_epcis(store: GraphStore, code: str, codes: Iterable[str] | None = None,
              keep: Callable[[Any], bool] | None = None) -> dict:
    """Every event of the lots in the trace of the lot ``code`` names, as one EPCIS document
    (only of ``codes`` and only the events ``keep`` keeps, when given)."""
    return export_lot(store, resolve(store, code), codes, keep)


def lot_fsma_rows(store: GraphStore, code: str) -> list[dict]:
    """The FSMA 204 rows of the trace of the lot ``code`` names."""
    return fsma_rows(store, resolve(store, code))


def lot_fsma(store: GraphStore, code: str, fmt: str = "xlsx") -> bytes:
    return write_fsma(lot_fsma_rows(store, code), fmt)
