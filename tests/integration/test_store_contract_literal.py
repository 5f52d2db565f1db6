"""Contract: Digital Links resolve literally on every backend (``%`` and ``_`` in a lot code are characters,
not wildcards), and the trace spreadsheet never carries a live formula (``store`` fixture: every backend)."""

from __future__ import annotations

import csv
import io

from foodtrace.errors import NotFound
from foodtrace.ingest.capture import capture
from foodtrace.services.tracing.identifiers import resolve
from foodtrace.services.tracing.trace_table import trace_csv
from tests.builders import commission, handoff

GTIN = "06901234567892"


def _lot(code: str) -> dict:
    ev = commission(code, product="pork", unit="kg")
    ev["lots"][0]["gtin"] = GTIN
    return ev


def test_gtin_lookup_treats_like_wildcards_as_characters(store):
    capture(store, [_lot("SECRET-71"), _lot("A%B"), _lot(f"https://id.example.cn/01/{GTIN}/10/X_1"),
                    _lot(f"https://id.example.cn/01/{GTIN}/10/SECRET-72")])
    for guess in ("S%", "SECRET-7_", "%", "_", "A_B", "X%", "X_", "%1"):
        assert store.find_lot_by_gtin(GTIN, guess) is None, guess
    assert store.find_lot_by_gtin(GTIN, "SECRET-71").code == "SECRET-71"
    assert store.find_lot_by_gtin(GTIN, "A%B").code == "A%B"
    assert store.find_lot_by_gtin(GTIN, "X_1").code.endswith("/10/X_1")


def test_digital_link_with_a_wildcard_is_not_another_lot(store):
    capture(store, [_lot("SECRET-71"), _lot(f"https://id.example.cn/01/{GTIN}/10/SECRET-72")])
    for link in (f"https://id.example.cn/01/{GTIN}/10/S%25", f"https://id.example.cn/01/{GTIN}/10/SECRET-7_"):
        try:
            found = resolve(store, link).code
        except NotFound:
            found = None
        assert found is None, link
    assert resolve(store, f"https://id.example.cn/01/{GTIN}/10/SECRET-71").code == "SECRET-71"


def test_trace_csv_cells_never_start_a_formula(store):
    bad = "=2+3+cmd|'/Ccalc'!A0"
    capture(store, [commission(bad, party="F1"), commission("@SUM(A1)", party="F1"),
                    handoff(bad, new="-1+1", src="F1", dst="S1", qty=5)])
    rows = list(csv.reader(io.StringIO(trace_csv(store, "-1+1").lstrip("\ufeff"))))
    cells = [c for row in rows[1:] for c in row]
    assert "'" + bad in cells and "'-1+1" in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
