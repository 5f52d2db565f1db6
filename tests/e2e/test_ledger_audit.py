"""The rest of issue 19's "done when", each against the real app: a GBK CSV saved from each template
(Chinese headers and names, no time zones) gives the same event as the filled workbook; vocabulary
errors list the Chinese names in zh (products, kinds of party, of certificate, units); an HTTP dry run
shows what would be stored and stores nothing."""

from __future__ import annotations

import io

from openpyxl import load_workbook
import pytest

from foodtrace.model.event_base import canonical_content
from foodtrace.model.registry import EVENT_ADAPTER
from tests.e2e.test_ledgers import ROWS


def _events(store):
    return {se.event_id: se.event for se in store.events_by_type(["handoff", "retail_sale", "certificate"])}


def _cell(v) -> str:
    return "" if v is None else str(v)


@pytest.mark.parametrize("kind", ["purchase", "sales", "tests", "compliance"])
def test_a_gbk_csv_saved_from_each_template_ingests_with_chinese_headers_and_no_time_zone(api, kind):
    tpl = load_workbook(io.BytesIO(api.client.get(f"/api/v1/public/templates/{kind}.xlsx?lang=zh").content))
    header = [c.value for c in tpl.worksheets[0][1]]
    assert all("\u4e00" <= h[0] <= "\u9fff" for h in header)  # Chinese headers
    row, expected = ROWS[kind]
    text = ",".join(header) + "\r\n" + ",".join(_cell(v) for v in row) + "\r\n"  # as Excel saves it
    before = set(_events(api.store))
    r = api.client.post("/api/v1/ledgers", content=text.encode("gbk"), headers=api.h("admin"))
    assert r.status_code == 201, r.text
    assert r.json()["ledgers"] == {kind: 1}
    (got,) = [e for k, e in _events(api.store).items() if k not in before]
    assert canonical_content(got) == canonical_content(EVENT_ADAPTER.validate_python(expected))
    assert got.event_time.utcoffset().total_seconds() == 8 * 3600  # the district's zone


def test_vocabulary_errors_list_the_chinese_names_in_zh(api):
    generic = "类型,事件时间,主体,追溯码,产品,数量,单位\ncommission,2025-03-01 08:00,F1,P-1,牛排,3,kg\n"
    r = api.client.post("/api/v1/ledgers?lang=zh", content=generic.encode("gbk"), headers=api.h("admin"))
    (d,) = r.json()["error"]["details"]
    assert d["field"] == "产品" and "无法识别的取值“牛排”" in d["reason"] and "生猪、" in d["reason"]
    assert "live_pig" not in d["reason"]
    tests = "检测日期,检测编号,检测项目,追溯码,结果\n2025-03-02,KJ-1,化验,WV,合格\n"
    r = api.client.post("/api/v1/ledgers?lang=zh", content=tests.encode("gbk"), headers=api.h("op_M1"))
    (d,) = r.json()["error"]["details"]
    assert "无法识别的证明/检测类别“化验”" in d["reason"] and "农药残留快检" in d["reason"]
    sale = "销售日期,小票追溯码,追溯码,数量,单位\n2025-03-02,RC-2,RL,1,两\n"
    r = api.client.post("/api/v1/ledgers?lang=zh", content=sale.encode("gbk"), headers=api.h("op_M1"))
    (d,) = r.json()["error"]["details"]
    assert "无法识别的单位“两”" in d["reason"] and "千克" in d["reason"] and "斤" in d["reason"]
    party = [{"type": "party_registration", "event_time": "2025-03-01T08:00:00+08:00", "party": "REG",
              "registered": {"id": "Z9", "name": "z", "kind": "shop", "area_code": "330106",
                             "registered_on": "2020-01-01"}}]
    r = api.client.post("/api/v1/events", json=party, headers={**api.h("admin"), "Accept-Language": "zh-CN"})
    (d,) = r.json()["error"]["details"]
    assert d["field"] == "registered.kind" and "规模养殖场" in d["reason"] and "批发商" in d["reason"]
    en = api.client.post("/api/v1/events", json=party, headers=api.h("admin"))
    assert en.json()["error"]["details"][0]["reason"].startswith("Input should be 'scale_farm'")
    assert "unknown_value" == en.json()["error"]["details"][0]["key"]


def test_an_http_dry_run_shows_what_would_be_stored_and_stores_nothing(api):
    ship = "销售日期,购货方,追溯码,数量,单位,单价\n2025-03-02 07:00,X1,WV,40,斤,15\n"
    before = set(_events(api.store))
    r = api.client.post("/api/v1/ledgers?dry_run=true", content=ship.encode("gbk"), headers=api.h("op_W1"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["dry_run"] is True and body["stored"] == 1 and len(body["event_ids"]) == 1
    assert body["conversions"][0]["stored_quantity"] == 20
    assert set(_events(api.store)) == before
    real = api.client.post("/api/v1/ledgers", content=ship.encode("gbk"), headers=api.h("op_W1"))
    assert real.status_code == 201 and real.json()["event_ids"] == body["event_ids"]  # what it said it would
    bad = api.client.post("/api/v1/ledgers?dry_run=true&lang=zh", content=ship.replace("WV", "PIG").encode("gbk"),
                          headers=api.h("op_W1"))
    assert bad.status_code == 422 and "第2行" in bad.json()["error"]["message"]  # the door's checks run too
