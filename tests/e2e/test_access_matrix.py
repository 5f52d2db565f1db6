"""Every role against every route of the app, and for every write route a key
of one party writing for another: 403 and nothing stored."""

from __future__ import annotations

from datetime import date
import re

import pytest

from foodtrace.ingest.capture import capture
from foodtrace.services.admin.users import create_user
from tests.builders import actor, T0, cert, handoff, register, retract, sale, with_id
from tests.e2e.conftest import PASSWORD

# Callers: no key, admin, inspector, the operator of M1 (the supermarket that holds RL / sold RCPT), the
# operator of X1 (a supermarket the lot never reached), a viewer (reads reports only) — by API key; and
# signed-in people (s_…: a session cookie with its CSRF token) of the same roles, who get what the key gets;
# s_station is an inspector whose areas (3301) hold the whole pork chain: it gets what an inspector gets
# (what areas leave out is tests/e2e/test_inspector_areas.py).
ROLES = ("none", "admin", "inspector", "op_M1", "op_X1", "viewer", "s_admin", "s_inspector", "s_station", "s_op_M1",
         "s_viewer")
REPORTS = {"/api/v1/reports/district", "/reports/district"}  # a viewer's only reads


def expected_status(expected: dict[str, int], role: str, template: str) -> int:
    """The status of ``role``: a session gets its key's; a viewer what no key gets on public routes,
    200 on the reports and 403 elsewhere."""
    role = {"s_station": "inspector"}.get(role, role[2:] if role.startswith("s_") else role)
    if role != "viewer":
        return expected[role]
    if template in REPORTS:
        return 200
    return 200 if expected["none"] == 200 else 403


def epcis_doc(party: str, lot: str = "998877") -> dict:
    """A one-event EPCIS 2.0 document: ``party`` commissions 10 kg of a GS1 lot."""
    return {"@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"], "type": "EPCISDocument",
            "schemaVersion": "2.0", "creationDate": "2025-03-01T08:00:00+08:00",
            "epcisBody": {"eventList": [{
                "type": "ObjectEvent", "eventTime": "2025-03-01T08:00:00+08:00", "eventTimeZoneOffset": "+08:00",
                "action": "ADD", "bizStep": "commissioning", "bizLocation": {"id": f"urn:foodtrace:party:{party}"},
                "quantityList": [{"epcClass": f"urn:epc:class:lgtin:4012345.012345.{lot}", "quantity": 10,
                                  "uom": "KGM"}]}]}}


def seed_office(api) -> dict[str, str]:
    """A recall of WV (it names W1 and M1), a complaint on RL, a failed test on RL, an inspection of M1,
    a campaign, an enforcement case; their ids."""
    from foodtrace.services import supervision as sv
    from foodtrace.services.safety.complaints import file_complaint
    from foodtrace.services.safety.recall import start_recall

    start_recall(api.store, ["WV"], "test recall", by="INS", recall_id="RC-1")
    file_complaint(api.store, ["RL"], "bad smell", by="INS", complaint_id="TS-1")
    failed = with_id(cert(["RL"], "pesticide_rapid_test", result="fail", issuer="M1"), "failed-test-1")
    capture(api.store, [failed])
    office = actor("inspector", "INS")
    sv.record_inspection(api.store, office, "M1", "no_problem", ["Li"], inspection_id="JC-1")
    sv.start_campaign(api.store, office, "spring", date(2025, 3, 1), date(2025, 3, 31), ["supermarket"],
                      campaign_id="ZX-1")
    sv.open_case(api.store, office, "inspection", refs=["JC-1"], lots=["RL"], case_id="AJ-1")
    return {"{RC}": "RC-1", "{TS}": "TS-1", "{TEST}": "failed-test-1", "{JC}": "JC-1", "{ZX}": "ZX-1",
            "{AJ}": "AJ-1"}


def _key_id(api, who="op_F1"):
    return api.client.get("/api/v1/me", headers=api.h(who)).json()["key_id"]


INSPECTORS = {"none": 401, "admin": 200, "inspector": 200, "op_M1": 403, "op_X1": 403}
OFFICE_WRITES = {**INSPECTORS, "admin": 201, "inspector": 201}
ANY_KEY = {"none": 401, "admin": 200, "inspector": 200, "op_M1": 200, "op_X1": 200}

