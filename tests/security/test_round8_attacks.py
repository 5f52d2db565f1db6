"""Round 8: a competitor's operator key (X1, a supermarket the pork chain never touched) against
another party's lots. Each attack is refused with the field that says why, nothing is stored, and
the district check, the trace and the consumer page of the chain keep working (``unharmed``).

Before these were mended every one of them was stored: a rapid test "failed" by a stranger put a
red "do not eat it" on the consumer page and six points on the holder; a pallet packed onto someone
else's receipt rewrote its maker and its trace; an unpacking made the stranger a "holder" that read
the lot's trace."""

from __future__ import annotations

import pytest

T = "2025-03-20T10:00:00+08:00"


def _post(api, who, body, path="/api/v1/events"):
    return api.client.post(path, json=body, headers=api.h(who))


def _fields(r) -> list[str]:
    return [d["field"] for d in r.json()["error"]["details"]]


def _test(kind, lots, party="X1", result="fail"):
    return {"type": "certificate", "event_time": T, "party": party, "issuer": party, "kind": kind,
            "number": f"EVIL-{kind}", "result": result, "lots": lots}


@pytest.mark.parametrize("kind", ["pesticide_rapid_test", "external_certificate"])
def test_a_stranger_cannot_fail_a_test_on_a_lot_it_never_held(api, unharmed, kind):
    r = _post(api, "op_X1", [_test(kind, ["RL"])])
    assert r.status_code == 422, r.text
    assert _fields(r) == ["lots[0]"] and r.json()["error"]["details"][0]["key"] == "authority_not_own"
    unharmed()
    page = api.client.get("/l/RL?lang=en", headers={"accept": "text/html"})
    assert "Failed inspection" not in page.text
    check = api.client.get("/api/v1/check", headers=api.h("inspector")).json()
    assert check["counts"]["failed_test"] == 0


def test_a_slaughterhouse_cannot_fail_a_clenbuterol_test_on_another_s_pigs(api, unharmed):
    # S1 is a designated slaughterhouse; pigs it did not receive are not its to test
    capture_pigs = [{"type": "commission", "event_time": T, "party": "F1",
                     "lots": [{"code": "PIG-2", "product": "live_pig", "quantity": 5, "unit": "head"}]}]
    assert _post(api, "op_F1", capture_pigs).status_code == 201
    unharmed = _counts_from_here(api)
    r = _post(api, "op_S1", [_test("clenbuterol_test", ["PIG-2"], party="S1")])
    assert r.status_code == 422 and _fields(r) == ["lots[0]"], r.text
    unharmed()


def test_a_stranger_cannot_pre_plant_a_failed_test_on_a_code_not_made_yet(api, unharmed):
    r = _post(api, "op_X1", [_test("pesticide_rapid_test", ["3301065104202501020000099"])])
    assert r.status_code == 422 and r.json()["error"]["details"][0]["key"] == "authority_lot_unknown", r.text
    unharmed()


def test_the_holder_and_the_independent_testers_still_may(api):
    """The supermarket tests what it received; a market's test room, a lab and the office test what
    others hold (sampling)."""
    from foodtrace.ingest.capture import capture
    from tests.builders import register

    capture(api.store, [register("WM1", "wholesale_market"), register("LAB1", "testing_lab")])
    from foodtrace.services.admin.keys import issue_key

    for p in ("WM1", "LAB1"):
        api.keys[f"op_{p}"] = issue_key(api.store, p, "operator").key
    assert _post(api, "op_M1", [_test("pesticide_rapid_test", ["RL"], party="M1", result="pass")]).status_code == 201
    assert _post(api, "op_WM1", [_test("pesticide_rapid_test", ["WV"], party="WM1", result="pass")]).status_code == 201
    assert _post(api, "op_LAB1", [_test("clenbuterol_test", ["PIG"], party="LAB1", result="pass")]).status_code == 201
    assert _post(api, "op_S1", [_test("clenbuterol_test", ["PIG"], party="S1", result="pass")]).status_code == 201


