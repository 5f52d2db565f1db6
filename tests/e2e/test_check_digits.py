"""GS1 check digits are refused where a lot is written, by every write route, and tolerated where one is
read: a GTIN or SSCC with a wrong check digit — in a GS1 Digital Link, an element string or a ``gtin``
field — is refused by the write door (``services.capture.check_digits``) with the field and the right
digit, in zh and en, over the JSON API, the EPCIS capture (both bindings), the CSV and XLSX ledgers,
the stall form and the command line; nothing is stored. A look-up of such a code answers as for any
unknown code (404), never 500. A lot stored before the check can still move. IFT's beef example
(made-up GLNs of places) still imports, with a warning per GLN. Real app, real SQLite files."""

from __future__ import annotations

import io
import json

from openpyxl import load_workbook
import pytest

from foodtrace.ingest.capture import capture
from foodtrace.services.capture.check_digits import wrong_check_digit
from tests.builders import commission, handoff, sale
from tests.conftest import fixtures_dir
from tests.e2e.test_cli import run

GOOD_GTIN, BAD_GTIN = "09520123456788", "09520123456789"
BAD = f"https://id.gs1.org/01/{BAD_GTIN}/10/L1"
BAD_SSCC = "https://id.gs1.org/00/106141412345678909"
ZH = {"Accept-Language": "zh-CN,zh;q=0.9"}
EN_REASON = f"GTIN '{BAD_GTIN}' has a wrong check digit (expected 8)"
ZH_REASON = f"全球贸易项目代码“{BAD_GTIN}”的校验码有误（应为 8）"


def _events(api) -> int:
    return api.store.counts()["events"]


@pytest.mark.parametrize("code,wrong", [
    (f"https://id.gs1.org/01/{GOOD_GTIN}/10/L1", None), (BAD, "code_gtin_check_digit"),
    (f"https://example.com/shop/01/{BAD_GTIN}/21/S1", "code_gtin_check_digit"),
    (f"(01){BAD_GTIN}(10)L1", "code_gtin_check_digit"), ("(00)106141412345678908", None),
    (BAD_SSCC, "code_key_check_digit"), ("urn:epc:id:sgtin:0614141.107346.2017", None),  # no check digit in EPC
    (BAD_GTIN, None),  # plain digits as a lot code are a trace code, not a GS1 key
    ("http://www.w3.org/2000/01/rdf-schema#", None), (f"https://id.gs1.org/01/{BAD_GTIN[:-1]}", "code_gtin_check_digit"),  # a GTIN-13
    ("https://id.gs1.org/01/123/10/L1", None)])  # not a GTIN at all: a plain code, as it always was
def test_what_counts_as_a_wrong_check_digit(code, wrong):
    found = wrong_check_digit(code)
    assert (found.key if found else None) == wrong


def test_the_json_api_refuses_a_lot_code_and_a_gtin_field_naming_the_field(api):
    before = _events(api)
    for body, field in (([commission(BAD, party="F1")], "lots[0].code"),
                        ([commission("F1-NEW", party="F1", lots=[{"code": "F1-NEW", "product": "live_pig",
                                                                  "quantity": 1, "unit": "head",
                                                                  "gtin": BAD_GTIN}])], "lots[0].gtin"),
                        ([commission(BAD_SSCC, party="F1")], "lots[0].code")):
        r = api.client.post("/api/v1/events", json=body, headers=api.h("op_F1"))
        assert r.status_code == 422, r.text
        (d,) = r.json()["error"]["details"]
        assert d["field"] == field and d["position"] == 0 and "wrong check digit" in d["reason"]
        zh = api.client.post("/api/v1/events", json=body, headers={**api.h("op_F1"), **ZH})
        assert "校验码有误" in zh.json()["error"]["details"][0]["reason"]
    r = api.client.post("/api/v1/events", json=[commission(BAD, party="F1")], headers={**api.h("op_F1"), **ZH})
    assert r.json()["error"]["details"][0]["reason"] == ZH_REASON
    r = api.client.post("/api/v1/events", json=[sale("RL", BAD_SSCC, qty=1)], headers=api.h("op_M1"))  # a receipt
    assert r.status_code == 422 and [d["field"] for d in r.json()["error"]["details"]] == ["receipt"], r.text
    assert _events(api) == before  # nothing stored
    good = f"https://id.gs1.org/01/{GOOD_GTIN}/10/L1"
    ok = api.client.post("/api/v1/events", json=[commission(good, party="F1")], headers=api.h("op_F1"))
    assert ok.status_code == 201, ok.text


def _epcis(epc: str) -> bytes:
    doc = json.loads((fixtures_dir() / "epcis-gs1" / "Example_9.6.1-ObjectEvent.jsonld").read_text("utf-8"))
    ev = doc["epcisBody"]["eventList"][0]
    ev.update(action="ADD", bizStep="commissioning", epcList=[epc])
    ev.pop("eventID", None)
    doc["epcisBody"]["eventList"] = [ev]
    return json.dumps(doc).encode()