# (method, path template as in OpenAPI, concrete path, body, {role: expected status})
ROUTES = [
    ("POST", "/api/v1/events", "/api/v1/events", lambda a: [sale("RL", "R-NEW", party="M1")],
     {"none": 401, "admin": 201, "inspector": 403, "op_M1": 201, "op_X1": 403}),
    ("POST", "/api/v1/receipts", "/api/v1/receipts",
     lambda a: {"code": "WV", "receiver": "M1", "quantity": 5, "unit": "kg", "document": "PZ-9"},
     {"none": 401, "admin": 201, "inspector": 403, "op_M1": 201, "op_X1": 403}),
    ("POST", "/api/v1/epcis/capture", "/api/v1/epcis/capture", lambda a: epcis_doc("M1"),
     {"none": 401, "admin": 201, "inspector": 403, "op_M1": 201, "op_X1": 403}),
    ("GET", "/api/v1/lots/{code}/epcis", "/api/v1/lots/RL/epcis", None,
     {"none": 401, "admin": 200, "inspector": 200, "op_M1": 200, "op_X1": 403}),
    ("GET", "/api/v1/lots/{code}/fsma.xlsx", "/api/v1/lots/RL/fsma.xlsx", None,
     {"none": 401, "admin": 200, "inspector": 200, "op_M1": 200, "op_X1": 403}),
    ("GET", "/api/v1/lots/{code}", "/api/v1/lots/RL", None,
     {"none": 401, "admin": 200, "inspector": 200, "op_M1": 200, "op_X1": 403}),
    ("GET", "/api/v1/lots/{code}/backward", "/api/v1/lots/RL/backward", None,
     {"none": 401, "admin": 200, "inspector": 200, "op_M1": 200, "op_X1": 403}),
    ("GET", "/api/v1/lots/{code}/forward", "/api/v1/lots/RL/forward", None,
     {"none": 401, "admin": 200, "inspector": 200, "op_M1": 200, "op_X1": 403}),
    # need to know: M1 reads one step up (WV, its supplier's lot) but not two (CARC, PIG)
    ("GET", "/api/v1/lots/{code}/backward", "/api/v1/lots/WV/backward", None,
     {"none": 401, "admin": 200, "inspector": 200, "op_M1": 200, "op_X1": 403}),
    ("GET", "/api/v1/lots/{code}", "/api/v1/lots/CARC", None,
     {"none": 401, "admin": 200, "inspector": 200, "op_M1": 403, "op_X1": 403}),
    ("GET", "/api/v1/lots/{code}/forward", "/api/v1/lots/PIG/forward", None,
     {"none": 401, "admin": 200, "inspector": 200, "op_M1": 403, "op_X1": 403}),
    ("GET", "/api/v1/lots/{code}/epcis", "/api/v1/lots/CARC/epcis", None,
     {"none": 401, "admin": 200, "inspector": 200, "op_M1": 403, "op_X1": 403}),
    ("GET", "/api/v1/public/lots/{code}", "/api/v1/public/lots/RCPT", None, dict.fromkeys(ROLES, 200)),
    ("GET", "/api/v1/lots/{code}/qr.{fmt}", "/api/v1/lots/RL/qr.svg", None,
     {"none": 401, "admin": 200, "inspector": 200, "op_M1": 200, "op_X1": 403}),
    ("GET", "/api/v1/lots/{code}/graph", "/api/v1/lots/RL/graph", None, INSPECTORS),
    ("GET", "/api/v1/lots/{code}/trace.csv", "/api/v1/lots/RL/trace.csv", None, INSPECTORS),
    ("GET", "/api/v1/search", "/api/v1/search?q=PIG", None,
     {"none": 401, "admin": 200, "inspector": 200, "op_M1": 403, "op_X1": 403}),
    ("POST", "/api/v1/parties", "/api/v1/parties",
     lambda a: {"id": "NEW1", "name": "New Market", "kind": "farmers_market", "area_code": "330106",
                "registered_on": "2024-01-01"},
     {"none": 401, "admin": 201, "inspector": 403, "op_M1": 403, "op_X1": 403}),
    ("GET", "/api/v1/parties/{party_id}", "/api/v1/parties/M1", None,
     {"none": 401, "admin": 200, "inspector": 200, "op_M1": 200, "op_X1": 403}),
    ("POST", "/api/v1/keys", "/api/v1/keys", lambda a: {"party": "M1", "role": "operator"},
     {"none": 401, "admin": 201, "inspector": 403, "op_M1": 403, "op_X1": 403}),
    ("GET", "/api/v1/keys", "/api/v1/keys", None,
     {"none": 401, "admin": 200, "inspector": 403, "op_M1": 403, "op_X1": 403}),
    ("DELETE", "/api/v1/keys/{key_id}", "/api/v1/keys/{F1}", None,
     {"none": 401, "admin": 200, "inspector": 403, "op_M1": 403, "op_X1": 403}),
    # people's accounts (admin): worker.one is made before each of these
    ("GET", "/api/v1/users", "/api/v1/users", None,
     {"none": 401, "admin": 200, "inspector": 403, "op_M1": 403, "op_X1": 403}),
    ("POST", "/api/v1/users", "/api/v1/users",
     lambda a: {"login": "new.clerk", "name": "新店员", "party": "M1", "role": "operator",
                "password": "a-new-password-1"},
     {"none": 401, "admin": 201, "inspector": 403, "op_M1": 403, "op_X1": 403}),
    ("POST", "/api/v1/users/{login}/disable", "/api/v1/users/worker.one/disable", None,
     {"none": 401, "admin": 200, "inspector": 403, "op_M1": 403, "op_X1": 403}),
    ("POST", "/api/v1/users/{login}/enable", "/api/v1/users/worker.one/enable", None,
     {"none": 401, "admin": 200, "inspector": 403, "op_M1": 403, "op_X1": 403}),
    ("POST", "/api/v1/users/{login}/password", "/api/v1/users/worker.one/password",
     lambda a: {"password": "a-new-password-2"},
     {"none": 401, "admin": 200, "inspector": 403, "op_M1": 403, "op_X1": 403}),
    ("GET", "/api/v1/me", "/api/v1/me", None,
     {"none": 401, "admin": 200, "inspector": 200, "op_M1": 200, "op_X1": 200}),
    ("GET", "/api/v1/check", "/api/v1/check", None, INSPECTORS),
    ("GET", "/api/v1/entry/{code}", "/api/v1/entry/WV?receiver=M1&quantity=5", None,
     {"none": 401, "admin": 200, "inspector": 200, "op_M1": 200, "op_X1": 403}),
    ("POST", "/api/v1/recalls", "/api/v1/recalls", lambda a: {"codes": ["WV"], "reason": "clenbuterol"},
     {**INSPECTORS, "admin": 201, "inspector": 201}),
    ("POST", "/api/v1/recalls/from-test", "/api/v1/recalls/from-test", lambda a: {"event_id": "{TEST}"},
     {**INSPECTORS, "admin": 201, "inspector": 201}),
    ("GET", "/api/v1/recalls/{recall_id}", "/api/v1/recalls/{RC}", None,
     {"none": 401, "admin": 200, "inspector": 200, "op_M1": 200, "op_X1": 403}),
    ("POST", "/api/v1/recalls/{recall_id}/confirmations", "/api/v1/recalls/{RC}/confirmations",
     lambda a: {"party": "M1", "note": "off the shelf"},
     {"none": 401, "admin": 201, "inspector": 201, "op_M1": 201, "op_X1": 403}),
    ("GET", "/api/v1/recall-status/{code}", "/api/v1/recall-status/RL", None,
     {"none": 401, "admin": 200, "inspector": 200, "op_M1": 200, "op_X1": 200}),
    ("GET", "/api/v1/investigation", "/api/v1/investigation?code=RL", None, INSPECTORS),
    ("GET", "/api/v1/complaints", "/api/v1/complaints", None, INSPECTORS),
    ("POST", "/api/v1/complaints", "/api/v1/complaints", lambda a: {"lots": ["RL"], "description": "smell"},
     {**INSPECTORS, "admin": 201, "inspector": 201}),
    ("GET", "/api/v1/complaints/{complaint_id}", "/api/v1/complaints/{TS}", None, INSPECTORS),
    ("POST", "/api/v1/complaints/{complaint_id}/acceptance", "/api/v1/complaints/{TS}/acceptance",
     lambda a: {"note": "screened"}, {**INSPECTORS, "admin": 201, "inspector": 201}),
    ("POST", "/api/v1/complaints/{complaint_id}/links", "/api/v1/complaints/{TS}/links",
     lambda a: {"case": "CASE-1"}, {**INSPECTORS, "admin": 201, "inspector": 201}),
    ("POST", "/api/v1/complaints/{complaint_id}/closure", "/api/v1/complaints/{TS}/closure",
     lambda a: {"resolution": "supplier fined"}, {**INSPECTORS, "admin": 201, "inspector": 201}),
    # supervision (services/supervision/access.py): the office writes and reads; an operator reads its own inspections
    ("POST", "/api/v1/supervision/inspections", "/api/v1/supervision/inspections",
     lambda a: {"subject": "M1", "outcome": "no_problem", "inspectors": ["Li"]}, OFFICE_WRITES),
    ("GET", "/api/v1/supervision/inspections", "/api/v1/supervision/inspections", None, ANY_KEY),
    ("GET", "/api/v1/supervision/inspections/{inspection_id}", "/api/v1/supervision/inspections/{JC}", None,
     {"none": 401, "admin": 200, "inspector": 200, "op_M1": 200, "op_X1": 404}),  # not its own: not there
    ("POST", "/api/v1/supervision/campaigns", "/api/v1/supervision/campaigns",
     lambda a: {"name": "canteens", "start": "2025-03-01", "end": "2025-03-31", "scope_kinds": ["supermarket"],
                "scope_areas": ["330106"]},  # the station's (3301): a campaign of the whole district is not its to launch
     OFFICE_WRITES),
    ("GET", "/api/v1/supervision/campaigns", "/api/v1/supervision/campaigns", None, INSPECTORS),
    ("GET", "/api/v1/supervision/campaigns/{campaign_id}", "/api/v1/supervision/campaigns/{ZX}", None, INSPECTORS),
    ("POST", "/api/v1/supervision/cases", "/api/v1/supervision/cases",
     lambda a: {"source": "inspection", "refs": ["{JC}"], "lots": ["RL"]}, OFFICE_WRITES),
    ("GET", "/api/v1/supervision/cases", "/api/v1/supervision/cases", None, INSPECTORS),
    ("GET", "/api/v1/supervision/cases/{case_id}", "/api/v1/supervision/cases/{AJ}", None, INSPECTORS),
    ("GET", "/api/v1/supervision/cases/{case_id}/evidence", "/api/v1/supervision/cases/{AJ}/evidence", None,
     INSPECTORS),
    ("POST", "/api/v1/supervision/cases/{case_id}/updates", "/api/v1/supervision/cases/{AJ}/updates",
     lambda a: {"status": "closed"}, OFFICE_WRITES),
    ("POST", "/api/v1/supervision/trainings", "/api/v1/supervision/trainings",
     lambda a: {"topic": "hygiene", "attendees": ["M1"]}, OFFICE_WRITES),
    ("GET", "/api/v1/supervision/trainings", "/api/v1/supervision/trainings", None, INSPECTORS),
    ("POST", "/api/v1/warnings", "/api/v1/warnings",
     lambda a: {"title": "蔬菜消费提示", "text": "食用前浸泡清洗", "products": ["cabbage"], "lots": ["RL"]},
     {"none": 401, "admin": 201, "inspector": 201, "op_M1": 403, "op_X1": 403}),
    ("GET", "/api/v1/public/warnings", "/api/v1/public/warnings", None, dict.fromkeys(ROLES, 200)),
    ("POST", "/api/v1/supervision/commitments", "/api/v1/supervision/commitments",
     lambda a: {"subject": "M1", "title": "承诺书"}, OFFICE_WRITES),
    ("GET", "/api/v1/supervision/commitments", "/api/v1/supervision/commitments", None, INSPECTORS),
    ("POST", "/api/v1/supervision/destructions", "/api/v1/supervision/destructions",
     lambda a: {"goods": "spoiled pork", "value_yuan": 100, "reason": "expired"}, OFFICE_WRITES),
    ("GET", "/api/v1/supervision/destructions", "/api/v1/supervision/destructions", None, INSPECTORS),
    ("GET", "/api/v1/supervision/risk", "/api/v1/supervision/risk", None, INSPECTORS),
    ("GET", "/api/v1/supervision/figures", "/api/v1/supervision/figures", None, INSPECTORS),
    ("GET", "/api/v1/supervision/lots/{code}", "/api/v1/supervision/lots/RL", None, ANY_KEY),
    ("GET", "/api/v1/reports/district", "/api/v1/reports/district?from=2025-03-01&to=2025-03-31", None, INSPECTORS),
    ("GET", "/reports/district", "/reports/district?from=2025-03-01&to=2025-03-31", None, INSPECTORS),  # its page
    ("GET", "/l/{code}", "/l/RCPT", None, dict.fromkeys(ROLES, 200)),  # the consumer's browser page
    # ledgers: a sales ledger of the key's own party (X1 holds no RL: custody refuses it, 422)
    ("POST", "/api/v1/ledgers", "/api/v1/ledgers",
     lambda a: "销售日期,小票追溯码,追溯码,数量,单位\n2025-03-02,R-LEDGER,RL,1,千克\n".encode(),
     {"none": 401, "admin": 201, "inspector": 403, "op_M1": 201, "op_X1": 422}),
    ("GET", "/api/v1/public/templates/{kind}.xlsx", "/api/v1/public/templates/purchase.xlsx", None,
     dict.fromkeys(ROLES, 200)),
    ("POST", "/api/v1/stall/purchases", "/api/v1/stall/purchases",
     lambda a: {"code": "WV", "supplier": "W1", "quantity": 10, "unit": "斤"},
     {"none": 401, "admin": 422, "inspector": 403, "op_M1": 201, "op_X1": 201}),  # admin: no business of its own
    ("POST", "/api/v1/stall/sales", "/api/v1/stall/sales", lambda a: {"code": "RL", "quantity": 1, "unit": "千克"},
     {"none": 401, "admin": 201, "inspector": 403, "op_M1": 201, "op_X1": 422}),
    ("GET", "/api/v1/stall/ledger", "/api/v1/stall/ledger?from=2025-03-01&to=2025-03-31", None, ANY_KEY),
    ("GET", "/api/v1/stall/ledger.xlsx", "/api/v1/stall/ledger.xlsx?from=2025-03-01&to=2025-03-31", None, ANY_KEY),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method,template,path,body,expected", ROUTES, ids=[f"{r[0]} {r[1]}" for r in ROUTES])
def test_access_matrix(api, role, method, template, path, body, expected):
    path = path.replace("{F1}", _key_id(api))
    payload = body(api) if body else None
    if re.search(r"\{[A-Z0-9]+\}", path + str(payload)):
        ids = seed_office(api)
        for k, v in ids.items():
            path = path.replace(k, v)
        if isinstance(payload, dict):
            sub = lambda x: ids.get(x, x) if isinstance(x, str) else x  # noqa: E731
            payload = {k: [sub(x) for x in v] if isinstance(v, list) else sub(v) for k, v in payload.items()}
    if "/api/v1/users/" in path:
        create_user(api.store, "worker.one", "一号员工", "M1", "operator", PASSWORD)
    headers = api.h(None if role == "none" else role)  # a person's account and sign-in are made first
    before = api.store.counts()["events"]
    send = {"content": payload} if isinstance(payload, bytes) else {"json": payload}  # a spreadsheet as it is
    r = api.client.request(method, path, headers=headers, **send)
    assert r.status_code == expected_status(expected, role, template), r.text
    if r.status_code >= 400:
        assert api.store.counts()["events"] == before  # a refused request stores nothing
        assert set(r.json()["error"]) == {"code", "message", "details", "request_id"}
    if r.status_code == 401:
        assert r.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("path", ["/api/v1/lots/RL/backward", "/api/v1/lots/WV/forward"])
def test_an_operator_s_trace_is_cut_to_its_step_and_an_inspector_s_is_whole(api, path):
    mine = api.client.get(path, headers=api.h("op_M1")).json()
    whole = api.client.get(path, headers=api.h("inspector")).json()
    assert {n["code"] for n in mine["lots"]} == {"RL", "WV"} | ({"RCPT"} if path.endswith("forward") else set())
    assert not {"PIG", "CARC", "F1", "S1"} & ({n["code"] for n in mine["lots"]} | set(mine["parties"]))
    if path.endswith("backward"):
        assert {"PIG", "CARC"} <= {n["code"] for n in whole["lots"]}
    else:
        assert "RCPT" in {n["code"] for n in whole["lots"]}


def test_the_matrix_covers_every_route_of_the_openapi_document(api):
    doc = api.client.get("/openapi.json").json()
    served = {(m.upper(), p) for p, ops in doc["paths"].items() for m in ops}
    assert served == {(m, t) for m, t, *_ in ROUTES if t.startswith("/api/")}


# -- party A writing for party B: 403, nothing stored ---------------------------------------------

FOREIGN_WRITES = {
    "event acted by another party": ("POST", "/api/v1/events", [sale("RL", "R-X", party="M1")]),
    "handoff between two others": ("POST", "/api/v1/events", [handoff("WV", new="RL-X", src="W1", dst="M1")]),
    "handoff W1 -> M1 recorded as by W1": (
        "POST", "/api/v1/events", [{**handoff("WV", src="W1", dst="M1"), "party": "W1"}]),
    "certificate by another party": ("POST", "/api/v1/events", [cert(["RL"], "pesticide_rapid_test", issuer="M1")]),
    "one foreign event in a good batch": (
        "POST", "/api/v1/events", [sale("RL-OWN", "R-OWN", party="X1"), sale("RL", "R-Y", party="M1")]),
    "party registration": ("POST", "/api/v1/events", [register("X1", "supermarket", "renamed")]),
    "EPCIS document of another party": ("POST", "/api/v1/epcis/capture", epcis_doc("M1")),
    "receipt for another receiver": (
        "POST", "/api/v1/receipts", {"code": "WV", "receiver": "M1", "quantity": 5, "unit": "kg", "document": "D"}),
    "register a party": ("POST", "/api/v1/parties", {"id": "X2", "name": "n", "kind": "supermarket",
                                                     "area_code": "330106", "registered_on": "2024-01-01"}),
    "issue a key for another party": ("POST", "/api/v1/keys", {"party": "M1", "role": "operator"}),
    "issue an admin key for oneself": ("POST", "/api/v1/keys", {"party": "X1", "role": "admin"}),
    "a recall as an event": ("POST", "/api/v1/events", [{
        "type": "recall", "event_time": T0, "party": "X1", "recall_id": "RC-X", "lots": ["RL"], "reason": "spite"}]),
    "a complaint as an event": ("POST", "/api/v1/events", [{
        "type": "complaint", "event_time": T0, "party": "X1", "complaint_id": "TS-X", "lots": ["RL"],
        "description": "spite"}]),
    "the gate asked as another receiver": ("GET", "/api/v1/entry/WV?receiver=M1&quantity=1", None),
    "an inspection as an event": ("POST", "/api/v1/events", [{
        "type": "inspection", "event_time": T0, "party": "X1", "inspection_id": "JC-X", "subject": "M1",
        "inspectors": ["me"], "outcome": "suspension", "findings": ["made up"]}]),
}


@pytest.mark.parametrize("what", FOREIGN_WRITES)
def test_a_key_of_one_party_cannot_write_for_another(api, what):
    method, path, body = FOREIGN_WRITES[what]
    before, keys_before = api.store.counts(), api.store.api_keys()
    r = api.client.request(method, path, headers=api.h("op_X1"), json=body)
    assert r.status_code == 403, r.text
    assert r.json()["error"]["code"] == "forbidden"
    assert api.store.counts() == before and api.store.api_keys() == keys_before


def test_revoking_a_key_needs_admin_and_leaves_it_working(api):
    kid = _key_id(api, "op_M1")
    r = api.client.delete(f"/api/v1/keys/{kid}", headers=api.h("op_X1"))
    assert r.status_code == 403
    assert api.client.get("/api/v1/me", headers=api.h("op_M1")).status_code == 200


def test_forbidden_details_name_each_event_and_field(api):
    batch = [sale("RL-OWN", "R-1", party="X1"), sale("RL", "R-2", party="M1"),
             {**handoff("WV", src="W1", dst="M1"), "party": "X1"}]
    r = api.client.post("/api/v1/events", headers=api.h("op_X1"), json=batch)
    assert r.status_code == 403
    assert [(d["position"], d["field"]) for d in r.json()["error"]["details"]] == [(1, "party"), (2, "to_party")]


def test_a_ship_is_the_shippers_and_a_receive_the_receivers(api):
    shipped_to_x1 = {**handoff("WV", new="X1-LOT", src="W1", dst="X1", qty=5), "party": "W1"}
    r = api.client.post("/api/v1/events", headers=api.h("op_X1"), json=[shipped_to_x1])
    assert r.status_code == 403  # X1 may not record an event whose author is W1
    assert r.json()["error"]["details"][0]["field"] == "party"
    ship = {**handoff("WV", src="W1", dst="X1", qty=5, time="2025-03-02T08:00:00+08:00"), "party": "W1",
            "action": "ship"}
    r = api.client.post("/api/v1/events", headers=api.h("op_W1"), json=[ship])
    assert r.status_code == 201, r.text  # W1 ships what it holds
    received = {**handoff("WV", new="X1-LOT", src="W1", dst="X1", qty=5, time="2025-03-02T09:00:00+08:00"),
                "action": "receive"}
    r = api.client.post("/api/v1/events", headers=api.h("op_X1"), json=[received])
    assert r.status_code == 201, r.text  # X1 receives what was shipped to it
    assert api.client.get("/api/v1/lots/X1-LOT", headers=api.h("op_X1")).status_code == 200


def test_key_events_and_their_retraction_are_refused_even_for_admin(api):
    issued = next(e for e in (se.event for se in api.store.iter_log()) if e.type == "api_key_issued")
    forged = {"type": "api_key_issued", "event_time": T0, "party": "X1", "key_id": "k_" + "a" * 16,
              "key_hash": "a" * 64, "holder": "X1", "role": "admin"}
    for who, batch in (("op_X1", [forged]), ("admin", [forged]), ("admin", [retract(issued.event_id, party="ADMIN")])):
        before = api.store.counts()
        r = api.client.post("/api/v1/events", headers=api.h(who), json=batch)
        assert r.status_code == 403, r.text
        assert api.store.counts() == before
    assert api.store.api_key("a" * 64) is None


def test_operator_retracts_only_its_own_events(api):
    own = with_id(sale("RL", "R-OWN-1", party="M1"), "m1-sale")
    assert api.client.post("/api/v1/events", headers=api.h("op_M1"), json=[own]).status_code == 201
    foreign = next(se.event for se in api.store.iter_log() if se.event.type == "transformation")  # S1's slaughter
    r = api.client.post("/api/v1/events", headers=api.h("op_M1"), json=[retract(foreign.event_id, party="M1")])
    assert r.status_code == 403 and r.json()["error"]["details"][0]["field"] == "retracts[0]"
    r = api.client.post("/api/v1/events", headers=api.h("op_M1"), json=[retract("m1-sale", party="M1")])
    assert r.status_code == 201
    assert api.store.get_events(["m1-sale"])["m1-sale"].retracted_by is not None


@pytest.mark.parametrize("path,body", [
    ("/api/v1/recalls", {"codes": ["WV"], "reason": "x", "by": "REG"}),
    ("/api/v1/complaints", {"lots": ["RL"], "description": "x", "by": "REG"}),
])
def test_an_inspector_records_as_its_own_party_only(api, path, body):
    before = api.store.counts()
    r = api.client.post(path, headers=api.h("inspector"), json=body)
    assert r.status_code == 403 and r.json()["error"]["details"][0]["field"] == "by"
    assert api.store.counts() == before
    r = api.client.post(path, headers=api.h("inspector"), json={k: v for k, v in body.items() if k != "by"})
    assert r.status_code == 201
    assert list(api.store.iter_log())[-1].event.party == "INS"