def test_a_stranger_cannot_apply_a_drug_to_another_s_lot(api, unharmed):
    r = _post(api, "op_X1", [{"type": "input_application", "event_time": T, "party": "X1", "lots": ["PIG"],
                              "input_kind": "veterinary_drug", "input_name": "clenbuterol", "interval_days": 365}])
    assert r.status_code == 422 and _fields(r) == ["lots[0]"], r.text
    unharmed()


def test_the_farm_applies_a_drug_to_its_own_pigs_made_in_the_same_batch(api):
    r = _post(api, "op_F1", [
        {"type": "commission", "event_time": T, "party": "F1",
         "lots": [{"code": "PIG-3", "product": "live_pig", "quantity": 5, "unit": "head"}]},
        {"type": "input_application", "event_time": T, "party": "F1", "lots": ["PIG-3", "PIG"],
         "input_kind": "veterinary_drug", "input_name": "florfenicol", "interval_days": 28}])
    assert r.status_code == 201, r.text


def test_a_stranger_cannot_write_an_observation_into_another_s_lot(api, unharmed):
    r = _post(api, "op_X1", [{"type": "epcis_record", "event_time": T, "party": "X1", "lots": ["RL"],
                              "epcis_type": "ObjectEvent", "reason": "spoiled, do not buy"}])
    assert r.status_code == 422 and _fields(r) == ["lots[0]"], r.text
    unharmed()


def test_a_stranger_cannot_pack_its_lot_onto_another_s_receipt(api, unharmed):
    assert _post(api, "op_X1", [{"type": "commission", "event_time": T, "party": "X1",
                                 "lots": [{"code": "X-1", "product": "pork", "quantity": 5, "unit": "kg"}]}]).status_code == 201
    unharmed = _counts_from_here(api)
    r = _post(api, "op_X1", [{"type": "aggregation", "event_time": T, "party": "X1", "action": "pack",
                              "parent": "RCPT", "parent_lot": {"code": "RCPT", "product": "pork", "quantity": 5, "unit": "kg"},
                              "children": [{"code": "X-1", "quantity": 5, "unit": "kg"}]}])
    assert r.status_code == 422 and _fields(r) == ["parent"], r.text
    unharmed()
    trace = api.client.get("/api/v1/lots/RCPT/backward", headers=api.h("inspector")).json()
    assert "X-1" not in {n["code"] for n in trace["lots"]}
    assert trace["lots"][0]["made_by"]["party"] == "M1"


@pytest.mark.parametrize("parent,child", [("RL", "WV"), ("X-PAL", "WV")])
def test_an_unpacking_does_not_make_a_stranger_a_holder(api, unharmed, parent, child):
    """Neither another party's pallet nor, from one's own pallet, a lot that was never packed into it."""
    if parent == "X-PAL":
        batch = [{"type": "commission", "event_time": T, "party": "X1",
                  "lots": [{"code": "X-2", "product": "pork", "quantity": 5, "unit": "kg"}]},
                 {"type": "aggregation", "event_time": T, "party": "X1", "action": "pack", "parent": "X-PAL",
                  "parent_lot": {"code": "X-PAL", "product": "pork", "quantity": 5, "unit": "kg"},
                  "children": [{"code": "X-2", "quantity": 5, "unit": "kg"}]}]
        assert _post(api, "op_X1", batch).status_code == 201
        unharmed = _counts_from_here(api)
    r = _post(api, "op_X1", [{"type": "aggregation", "event_time": T, "party": "X1", "action": "unpack",
                              "parent": parent, "children": [{"code": child}]}])
    assert r.status_code == 422, r.text
    assert _fields(r) == (["parent", "children[0].code"] if parent == "RL" else ["children[0].code"])
    unharmed()
    assert api.client.get(f"/api/v1/lots/{child}/backward", headers=api.h("op_X1")).status_code == 403


