"""Ledgers (台账) from the real world: a GBK CSV from Excel on Chinese Windows and a UTF-8 CSV with a
BOM, Chinese headers and names, no time zones; a workbook from each template filled in and imported
(the same events as written by hand); a wrong row named in Chinese with nothing stored; a dry run;
a demo market's settlement file imported and counted in the report's trade figures; amounts kept off
public pages and out of other operators' reads."""

from __future__ import annotations

import io
import json

from openpyxl import load_workbook
import pytest

from foodtrace.graph import open_store
from foodtrace.ingest.capture import capture
from foodtrace.model.event_base import canonical_content
from foodtrace.model.registry import EVENT_ADAPTER
from tests.e2e.test_cli import run

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _events(store, types=("handoff", "retail_sale", "certificate")):
    return {se.event_id: se.event for se in store.events_by_type(list(types))}


def test_a_gbk_csv_sales_ledger_from_excel_is_read_with_chinese_headers_and_names(api):
    text = ("销售日期,购货方,追溯码,产品,数量,单位,单价（元）,金额（元）,单据号\n"
            "2025-03-02,X1,WV,白条肉,20,斤,14,280,XS-1\n")
    data = text.encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # what the old importer refused
    before = set(_events(api.store))
    r = api.client.post("/api/v1/ledgers?name=sales.csv", content=data, headers=api.h("op_W1"))
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["stored"] == 1 and body["ledgers"] == {"sales": 1}
    assert body["conversions"][0]["stored_quantity"] == 10 and body["conversions"][0]["written"] == "斤"
    (ev,) = [e for k, e in _events(api.store).items() if k not in before]
    assert ev.type == "handoff" and ev.action.value == "ship" and (ev.from_party, ev.to_party) == ("W1", "X1")
    assert ev.lot.quantity == 10 and ev.lot.unit.value == "kg" and ev.unit_price == 28 and ev.amount == 280
    assert ev.event_time.isoformat() == "2025-03-02T00:00:00+08:00"  # a date alone, in the district's zone


def test_a_utf8_bom_csv_purchase_ledger_then_names_a_wrong_row_in_chinese(api):
    ship = "销售日期,购货方,追溯码,数量,单位\n2025-03-02 07:30,X1,WV,8,千克\n"
    assert api.client.post("/api/v1/ledgers", content=ship.encode("utf-8"), headers=api.h("op_W1")).status_code == 201
    bad = ("\ufeff进货日期,供货方,追溯码,产品,数量,单位,单价\n"
           "2025-03-02 08:00,W1,WV,猪肉,8,公斤,30\n"
           "2025-03-02,W1,WV,牛排,-3,两,便宜\n")
    before = len(_events(api.store))
    r = api.client.post("/api/v1/ledgers?lang=zh", content=bad.encode("utf-8"), headers=api.h("op_X1"))
    assert r.status_code == 422
    err = r.json()["error"]
    assert "未存入任何记录" in err["message"]
    by_field = {d["field"]: d for d in err["details"]}
    assert {d["position"] for d in err["details"]} == {3}
    assert "无法识别的产品“牛排”" in by_field["产品"]["reason"] and "猪肉" in by_field["产品"]["reason"]
    assert by_field["数量"]["reason"] == "应大于 0"
    assert "无法识别的单位“两”" in by_field["单位"]["reason"]
    assert by_field["单价"]["reason"] == "“便宜”不是数字"
    assert len(_events(api.store)) == before  # the good row 2 is not stored either
    good = bad.rsplit("2025-03-02,W1", 1)[0]
    r = api.client.post("/api/v1/ledgers", content=good.encode("utf-8"), headers=api.h("op_X1"))
    assert r.status_code == 201 and r.json()["stored"] == 1


def test_errors_in_english_name_the_column_as_written(api):
    bad = "purchase date,supplier,trace code,quantity,unit\nyesterday,W1,WV,8,kg\n"
    r = api.client.post("/api/v1/ledgers?lang=en", content=bad.encode(), headers=api.h("op_X1"))
    assert r.status_code == 422
    (d,) = r.json()["error"]["details"]
    assert d["position"] == 2 and d["field"] == "purchase date" and "not a date" in d["reason"]


