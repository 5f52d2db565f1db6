"""Round 9: four holes a hostile-operator review found in round 8's code, each shown through the real
HTTP app over a real SQLite file (``api`` from tests/e2e, the areas' stations of
tests/e2e/test_inspector_areas.py). Every test here was stored or answered on the old code.

1. A recall confirmation named any lots, and confirmed a recall that had been retracted.
2. A station (an inspector limited to areas) launched campaigns for other areas or the whole district,
   recorded an inspection about lots of another area, and — through the generic capture route — any
   office record about businesses and lots outside its areas.
3. The market-entry gate's check answered a competitor whether a quantity exceeded what was left of a
   lot, so trying quantities told it the holder's stock (nothing recorded, no trace of the asking).
4. Predictable SB/T codes: the code format names an area and a node, not a party (no party registers
   a node), so there is no party prefix to steal; what a squatter can do is take a code first — a code
   taken is never taken again, by anyone, and the first maker's lot stays as it was.
"""

from __future__ import annotations

import pytest

from foodtrace.ingest.capture import capture
from foodtrace.services.safety.recall import recall_event_id, start_recall
from tests.builders import retract
from tests.e2e.test_inspector_areas import areas  # noqa: F401  (the fixture: stations of areas A and B)

T = "2025-03-20T10:00:00+08:00"


def _post(api, who, body, path="/api/v1/events"):
    return api.client.post(path, json=body, headers=api.h(who) if isinstance(who, str) else who)


def _details(r) -> list[tuple[str, str]]:
    return [(d["field"], d.get("key")) for d in r.json()["error"]["details"]]


def _confirm(lots, party="M1", recall="RC-9"):
    return [{"type": "recall_confirmation", "event_time": T, "party": party, "recall_id": recall, "lots": lots,
             "note": "taken off the shelf"}]


# -- 1. a recall confirmation names the recall's lots, of a recall that stands ----------------------


@pytest.mark.parametrize("lots", [["PIG"], ["RL", "X-ELSEWHERE"], ["CARC"]])
def test_a_confirmation_naming_lots_the_recall_does_not_cover_is_refused(api, unharmed, lots):
    start_recall(api.store, ["WV"], "clenbuterol", by="INS", recall_id="RC-9")  # covers WV and RL, RCPT downstream
    unharmed = _counts(api)
    r = _post(api, "op_M1", _confirm(lots))
    assert r.status_code == 422, r.text
    bad = [i for i, c in enumerate(lots) if c not in ("RL", "WV", "RCPT")]
    assert _details(r) == [(f"lots[{i}]", "recall_lot_not_covered") for i in bad]
    unharmed()
    assert _post(api, "op_M1", _confirm(["RL"])).status_code == 201  # the holder's own affected lot


def test_a_retracted_recall_cannot_be_confirmed(api):
    start_recall(api.store, ["WV"], "clenbuterol", by="INS", recall_id="RC-9")
    capture(api.store, [retract(recall_event_id("RC-9"), reason="wrong lot", party="INS")])
    before = api.store.counts()["events"]
    r = _post(api, "op_M1", _confirm(["RL"]))
    assert r.status_code == 422, r.text
    assert _details(r) == [("recall_id", "recall_retracted_confirm")]
    assert api.store.counts()["events"] == before
    r = _post(api, "op_M1", _confirm(["RL"], recall="RC-NONE"))  # nor a recall that never was
    # (said to a business as "does not name M1": whether a recall exists is not its to learn, refusal_cut)
    assert r.status_code == 422 and _details(r) == [("recall_id", "recall_not_holder")]


def test_the_recall_page_s_own_confirmation_still_works(api):
    start_recall(api.store, ["WV"], "clenbuterol", by="INS", recall_id="RC-9")
    r = api.client.post("/api/v1/recalls/RC-9/confirmations", json={"party": "M1", "note": "done"},
                        headers=api.h("op_M1"))
    assert r.status_code == 201, r.text
    assert "M1" not in r.json()["unconfirmed"]


# -- 2. a station records office work only within its areas -----------------------------------------

SV = "/api/v1/supervision"


def _campaign(areas_=None):
    body = {"name": "整治私屠滥宰", "start": "2025-04-01", "end": "2025-06-30", "scope_kinds": ["supermarket"]}
    return body if areas_ is None else {**body, "scope_areas": areas_}