def test_the_holder_unpacks_its_own_pallet(api):
    batch = [{"type": "commission", "event_time": T, "party": "X1",
              "lots": [{"code": "X-3", "product": "pork", "quantity": 5, "unit": "kg"}]},
             {"type": "aggregation", "event_time": T, "party": "X1", "action": "pack", "parent": "X-PAL3",
              "parent_lot": {"code": "X-PAL3", "product": "pork", "quantity": 5, "unit": "kg"},
              "children": [{"code": "X-3", "quantity": 5, "unit": "kg"}]},
             {"type": "aggregation", "event_time": "2025-03-21T10:00:00+08:00", "party": "X1", "action": "unpack",
              "parent": "X-PAL3", "children": [{"code": "X-3"}]}]
    assert _post(api, "op_X1", batch).status_code == 201


def test_the_same_attack_through_epcis_capture_is_refused(api, unharmed):
    doc = {"@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
           "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": T,
           "epcisBody": {"eventList": [{
               "type": "ObjectEvent", "eventTime": T, "eventTimeZoneOffset": "+08:00", "action": "OBSERVE",
               "epcList": ["urn:foodtrace:lot:RL"], "bizStep": "inspecting",
               "bizLocation": {"id": "urn:foodtrace:party:X1"}, "certificationInfo": "urn:uuid:6a1f1a52-0000-4000-8000-000000000001"}]}}
    r = api.client.post("/api/v1/epcis/capture", json=doc, headers=api.h("op_X1"))
    assert r.status_code == 422, r.text
    unharmed()


def _counts_from_here(api):
    before = api.store.counts()["events"]

    def check():
        assert api.store.counts()["events"] == before, "the attack stored something"
        assert api.client.get("/l/RCPT", headers={"accept": "text/html"}).status_code == 200
    return check


# -- an inspector limited to areas acts only within them (services/capture/scope.py) ------------------

from tests.e2e.test_inspector_areas import areas  # noqa: E402,F401  (the fixture: stations of areas A and B)


def test_a_station_cannot_start_a_recall_from_a_test_outside_its_areas(areas):  # noqa: F811
    from foodtrace.ingest.capture import capture
    from tests.builders import cert

    failed = cert(["ZPIG"], "clenbuterol_test", result="fail", issuer="AHA")
    capture(areas.store, [failed])
    test_id = next(se.event_id for se in areas.store.events_by_type(["certificate"]) if se.event.lots == ["ZPIG"])
    before = areas.store.counts()["events"]
    r = areas.client.post("/api/v1/recalls/from-test", json={"event_id": test_id}, headers=areas.a)
    assert r.status_code == 403, r.text
    assert areas.store.counts()["events"] == before
    r = areas.client.post("/api/v1/recalls/from-test", json={"event_id": test_id}, headers=areas.b)
    assert r.status_code == 201, r.text


def test_a_station_cannot_confirm_a_recall_outside_its_areas_for_a_holder(areas):  # noqa: F811
    from foodtrace.services.safety.recall import start_recall

    start_recall(areas.store, ["ZPIG"], "clenbuterol", by="INS", recall_id="RC-B")
    before = areas.store.counts()["events"]
    r = areas.client.post("/api/v1/recalls/RC-B/confirmations", json={"party": "ZM", "note": "done"}, headers=areas.a)
    assert r.status_code == 403, r.text
    assert areas.store.counts()["events"] == before
    r = areas.client.post("/api/v1/recalls/RC-B/confirmations", json={"party": "ZM", "note": "done"}, headers=areas.b)
    assert r.status_code == 201, r.text


# -- hostile files --------------------------------------------------------------------------------


@pytest.mark.parametrize("body", [b"type,code\ncommission," + b"A" * 200_000 + b"\n",  # one cell of 200,000 characters
                                  b'"' + b"x" * 300_000])  # a quote never closed