ROWS = {  # a filled row of each template (as a person types it) and the event it must give
    "purchase": (["2025-03-03 09:15", "W1", "ADMIN-RCV", "WV", "猪肉", 4, "千克", 30, 120, "PZ-9", None],
                 {"type": "handoff", "action": "receive", "party": "ADMIN-RCV", "from_party": "W1",
                  "to_party": "ADMIN-RCV", "lot": {"code": "WV", "quantity": 4, "unit": "kg"}, "unit_price": 30.0,
                  "amount": 120.0, "currency": "CNY", "document": "PZ-9", "declared": {"quantity": 4, "unit": "千克"},
                  "event_time": "2025-03-03T09:15:00+08:00"}),
    "sales": (["2025-03-03", "M1", None, "RL", "猪肉", 1, "斤", 16, 16, None, "RC-77"],
              {"type": "retail_sale", "party": "M1", "lot": {"code": "RL", "quantity": 0.5, "unit": "kg"},
               "receipt": "RC-77", "unit_price": 32.0, "amount": 16.0, "declared": {"quantity": 1, "unit": "斤"},
               "event_time": "2025-03-03T00:00:00+08:00"}),
    "tests": (["2025-03-03", "M1", "KJ-5", "农药残留快检", "RL", "猪肉", "阴性"],
              {"type": "certificate", "party": "M1", "issuer": "M1", "number": "KJ-5", "kind": "pesticide_rapid_test",
               "lots": ["RL"], "result": "pass", "event_time": "2025-03-03T00:00:00+08:00"}),
    "compliance": (["2025-03-03", "F1", "HGZ-7", "PIG", "生猪", 10, "头"],
                   {"type": "certificate", "party": "F1", "issuer": "F1", "number": "HGZ-7", "kind": "compliance",
                    "lots": ["PIG"], "quantity": 10, "unit": "head", "result": "pass",
                    "declared": {"quantity": 10, "unit": "头"},
                    "event_time": "2025-03-03T00:00:00+08:00"}),
    "settlement": (["2025-03-03 06:10", "W1", "W1", "X1", "WV", "猪肉", 5, "千克", 26, 130, "JS-1"],
                   {"type": "handoff", "action": "ship", "party": "W1", "from_party": "W1", "to_party": "X1",
                    "place": "W1", "lot": {"code": "WV", "quantity": 5, "unit": "kg"}, "unit_price": 26.0,
                    "amount": 130.0, "document": "JS-1", "declared": {"quantity": 5, "unit": "千克"},
                    "event_time": "2025-03-03T06:10:00+08:00"}),
}


@pytest.mark.parametrize("kind", list(ROWS))
def test_each_template_filled_in_round_trips_to_the_same_events(api, kind):
    tpl = api.client.get(f"/api/v1/public/templates/{kind}.xlsx?lang=zh")
    assert tpl.status_code == 200 and tpl.headers["content-type"] == XLSX
    book = load_workbook(io.BytesIO(tpl.content))
    assert book["词表"].sheet_state == "hidden"
    ws = book.worksheets[0]
    assert ws.data_validations.dataValidation, "drop-down lists"
    row, expected = ROWS[kind]
    for col, value in enumerate(row, start=1):  # row 2 (the example) is left as it is: the import skips it
        ws.cell(3, col, value)
    out = io.BytesIO()
    book.save(out)
    before = set(_events(api.store))
    r = api.client.post("/api/v1/ledgers", content=out.getvalue(), headers=api.h("admin"))
    assert r.status_code == 201, r.text
    assert r.json()["stored"] == 1 and r.json()["ledgers"] == {kind: 1}
    (got,) = [e for k, e in _events(api.store).items() if k not in before]
    assert canonical_content(got) == canonical_content(EVENT_ADAPTER.validate_python(expected))


