"""Interchange end to end: the HTTP routes (real app, real SQLite file), the
CLI as a subprocess (ingest .csv / .jsonld, export fsma / epcis), CSV errors
and the FSMA 204 spreadsheet."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import quote

from fastapi.testclient import TestClient
from openpyxl import load_workbook
import pytest

from foodtrace.api.app import create_app
from foodtrace.config import Settings
from foodtrace.errors import InvalidInput
from foodtrace.graph import open_store
from foodtrace.ingest.capture import capture
from foodtrace.services.capture.imports import import_csv_as
from foodtrace.services.capture.principal import local


def import_csv(store, data):
    """A CSV ledger imported as at the command line (through the write door)."""
    return import_csv_as(store, local(), data)
from foodtrace.ingest.fsma import COLUMNS, write_fsma
from foodtrace.services.tracing.exports import lot_fsma_rows as fsma_rows
from foodtrace.services.admin.keys import issue_key
from tests.builders import pork_chain
from tests.conftest import fixtures_dir
from tests.e2e.test_cli import run

STEAKS = "https://id.gs1.org/01/10000082345676/10/STEAKS20251107"
CATTLE = "https://id.gs1.org/01/10000082345676/10/CATTLE20230101"

CSV_ZH = """类型,事件时间,主体,追溯码,产品,数量,单位,类别,投入批次,产出批次,发货方,收货方,单据号,新追溯码
commission,2025-03-01T05:00:00+08:00,SF001,PIG-1,生猪,12,头,,,,,,,
transformation,2025-03-01T10:00:00+08:00,SH001,,,,,屠宰,PIG-1 12 head,CARC-1 猪肉 900 kg,,,,
handoff,2025-03-02T08:00:00+08:00,,CARC-1,猪肉,100,kg,,,,SH001,W1,"=HYPERLINK(""http://evil"")",WV-1
"""


@pytest.fixture
def client(tmp_path):
    """The app on an empty SQLite file; the client sends an admin key."""
    with TestClient(create_app(Settings(store=f"sqlite:///{tmp_path / 'api.db'}"))) as c:
        c.headers["Authorization"] = f"Bearer {issue_key(c.app.state.store, 'ADMIN', 'admin').key}"
        yield c


def test_http_capture_epcis_then_export_and_fsma(client):
    body = (fixtures_dir() / "opentraceability/beef-leather-example/events.jsonld").read_bytes()
    r = client.post("/api/v1/epcis/capture", content=body, headers={"content-type": "application/ld+json"})
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["epcis_events"] == 8 and out["stored"] == 8 and out["warnings"]
    assert all(nt["reason"] for nt in out["not_traced"])
    assert client.post("/api/v1/epcis/capture", content=body).status_code == 200  # replay
    # the suffix routes win over the lots router's {code:path}, even for codes with slashes
    doc = client.get(f"/api/v1/lots/{STEAKS}/epcis")
    assert doc.status_code == 200 and doc.headers["content-type"].startswith("application/ld+json")
    assert len(doc.json()["epcisBody"]["eventList"]) == 8
    xl = client.get(f"/api/v1/lots/{quote('urn:epc:class:lgtin:0000082.134567.STEAKS20251107', safe=':')}/fsma.xlsx")
    assert xl.status_code == 200 and xl.headers["content-type"].startswith("application/vnd.openxml")
    ws = load_workbook(io.BytesIO(xl.content)).active
    assert [c.value for c in ws[1]] == COLUMNS
    ctes = {(row[0], row[4]) for row in ws.iter_rows(min_row=2, values_only=True)}
    assert (STEAKS, "Transformation") in ctes and (CATTLE, "Initial Packing") in ctes
    assert client.get(f"/api/v1/lots/{STEAKS}").json()["code"] == STEAKS  # the lot route still answers
    assert client.get("/api/v1/lots/NOPE/epcis").status_code == 404


def test_http_capture_refuses_an_invalid_document(client):
    r = client.post("/api/v1/epcis/capture", json={"type": "EPCISDocument", "schemaVersion": "2.0",
                                                   "creationDate": "yesterday", "epcisBody": {"eventList": []}})
    assert r.status_code == 422
    assert any(d["field"] == "creationDate" for d in r.json()["error"]["details"])


def test_fsma_columns_and_formula_injection(tmp_path):
    store = open_store("memory://")
    import_csv(store, CSV_ZH.encode("utf-8"))
    rows = fsma_rows(store, "WV-1")
    assert {r["Critical Tracking Event"] for r in rows} >= {"Initial Packing", "Transformation", "Receiving"}
    evil = next(r for r in rows if r["Reference Document Number"])
    assert evil["Reference Document Number"].startswith("=HYPERLINK")
    ws = load_workbook(io.BytesIO(write_fsma(rows, "xlsx"))).active
    doc_col = COLUMNS.index("Reference Document Number") + 1
    cells = [ws.cell(i, doc_col) for i in range(2, ws.max_row + 1) if ws.cell(i, doc_col).value]
    assert cells and all(c.value.startswith("'=") and c.data_type == "s" for c in cells)
    assert ws.auto_filter.ref and ws.freeze_panes == "A2"
    table = list(csv.reader(io.StringIO(write_fsma(rows, "csv").decode("utf-8-sig"))))
    assert table[0] == COLUMNS and any(cell.startswith("'=HYPERLINK") for row in table for cell in row)
    times = [(r["Event Date"], r["Event Time"]) for r in rows]
    assert times == sorted(times)


@pytest.mark.parametrize("text, row, column, reason", [
    (CSV_ZH.replace("PIG-1,生猪,12", "PIG-1,生猪,-3"), 2, "数量", "greater than 0"),
    (CSV_ZH.replace("2025-03-01T10:00:00+08:00", "2025-03-01T10:00:00"), 3, "事件时间", "time zone"),
    (CSV_ZH.replace("PIG-1 12 head", "PIG-1 12"), 3, "投入批次", "CODE QUANTITY UNIT"),
    (CSV_ZH.replace("handoff,", "teleport,"), 4, "类型", "unknown type"),
    (CSV_ZH.replace(",SH001,W1,", ",,W1,"), 4, "发货方", "required"),
    ("type,event_time,party,code,product,quantity,colour\n", 1, "colour", "unknown column"),
])
def test_csv_errors_name_row_and_column_and_store_nothing(text, row, column, reason):
    store = open_store("memory://")
    with pytest.raises(InvalidInput) as exc:
        import_csv(store, text)
    assert any(d["position"] == row and d["field"] == column and reason in d["reason"] for d in exc.value.details), \
        exc.value.details
    assert store.counts()["events"] == 0


def test_csv_english_headers_and_labels():
    store = open_store("memory://")
    text = ("type,event_time,party,code,product,quantity,unit\n"
            "commission,2025-03-01T05:00:00+08:00,VB1,CAB-1,Chinese cabbage,500,kg\n")
    assert len(import_csv(store, text).stored) == 1
    assert store.get_lot("CAB-1").product.value == "cabbage"


def test_cli_ingest_csv_and_epcis_then_export(tmp_path):
    url = f"sqlite:///{tmp_path / 'c.db'}"
    f = tmp_path / "events.csv"
    f.write_text(CSV_ZH, encoding="utf-8")
    assert "stored: 3" in run("--store", url, "ingest", str(f)).stdout
    doc = tmp_path / "beef.jsonld"
    doc.write_bytes((fixtures_dir() / "opentraceability/beef-leather-example/events.jsonld").read_bytes())
    p = run("--store", url, "ingest", str(doc))
    assert "stored: 8" in p.stdout and "comment ignored" in p.stderr and "stored, not traced" in p.stderr
    out = tmp_path / "f.csv"
    run("--store", url, "export", "fsma", "WV-1", "-o", str(out))
    assert "'=HYPERLINK" in out.read_text(encoding="utf-8-sig")
    xlsx = tmp_path / "f.xlsx"
    run("--store", url, "export", "fsma", STEAKS, "-o", str(xlsx))
    assert load_workbook(xlsx).active.max_row > 1
    ep = tmp_path / "steaks.jsonld"
    run("--store", url, "export", "epcis", STEAKS, "-o", str(ep))
    assert json.loads(ep.read_text())["type"] == "EPCISDocument"
    bad = tmp_path / "bad.csv"
    bad.write_text(CSV_ZH.replace("PIG-1,生猪,12", "PIG-1,生猪,x"), encoding="utf-8")
    p = run("--store", url, "ingest", str(bad), check=False)
    assert p.returncode == 1 and "row 2 数量" in p.stderr and "Traceback" not in p.stderr


def test_native_chain_fsma_rows():
    store = open_store("memory://")
    capture(store, pork_chain())
    rows = fsma_rows(store, "RCPT")
    assert {r["Traceability Lot Code"] for r in rows} >= {"PIG", "CARC", "WV", "RL"}
    assert all(r[c] != "" for r in rows for c in ("Quantity", "Unit of Measure", "Event Date", "Location Identifier"))