def test_a_csv_with_a_cell_past_the_csv_reader_s_limit_is_refused_not_a_500(api, unharmed, body):
    r = api.client.post("/api/v1/ledgers?lang=en", content=body,
                        headers={**api.h("op_M1"), "content-type": "text/csv"})
    assert r.status_code == 422, r.text
    d = r.json()["error"]["details"][0]
    assert d["field"] == "file" and "too long" in d["reason"]
    unharmed()


def _workbook_bomb(chars: int) -> bytes:
    """A real .xlsx of a few hundred kilobytes whose sheet unpacks to ``chars`` characters of one cell."""
    import io
    import zipfile

    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "进货台账"
    wb.active.append(["进货日期", "追溯码"])
    plain = io.BytesIO()
    wb.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain.getvalue())) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                cell = b'<row r="2"><c r="A2" t="inlineStr"><is><t>' + b"A" * chars + b"</t></is></c></row>"
                data = data.replace(b"</sheetData>", cell + b"</sheetData>")
            z.writestr(info, data)
    return out.getvalue()


def test_a_workbook_that_unpacks_to_gigabytes_is_refused_before_it_is_read(api, unharmed):
    """A zip bomb: each 400 kB of it took 840 MB of the server's memory; the body limit (20 MB) let through
    one of some 40 GB."""
    bomb = _workbook_bomb(120_000_000)
    assert len(bomb) < 1_000_000
    r = api.client.post("/api/v1/ledgers?lang=en", content=bomb,
                        headers={**api.h("op_M1"), "content-type": "application/vnd.openxmlformats-officedocument"
                                                                   ".spreadsheetml.sheet"})
    assert r.status_code == 413, r.text
    assert r.json()["error"]["details"][0]["field"] == "file"
    unharmed()


SV = "/api/v1/supervision"
OUTSIDE_A = [  # records about ZM, a supermarket of area B only, as station A would make them
    ("cases", {"source": "inspection", "refs": ["JC-B"]}),
    ("cases", {"source": "inspection", "refs": ["JC-A"], "subjects": ["ZM"]}),
    ("commitments", {"subject": "ZM", "title": "no clenbuterol"}),
    ("trainings", {"topic": "food safety law", "attendees": ["ZM"]}),
    ("destructions", {"goods": "pork", "value_yuan": 100, "reason": "nonconforming", "subjects": ["ZM"]}),
    ("destructions", {"goods": "pork", "value_yuan": 100, "reason": "nonconforming", "lots": ["ZPIG-ZM"]}),
    ("/api/v1/warnings", {"title": "勿食", "text": "该批猪肉检出瘦肉精", "products": ["pork"], "lots": ["ZPIG-ZM"]}),
]


@pytest.mark.parametrize("path,body", OUTSIDE_A)
def test_a_station_records_supervision_only_about_businesses_and_lots_of_its_areas(areas, path, body):  # noqa: F811
    before = areas.store.counts()["events"]
    url = path if path.startswith("/") else f"{SV}/{path}"
    r = areas.client.post(url, json=body, headers=areas.a)
    assert r.status_code == 403, r.text
    assert areas.store.counts()["events"] == before
    assert areas.client.post(url, json=body, headers=areas.b).status_code == 201  # B's station may


def test_a_station_cannot_close_a_case_of_another_area(areas):  # noqa: F811
    r = areas.client.post(f"{SV}/cases", json={"source": "inspection", "refs": ["JC-B"], "case_id": "LA-B"},
                          headers=areas.b)
    assert r.status_code == 201, r.text
    before = areas.store.counts()["events"]
    r = areas.client.post(f"{SV}/cases/LA-B/updates", json={"status": "closed", "note": "closed by A"}, headers=areas.a)
    assert r.status_code == 404, r.text  # as reading it: a case of another area is not there for A
    assert areas.store.counts()["events"] == before