def test_cli_ingests_a_gbk_purchase_ledger_with_a_dry_run_first(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    from tests.builders import pork_chain, register

    with open_store(url) as s:
        capture(s, pork_chain() + [register("ST1", "small_stall")])
    f = tmp_path / "进货台账.csv"
    f.write_bytes(("进货日期,供货方,收货方,追溯码,产品,数量,单位,单价\n"
                   "2025/3/4 10:05,W1,ST1,WV,白条肉,30,斤,15\n").encode("gb18030"))
    dry = run("--store", url, "ingest", str(f), "--dry-run", lang="zh")
    assert "试运行" in dry.stdout and "30 斤 已换算为 15 千克" in dry.stdout and "将存入: 1" in dry.stdout
    assert "WV 15 千克（30 斤）" in dry.stdout  # stored, and beside it as written
    dry_en = run("--store", url, "ingest", str(f), "--dry-run", lang="en")
    assert "WV 15 kg (30 jin (0.5 kg))" in dry_en.stdout, dry_en.stdout  # no Chinese in the English list
    with open_store(url) as s:
        assert not [e for e in _events(s).values() if e.party == "ST1"]
    run("--store", url, "ingest", str(f), lang="zh")
    with open_store(url) as s:
        (ev,) = [e for e in _events(s).values() if e.party == "ST1"]
        assert ev.event_time.isoformat() == "2025-03-04T10:05:00+08:00" and ev.lot.quantity == 15
    bad = tmp_path / "bad.csv"
    bad.write_bytes("进货日期,供货方,追溯码,数量,单位\n2025-03-04,W1,WV,三十,斤\n".encode("gbk"))
    p = run("--store", url, "ingest", str(bad), "--party", "ST1", check=False, lang="zh")
    assert p.returncode == 1 and "第2行 数量: “三十”不是数字" in p.stderr


def test_a_demo_market_settlement_file_imports_into_the_report_trade_figures(tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    run("--store", url, "demo", "--no-serve", "--events", "2000")
    f = tmp_path / "settlement.csv"
    p = run("--store", url, "settlement-demo", "-o", str(f), "--rows", "12")
    assert "12" in p.stdout and f.read_bytes().startswith(b"\xef\xbb\xbf")
    run("--store", url, "ingest", str(f))
    again = run("--store", url, "ingest", str(f))  # a terminal's export imported twice counts once
    assert "stored: 0" in again.stdout and "duplicates (already stored): 12" in again.stdout
    rep = json.loads(run("--store", url, "report", "--from", "2024-01-01", "--to", "2026-12-31", "--format",
                         "json").stdout)
    trade = rep["trade"]
    assert trade["transactions"] == 12 and trade["amount"]["CNY"] > 0
    market = next(r["market"] for r in trade["rows"])
    assert market.startswith("WM") and sum(r["transactions"] for r in trade["rows"] if r["market"] == market) == 12
    md = run("--store", url, "report", "--from", "2024-01-01", "--to", "2026-12-31", lang="zh").stdout
    assert "十三、电子结算交易" in md and "交易笔数: **12**" in md


def test_amounts_stay_off_public_pages_and_other_operators_reads(api):
    sale = ("销售日期,小票追溯码,追溯码,数量,单位,单价,金额\n2025-03-02 10:00,RC-PRICED,RL,1,千克,31.5,31.5\n")
    assert api.client.post("/api/v1/ledgers", content=sale.encode(), headers=api.h("op_M1")).status_code == 201
    public = api.client.get("/api/v1/public/lots/RC-PRICED")
    assert public.status_code == 200 and "31.5" not in public.text and "amount" not in public.text
    page = api.client.get("/l/RC-PRICED")
    assert page.status_code == 200 and "31.5" not in page.text
    own = api.client.get("/api/v1/lots/RL/epcis", headers=api.h("op_M1"))
    assert "31.5" in own.text  # the seller reads its own sale's amount
    other = api.client.get("/api/v1/lots/WV/epcis", headers=api.h("op_W1"))
    assert other.status_code == 200 and "31.5" not in other.text  # the supplier does not