@pytest.mark.parametrize("scope_areas", [None, [], ["440300"], ["330106", "440300"]])
def test_a_station_cannot_launch_a_campaign_outside_its_areas(areas, scope_areas):  # noqa: F811
    before = areas.store.counts()["events"]
    r = _post(areas, areas.a, _campaign(scope_areas), f"{SV}/campaigns")
    assert r.status_code == 403, r.text
    want = [("scope_areas", "scope_campaign_whole_district")] if not scope_areas else \
        [(f"scope_areas[{scope_areas.index('440300')}]", "scope_area_not_in_areas")]
    assert _details(r) == want
    assert areas.store.counts()["events"] == before
    zh = areas.client.post(f"{SV}/campaigns?lang=zh", json=_campaign(scope_areas), headers=areas.a).json()
    assert "辖区" in zh["error"]["message"] and "areas" not in zh["error"]["message"]


def test_a_station_launches_campaigns_in_its_areas_and_the_district_office_anywhere(areas):  # noqa: F811
    assert _post(areas, areas.a, _campaign(["330106"]), f"{SV}/campaigns").status_code == 201
    assert _post(areas, areas.all, _campaign(), f"{SV}/campaigns").status_code == 201  # the whole district
    assert _post(areas, areas.all, _campaign(["440300"]), f"{SV}/campaigns").status_code == 201


def test_a_station_cannot_inspect_its_own_market_about_another_area_s_lots(areas):  # noqa: F811
    before = areas.store.counts()["events"]
    body = {"subject": "M1", "outcome": "rectification", "inspectors": ["Li"], "findings": ["no invoices"],
            "lots": ["ZPIG"]}  # ZPIG: a far farm's pig that went only to a market of area B
    r = _post(areas, areas.a, body, f"{SV}/inspections")
    assert r.status_code == 403, r.text
    assert _details(r) == [("lots[0]", "scope_chain_outside")]
    assert areas.store.counts()["events"] == before
    assert _post(areas, areas.a, {**body, "lots": ["RL"]}, f"{SV}/inspections").status_code == 201


def test_a_station_cannot_sample_its_own_market_about_another_area_s_lots(areas):  # noqa: F811
    from foodtrace.errors import Forbidden
    from foodtrace.services.supervision.office_records import record_sample

    before = areas.store.counts()["events"]
    with pytest.raises(Forbidden) as err:
        record_sample(areas.store, _station("3301"), "M1", "special", "生猪肉", lots=["ZPIG"], by="INS")
    assert [d["field"] for d in err.value.details] == ["lots[0]"]
    assert areas.store.counts()["events"] == before
    record_sample(areas.store, _station("3301"), "M1", "special", "生猪肉", lots=["RL"], by="INS")


def _station(*codes):
    from foodtrace.model.vocab import Role
    from foodtrace.services.capture.principal import Principal

    return Principal(id=f"station-{codes}", party="INS", role=Role.INSPECTOR, kind="user", areas=codes)


OFFICE_RECORDS_ABOUT_B = [  # office records naming area B's businesses, lots or areas, straight to the write door
    ({"type": "campaign", "campaign_id": "ZX-B", "name": "整治", "start": "2025-04-01", "end": "2025-05-01",
      "scope_kinds": ["supermarket"], "scope_areas": ["440300"]}, "scope_areas[0]"),
    ({"type": "inspection", "inspection_id": "JC-Z", "subject": "ZM", "inspectors": ["Li"], "outcome": "no_problem"},
     "subject"),
    ({"type": "sampling", "sample_id": "CY-Z", "subject": "M1", "program": "special", "item": "猪肉",
      "lots": ["ZPIG"]}, "lots[0]"),
    ({"type": "training", "training_id": "PX-Z", "topic": "food safety law", "attendees": ["M1", "ZM"]},
     "attendees[1]"),
    ({"type": "commitment", "commitment_id": "CN-Z", "subject": "ZM", "title": "no clenbuterol"}, "subject"),
    ({"type": "consumption_warning", "warning_id": "XF-Z", "title": "勿食", "text": "该批猪肉检出瘦肉精",
      "products": ["pork"], "lots": ["ZPIG-ZM"]}, "lots[0]"),
    ({"type": "enforcement_case", "case_id": "LA-Z", "subjects": ["ZM"], "source": "inspection", "summary": "无票"},
     "subjects[0]"),
    ({"type": "recall", "recall_id": "RC-Z", "lots": ["ZPIG"], "reason": "clenbuterol"}, "lots[0]"),
]


