"""The write door's own refusals reach a ledger's rows in the reader's language: a row that passes the
ledger's checks but is refused by custody (a sale of a lot never received), by a recall (a recalled
lot moves), by authority (a test its party may not issue) or by permissions (a row of another party)
names sheet, row, column and the reason in zh or en — over HTTP (``?lang=`` / ``Accept-Language``)
and at the command line (``--lang``) — and nothing of the file is stored. Plain captures get the same
texts by ``Accept-Language``."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from foodtrace.graph import open_store
from foodtrace.ingest.capture import capture
from tests.builders import pork_chain, register
from tests.e2e.test_cli import run

SALES = "销售日期,购货方,追溯码,数量,单位\n2025-03-02,X1,WV,2,斤\n2025-03-02 09:00,X1,PIG,2,头\n"


def _count(store) -> int:
    return sum(1 for _ in store.events_by_type(["handoff", "retail_sale", "certificate"]))


def test_a_gbk_csv_row_refused_by_custody_is_named_in_chinese_and_nothing_is_stored(api):
    before = _count(api.store)
    r = api.client.post("/api/v1/ledgers?lang=zh", content=SALES.encode("gbk"), headers=api.h("op_W1"))
    assert r.status_code == 422, r.text
    err = r.json()["error"]
    assert "第3行" in err["message"] and "“追溯码”列" in err["message"] and "未存入任何记录" in err["message"]
    (d,) = err["details"]
    assert (d["position"], d["field"], d["reason"]) == (3, "追溯码", "W1 未持有批次 PIG")
    assert d["key"] == "custody_not_held" and "args" not in d
    assert _count(api.store) == before  # row 2, a good one, is not stored either
    en = api.client.post("/api/v1/ledgers", content=SALES.encode("gbk"),
                         headers={**api.h("op_W1"), "Accept-Language": "en-GB,en;q=0.9"})
    assert en.status_code == 422
    assert en.json()["error"]["details"][0]["reason"] == "W1 does not hold lot PIG"
    assert en.json()["error"]["message"].startswith("row 3, column 追溯码 may not be recorded")


def _sales_workbook(api, rows) -> bytes:
    book = load_workbook(io.BytesIO(api.client.get("/api/v1/public/templates/sales.xlsx?lang=zh").content))
    ws = book.worksheets[0]
    for r, row in enumerate(rows, start=2):  # row 2 (the example) overwritten
        for c in range(1, ws.max_column + 1):
            ws.cell(r, c).value = None
        for header, value in row.items():
            col = next(i for i in range(1, ws.max_column + 1) if ws.cell(1, i).value.startswith(header))
            ws.cell(r, col, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_xlsx_row_refused_by_custody_names_sheet_row_and_column(api):
    data = _sales_workbook(api, [{"销售日期": "2025-03-02", "购货方": "X1", "追溯码": "WV", "数量": 4, "单位": "斤"},
                                 {"销售日期": "2025-03-02", "购货方": "X1", "追溯码": "WV", "数量": 300, "单位": "斤"}])
    before = _count(api.store)
    r = api.client.post("/api/v1/ledgers", content=data, headers={**api.h("op_W1"), "Accept-Language": "zh-CN"})
    assert r.status_code == 422, r.text
    err = r.json()["error"]
    (d,) = err["details"]
    assert d["position"] == 3 and d["field"] == "销售台账!数量", err
    assert d["reason"] == "W1 仅持有批次 WV 58 千克"  # 60 kg held, 2 sold on row 2; 150 asked: units in Chinese
    assert err["message"].startswith("销售台账 第3行“数量”列不能存入")
    assert _count(api.store) == before


def test_a_recalled_lot_and_another_partys_row_are_refused_in_chinese(api):
    r = api.client.post("/api/v1/recalls", headers=api.h("inspector"),
                        json={"codes": ["WV"], "reason": "clenbuterol", "recall_id": "RC-9"})
    assert r.status_code == 201, r.text
    moved = "销售日期,购货方,追溯码,数量,单位\n2025-03-09,X1,WV,2,千克\n"
    r = api.client.post("/api/v1/ledgers?lang=zh", content=moved.encode("gbk"), headers=api.h("op_W1"))
    assert r.status_code == 422
    (d,) = r.json()["error"]["details"]
    assert (d["position"], d["field"]) == (2, "追溯码") and "已被召回" in d["reason"] and "RC-9" in d["reason"]
    other = "销售日期,销售方,购货方,追溯码,数量,单位\n2025-03-09,M1,X1,RL,2,千克\n"
    r = api.client.post("/api/v1/ledgers?lang=zh", content=other.encode("gbk"), headers=api.h("op_W1"))
    assert r.status_code == 403
    err = r.json()["error"]
    assert {(d["position"], d["field"]) for d in err["details"]} == {(2, "销售方")}
    assert "只能以本主体（W1）的名义录入" in err["details"][0]["reason"] and "第2行" in err["message"]


def test_a_test_its_party_may_not_issue_is_refused_over_http_and_at_the_command_line(api, tmp_path):
    tests = "检测日期,检测编号,检测项目,追溯码,结果\n2025-03-02,KJ-1,农残快检,WV,阴性\n"
    r = api.client.post("/api/v1/ledgers?lang=zh", content=tests.encode("gbk"), headers=api.h("op_W1"))
    assert r.status_code == 422
    (d,) = r.json()["error"]["details"]
    assert d["position"] == 2 and d["field"] == "检测主体"
    assert d["reason"].startswith("批发商不得开具农药残留快检，只有") and "农贸市场" in d["reason"]
    assert not any(c in d["reason"] for c in "abcdefghijklmnopqrstuvwxyz")  # no English word in zh
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    with open_store(url) as s:
        capture(s, pork_chain() + [register("ST1", "small_stall")])
    f = tmp_path / "快检记录.csv"
    f.write_bytes("检测日期,检测主体,检测编号,追溯码,结果\n2025-03-02,ST1,KJ-2,WV,合格\n".encode("gb18030"))
    p = run("--store", url, "ingest", str(f), check=False, lang="zh")
    assert p.returncode == 1
    assert "第2行“检测主体”列不能存入：食品小摊点不得开具农药残留快检" in p.stderr, p.stderr
    assert "第2行 检测主体:" in p.stderr
    en = run("--store", url, "ingest", str(f), check=False, lang="en")
    assert "row 2 检测主体: a small_stall may not issue pesticide_rapid_test" in en.stderr, en.stderr
    with open_store(url) as s:
        assert not [e for e in s.events_by_type(["certificate"]) if e.event.party == "ST1"]


def test_plain_captures_say_refusals_in_the_readers_language(api):
    sale = [{"type": "retail_sale", "event_time": "2025-03-02T10:00:00+08:00", "party": "W1",
             "lot": {"code": "PIG", "quantity": 1, "unit": "head"}, "receipt": "RR-1"}]
    zh = api.client.post("/api/v1/events", json=sale, headers={**api.h("op_W1"), "Accept-Language": "zh-CN,zh"})
    assert zh.status_code == 422
    assert zh.json()["error"]["message"] == "1 条记录不能存入，未存入任何记录"
    assert zh.json()["error"]["details"][0]["reason"] == "W1 未持有批次 PIG"
    plain = api.client.post("/api/v1/events", json=sale, headers=api.h("op_W1"))  # no language asked: English
    assert plain.json()["error"]["details"][0]["reason"] == "W1 does not hold lot PIG"
    assert plain.json()["error"]["details"][0]["key"] == "custody_not_held"


def test_the_stores_own_refusals_and_a_new_code_without_a_product_are_named_in_chinese(api):
    taken = "进货日期,供货方,收货方,追溯码,产品,数量,单位,本店追溯码\n2025-03-02,S1,W1,CARC,猪肉,2,斤,RL\n"
    r = api.client.post("/api/v1/ledgers?lang=zh", content=taken.encode("gbk"), headers=api.h("admin"))
    assert r.status_code == 422
    (d,) = r.json()["error"]["details"]
    assert (d["position"], d["field"]) == (2, "本店追溯码") and d["reason"].startswith("追溯码 RL 已存在（由记录 ")
    bare = "进货日期,供货方,收货方,追溯码,数量,单位,本店追溯码\n2025-03-02,S1,W1,CARC,2,斤,W1-NEW\n"
    r = api.client.post("/api/v1/ledgers?lang=zh", content=bare.encode("gbk"), headers=api.h("admin"))
    (d,) = r.json()["error"]["details"]
    assert (d["position"], d["field"], d["reason"]) == (2, "产品", "必填")  # the new lot needs its product