def test_epcis_capture_refuses_a_digital_link_with_a_wrong_check_digit(api):
    before = _events(api)
    h = {**api.h("admin"), "content-type": "application/ld+json"}
    r = api.client.post("/epcis/capture", content=_epcis(BAD), headers=h)
    job = api.client.get(r.headers["Location"], headers={**api.h("admin"), **ZH}).json()
    assert not job["success"] and any(e["reason"] == ZH_REASON for e in job["errors"]), job
    job = api.client.get(r.headers["Location"], headers=api.h("admin")).json()
    assert any(e["reason"] == EN_REASON and e["position"] == 0 and e["field"] for e in job["errors"]), job
    r = api.client.post("/api/v1/epcis/capture", content=_epcis(BAD), headers=h)
    assert r.status_code == 422 and EN_REASON in r.text
    doc = json.loads(_epcis(BAD))
    one = {"@context": doc["@context"], **doc["epcisBody"]["eventList"][0]}  # a bare event: POST /epcis/events
    r = api.client.post("/epcis/events", json=one, headers={**api.h("admin"), **ZH})
    assert r.status_code == 400 and ZH_REASON in r.text, r.text
    assert _events(api) == before
    good = _epcis(f"https://id.gs1.org/01/{GOOD_GTIN}/21/S1")
    assert api.client.post("/api/v1/epcis/capture", content=good, headers=h).status_code == 201


def test_a_ledger_row_is_refused_in_csv_and_xlsx(api):
    csv = f"销售日期,购货方,追溯码,数量,单位\n2025-03-02,X1,{BAD},2,斤\n"
    before = _events(api)
    r = api.client.post("/api/v1/ledgers?lang=zh", content=csv.encode("gbk"), headers=api.h("op_W1"))
    assert r.status_code == 422, r.text
    (d,) = r.json()["error"]["details"]
    assert (d["position"], d["field"], d["reason"]) == (2, "追溯码", ZH_REASON)
    book = load_workbook(io.BytesIO(api.client.get("/api/v1/public/templates/sales.xlsx?lang=zh").content))
    ws = book.worksheets[0]
    for c in range(1, ws.max_column + 1):
        head, ws.cell(2, c).value = ws.cell(1, c).value, None
        for name, value in (("销售日期", "2025-03-02"), ("购货方", "X1"), ("追溯码", BAD), ("数量", 2), ("单位", "斤")):
            if head.startswith(name):
                ws.cell(2, c, value)
    out = io.BytesIO()
    book.save(out)
    r = api.client.post("/api/v1/ledgers", content=out.getvalue(), headers={**api.h("op_W1"), "Accept-Language": "en"})
    assert r.status_code == 422, r.text
    assert r.json()["error"]["details"][0]["reason"] == EN_REASON
    assert _events(api) == before


def test_the_stall_form_refuses_the_code_and_records_nothing(api):
    before = _events(api)
    for code in (BAD, f"(01){BAD_GTIN}(10)L1"):
        body = {"code": code, "supplier": "W1", "quantity": 3, "unit": "斤"}
        r = api.client.post("/api/v1/stall/purchases", json=body, headers={**api.h("op_M1"), **ZH})
        assert r.status_code == 422, r.text
        (d,) = r.json()["error"]["details"]
        assert d["field"] == "code" and d["reason"] == ZH_REASON
        r = api.client.post("/api/v1/stall/purchases", json=body, headers=api.h("op_M1"))
        assert r.status_code == 422 and r.json()["error"]["details"][0]["reason"] == EN_REASON
    assert _events(api) == before  # not even an entry refusal: a typing error is not a lot refused


def test_reads_of_such_a_code_answer_not_found(api):
    for url in (f"/api/v1/lots/{BAD}", f"/api/v1/lots/{BAD}/backward", f"/api/v1/lots/{BAD}/forward",
                f"/api/v1/public/lots/{BAD}", f"/l/{BAD}", f"/01/{BAD_GTIN}/10/L1"):
        r = api.client.get(url, headers=api.h("inspector"))
        assert r.status_code == 404, (url, r.status_code, r.text[:200])


def test_a_lot_stored_before_the_check_can_still_move(api):
    capture(api.store, [commission(BAD, party="F1", qty=10, unit="kg", product="pork")])  # below the door
    r = api.client.post("/api/v1/events", json=[{**handoff(BAD, src="F1", dst="W1", qty=5), "party": "F1", "action": "ship"}],
                        headers=api.h("op_F1"))
    assert r.status_code == 201, r.text
    assert api.client.get(f"/api/v1/lots/{BAD}", headers=api.h("inspector")).status_code == 200


def test_cli_ingest_refuses_it_in_the_users_language(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    f = tmp_path / "events.jsonl"
    f.write_text(json.dumps(commission(BAD)) + "\n")
    en = run("--store", url, "ingest", str(f), check=False)
    assert en.returncode != 0 and EN_REASON in en.stderr and "Traceback" not in en.stderr
    zh = run("--store", url, "ingest", str(f), check=False, lang="zh")
    assert zh.returncode != 0 and ZH_REASON in zh.stderr
    f.write_text(json.dumps(commission(f"https://id.gs1.org/01/{GOOD_GTIN}/10/L1")) + "\n")
    assert "stored: 1" in run("--store", url, "ingest", str(f)).stdout


def test_the_beef_example_imports_with_a_warning_per_made_up_gln(api):
    body = (fixtures_dir() / "opentraceability/beef-leather-example/events.jsonld").read_bytes()
    r = api.client.post("/epcis/capture", content=body, headers={**api.h("admin"), "content-type": "application/ld+json"})
    job = api.client.get(r.headers["Location"], headers=api.h("admin")).json()
    assert job["success"] and job["eventsStored"], job
    gln = [w for w in job["warnings"] if "GLN" in w]
    assert gln and all("wrong check digit (expected 4)" in w for w in gln)
    zh = api.client.get(r.headers["Location"], headers={**api.h("admin"), **ZH}).json()
    assert any("全球位置码的校验码有误（应为 4）" in w for w in zh["warnings"])