@pytest.mark.parametrize("ev,field", OFFICE_RECORDS_ABOUT_B, ids=lambda e: e["type"] if isinstance(e, dict) else "")
def test_the_write_door_keeps_a_station_s_records_within_its_areas(areas, ev, field):  # noqa: F811
    """Whatever route a record comes by, the door refuses it (403) when it names a business, a lot or an
    area outside the station's areas; the station of B records the same."""
    from foodtrace.errors import Forbidden
    from foodtrace.services.capture.door import record

    body = [{**ev, "event_time": T, "party": "INS"}]
    before = areas.store.counts()["events"]
    with pytest.raises(Forbidden) as err:
        record(areas.store, _station("3301"), body)
    assert err.value.key == "door_outside_areas"
    assert [d["field"] for d in err.value.details] == [field]
    assert areas.store.counts()["events"] == before
    if "M1" not in str(ev):  # M1 is not in B
        record(areas.store, _station("4403"), body)
        assert areas.store.counts()["events"] == before + 1
    record(areas.store, _station(), [{**body[0], **({"campaign_id": "ZX-ALL"} if ev["type"] == "campaign" else {}),
                                      "event_id": "urn:test:all"}])  # an inspector of the whole district


# -- 3. the entry gate's check does not answer a competitor how much is left of a lot ---------------


def test_the_gate_check_answers_a_stranger_the_same_whatever_the_quantity(api):
    """WV: W1 made 100 kg and passed 40 on; trying 10 and 100,000 kg used to tell X1 whether W1 had
    that much (a binary search told the stock). The quantity is checked when a receipt is recorded
    (POST /api/v1/receipts), which leaves an entry_refusal naming the asker in the log."""
    before = api.store.counts()
    answers = [api.client.get(f"/api/v1/entry/WV?receiver=X1&quantity={q}", headers=api.h("op_X1")).json()
               for q in (10, 61, 100_000)]
    assert [a["accept"] for a in answers] == [answers[0]["accept"]] * 3
    assert [[x["code"] for x in a["reasons"]] for a in answers] == [[x["code"] for x in answers[0]["reasons"]]] * 3
    assert all("quantity_exceeds" not in str(a) for a in answers)
    assert api.store.counts() == before
    # the inspector reads the whole decision, the number left included
    full = api.client.get("/api/v1/entry/WV?receiver=X1&quantity=100000", headers=api.h("inspector")).json()
    assert next(x for x in full["reasons"] if x["code"] == "quantity_exceeds")["data"]["left"] == 60


def test_the_receipt_still_refuses_more_than_the_supplier_holds(api):
    body = {"code": "WV", "receiver": "X1", "supplier": "W1", "quantity": 61, "unit": "kg", "document": "X1-D"}
    r = _post(api, "op_X1", body, "/api/v1/receipts")
    assert r.status_code == 201, r.text
    d = r.json()
    assert d["decision"] == "reject" and [x["code"] for x in d["reasons"]] == ["quantity_not_covered"]
    assert "60" not in str(d["reasons"])  # what W1 still holds is not told
    ev = api.store.get_events([d["event_id"]])[d["event_id"]].event
    assert ev.type == "entry_refusal" and ev.party == "X1"  # the asking is on record


def test_a_receipt_expecting_the_check_s_accept_records_the_quantity_refusal_not_a_silent_409(api):
    """The clerk's ``expect`` is compared with what the check showed (no quantity for a stranger): a
    quantity too large is refused on record, not answered 409 with nothing recorded (another oracle)."""
    body = {"code": "WV", "receiver": "X1", "supplier": "W1", "quantity": 61, "unit": "kg", "document": "X1-D",
            "expect": "reject"}
    before = api.store.counts()["events"]
    assert _post(api, "op_X1", body, "/api/v1/receipts").status_code == 409  # the check said nothing against it
    assert api.store.counts()["events"] == before
    check = api.client.get("/api/v1/entry/WV?receiver=X1&quantity=61", headers=api.h("op_X1")).json()
    r = _post(api, "op_X1", {**body, "expect": "accept" if check["accept"] else "reject"}, "/api/v1/receipts")
    assert r.status_code == 201, r.text
    assert "quantity_not_covered" in {x["code"] for x in r.json()["reasons"]}
    assert api.store.counts()["events"] == before + 1


def test_a_holder_asking_about_its_own_lot_reads_the_quantity_reason(api):
    r = api.client.get("/api/v1/entry/WV?receiver=W1&quantity=100000", headers=api.h("op_W1")).json()
    assert "quantity_exceeds" in {x["code"] for x in r["reasons"]}


# -- 4. a code taken is never taken again ------------------------------------------------------------

SBT = "3301061101202503200000001"  # SB/T 10680 style: area 330106, node 1101, 2025-03-20, serial 1


def _commission(party, code):
    return [{"type": "commission", "event_time": T, "party": party,
             "lots": [{"code": code, "product": "live_pig", "quantity": 5, "unit": "head"}]}]


@pytest.mark.parametrize("code", ["PIG", SBT])
def test_a_code_another_party_made_cannot_be_made_again(api, code):
    if code == SBT:
        assert _post(api, "op_F1", _commission("F1", SBT)).status_code == 201
    before = api.store.counts()["events"]
    r = _post(api, "op_X1", _commission("X1", code))
    assert r.status_code == 422, r.text
    assert _details(r) == [("lots[0].code", "store_lot_exists_unseen")]  # not F1's event: X1 may not read the lot
    assert api.store.counts()["events"] == before
    lot = api.client.get(f"/api/v1/lots/{code}/backward", headers=api.h("inspector")).json()["lots"][0]
    assert lot["made_by"]["party"] == "F1"


def test_a_squatted_sbt_code_stays_the_squatter_s_and_the_farm_s_own_is_refused_not_merged(api):
    """Taking a code first (the next serial of a farm) is possible — the format names no party — but it
    makes the squatter the lot's maker on record, and the farm's own lot is refused, not merged."""
    assert _post(api, "op_X1", _commission("X1", SBT)).status_code == 201
    r = _post(api, "op_F1", _commission("F1", SBT))
    assert r.status_code == 422 and _details(r) == [("lots[0].code", "store_lot_exists_unseen")]
    lot = api.client.get(f"/api/v1/lots/{SBT}/backward", headers=api.h("inspector")).json()["lots"][0]
    assert lot["made_by"]["party"] == "X1"


def _counts(api):
    before = api.store.counts()["events"]

    def check():
        assert api.store.counts()["events"] == before, "the attack stored something"
        assert api.client.get("/l/RCPT", headers={"accept": "text/html"}).status_code == 200
    return check


# -- 5. a lot planted on a code before its maker made it ---------------------------------------------


def test_a_lot_claimed_from_a_code_its_maker_never_handed_over_is_not_shown_as_the_maker_s(api):
    """X1 ships a farm's next SB/T code (nobody has made it: a placeholder is allowed, partners report
    before their suppliers) under a new code of its own; the farm then makes that code. The new lot's trace
    runs to the farm, but no handoff put the farm's lot in X1's hands: the shopper reads that its source
    cannot be verified, the office sees the break held against X1, and the farm's own products are untouched."""
    ship = [{"type": "handoff", "event_time": T, "party": "X1", "action": "ship", "from_party": "X1",
             "to_party": "M1", "lot": {"code": SBT, "quantity": 5, "unit": "head"}, "document": "D-X",
             "new_lot": {"code": "X-FAKE", "product": "live_pig", "quantity": 5, "unit": "head"}}]
    assert _post(api, "op_X1", ship).status_code == 201
    assert _post(api, "op_F1", _commission("F1", SBT)).status_code == 201
    view = api.client.get("/api/v1/public/lots/X-FAKE").json()
    assert view["origins"][0]["name"] == "Green Farm"  # what the trace says...
    assert view["verdict"] == "incomplete"  # ...and why it cannot be believed
    assert "custody_gap" in [r["code"] for r in view["verdict_reasons"]]
    page = api.client.get("/l/X-FAKE", headers={"accept-language": "zh-CN"}).text
    assert "没有收货记录" in page
    found = [(a["code"], a["lot"], a["party"]) for a in
             api.client.get("/api/v1/check", headers=api.h("inspector")).json()["anomalies"]]
    assert ("custody_gap", "X-FAKE", "X1") in found
    assert not any(a[0] == "custody_gap" and a[1] != "X-FAKE" for a in found)
    assert api.client.get("/api/v1/public/lots/RCPT").json()["verdict"] == "pass"  # the real chain
