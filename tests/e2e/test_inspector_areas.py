"""An inspector's areas cut everything it reads (``services/capture/scope.py``, ``Scope``): the district
check, complaints, recalls, investigations, the district report and the supervision lists. A station
of area A (city 3301, the pork chain's 330106) does not see a party, lot, finding or complaint only in
area B (440300), and does see the chains that reach A; the station of B sees the opposite; an inspector
without areas sees both. Signed-in people (session cookie + CSRF token), as on the console."""

from __future__ import annotations

from datetime import date, timedelta
import re

import pytest

from foodtrace.ingest.capture import capture
from foodtrace.services import supervision as sv
from foodtrace.services.admin.users import create_user
from foodtrace.services.safety.complaints import file_complaint
from tests.builders import actor, commission, handoff, register
from tests.e2e.conftest import ORIGIN, PASSWORD, sign_in

FAR = [register("Z1", "scale_farm", "Far Farm", area="440300"), register("ZM", "supermarket", "Far Mart", area="440300"),
       commission("ZPIG", party="Z1"), handoff("ZPIG", new="ZPIG-ZM", src="Z1", dst="ZM", qty=5),  # no quarantine
       commission("ZPIG2", party="Z1"), handoff("ZPIG2", new="ZPIG2-M1", src="Z1", dst="M1", qty=10)]  # sold in A
NEAR = [commission("NPIG", party="F1"), handoff("NPIG", new="NPIG-M1", src="F1", dst="M1", qty=3)]  # no quarantine
YEAR = f"from=2025-01-01&to={date.today() + timedelta(days=1)}"  # the inspections are recorded now


def _person(api, login: str, areas: tuple[str, ...]) -> dict[str, str]:
    create_user(api.store, login, login, "INS", "inspector", PASSWORD, areas=areas)
    sid = sign_in(api.client, login)
    csrf = re.search(r'data-csrf="([^"]+)"', api.client.get("/console", headers={"Cookie": f"ft_session={sid}"}).text)
    return {"Cookie": f"ft_session={sid}", "X-CSRF-Token": csrf.group(1), "Origin": ORIGIN}


@pytest.fixture
def areas(api):
    capture(api.store, FAR + NEAR)
    for cid, lots in (("TS-A", ["RL"]), ("TS-B", ["ZPIG-ZM"]), ("TS-AB", ["ZPIG2-M1"])):
        file_complaint(api.store, lots, "bad smell", by="INS", complaint_id=cid)
    office = actor("inspector", "INS")
    sv.record_inspection(api.store, office, "M1", "no_problem", ["Li"], inspection_id="JC-A")
    sv.record_inspection(api.store, office, "ZM", "no_problem", ["Wu"], inspection_id="JC-B")
    api.a = _person(api, "zhou.a", ("3301",))
    api.b = _person(api, "chen.b", ("4403",))
    api.all = _person(api, "wang.all", ())
    return api


def _get(api, who, path):
    r = api.client.get(path, headers=who)
    assert r.status_code == 200, (path, r.text)
    return r.json()


def test_the_district_check_shows_an_inspector_the_findings_of_its_areas(areas):
    whole = _get(areas, areas.all, "/api/v1/check")
    assert {"ZPIG", "ZPIG2", "NPIG"} <= {a["lot"] for a in whole["anomalies"]}  # pigs without quarantine
    a = _get(areas, areas.a, "/api/v1/check")
    b = _get(areas, areas.b, "/api/v1/check")
    a_lots, b_lots = {x["lot"] for x in a["anomalies"]}, {x["lot"] for x in b["anomalies"]}
    assert "NPIG" in a_lots and "ZPIG2" in a_lots  # ZPIG2: a far farm's pig that reached M1 in A
    assert "ZPIG" not in a_lots  # only in B: its farm and the market it reached
    assert not {s["party"] for s in a["scores"]} & {"Z1", "ZM"}
    assert {"ZPIG", "ZPIG2"} <= b_lots and "NPIG" not in b_lots
    assert sum(a["counts"].values()) == len(a["anomalies"]) < len(whole["anomalies"])


def test_complaints_are_cut_by_their_lots_chains(areas):
    ids = lambda who: {c["complaint_id"] for c in _get(areas, who, "/api/v1/complaints")}  # noqa: E731
    assert ids(areas.a) == {"TS-A", "TS-AB"}  # TS-AB: a far farm's lot sold in A reaches A
    assert ids(areas.b) == {"TS-B", "TS-AB"}
    assert ids(areas.all) == {"TS-A", "TS-B", "TS-AB"}
    r = areas.client.get("/api/v1/complaints/TS-B", headers=areas.a)
    assert r.status_code == 403 and r.json()["error"]["details"][0]["field"] == "complaint_id"
    before = areas.store.counts()
    r = areas.client.post("/api/v1/complaints/TS-B/closure", json={"resolution": "not ours"}, headers=areas.a)
    assert r.status_code == 403 and areas.store.counts() == before  # nor acts on it
    r = areas.client.get("/api/v1/investigation?complaint=TS-B", headers=areas.a)
    assert r.status_code == 403
    assert areas.client.get("/api/v1/investigation?complaint=TS-AB", headers=areas.a).status_code == 200


def test_a_recall_of_lots_only_in_b_is_not_read_in_a(areas):
    from foodtrace.services.safety.recall import start_recall

    start_recall(areas.store, ["ZPIG"], "clenbuterol", by="INS", recall_id="RC-B")
    start_recall(areas.store, ["ZPIG2"], "clenbuterol", by="INS", recall_id="RC-AB")
    assert areas.client.get("/api/v1/recalls/RC-B", headers=areas.a).status_code == 403
    assert areas.client.get("/api/v1/recalls/RC-B", headers=areas.b).status_code == 200
    assert areas.client.get("/api/v1/recalls/RC-AB", headers=areas.a).status_code == 200


def test_the_report_counts_the_events_of_the_inspector_s_areas(areas):
    whole = _get(areas, areas.all, f"/api/v1/reports/district?{YEAR}")
    a = _get(areas, areas.a, f"/api/v1/reports/district?{YEAR}")
    b = _get(areas, areas.b, f"/api/v1/reports/district?{YEAR}")
    assert 0 < b["events_read"] < a["events_read"] < whole["events_read"]
    assert a["membership"] != whole["membership"] or a["traceability"] != whole["traceability"]
    figures = lambda rep: {f["key"]: f["value"] for f in rep["supervision"]}  # noqa: E731
    assert figures(whole)["inspections"] == 2 and figures(a)["inspections"] == figures(b)["inspections"] == 1
    page = areas.client.get(f"/reports/district?{YEAR}", headers={"Cookie": areas.b["Cookie"]})
    assert page.status_code == 200  # the page is the same report, cut the same way


def test_supervision_lists_keep_to_the_areas(areas):
    ins = lambda who: {i["inspection_id"] for i in _get(areas, who, "/api/v1/supervision/inspections")}  # noqa: E731
    assert ins(areas.a) == {"JC-A"} and ins(areas.b) == {"JC-B"} and ins(areas.all) == {"JC-A", "JC-B"}
    assert areas.client.get("/api/v1/supervision/inspections/JC-B", headers=areas.a).status_code == 404
    ranked = {e["party"] for e in _get(areas, areas.a, "/api/v1/supervision/risk")["entries"]}
    assert "M1" in ranked and not ranked & {"Z1", "ZM"}
    assert areas.client.get("/api/v1/supervision/lots/ZPIG-ZM", headers=areas.a).status_code == 403
    assert areas.client.get("/api/v1/supervision/lots/ZPIG2-M1", headers=areas.a).status_code == 200


def test_lots_and_parties_only_in_b_are_refused_and_chains_reaching_a_are_read(areas):
    for path in ("/api/v1/lots/ZPIG-ZM", "/api/v1/parties/ZM", "/api/v1/entry/ZPIG-ZM?receiver=ZM&quantity=1"):
        assert areas.client.get(path, headers=areas.a).status_code == 403, path
        assert areas.client.get(path, headers=areas.b).status_code == 200, path
    for path in ("/api/v1/lots/ZPIG2-M1/backward", "/api/v1/lots/ZPIG2"):  # from B, sold in A
        assert areas.client.get(path, headers=areas.a).status_code == 200, path


def _epcis_ids(api, who, path, **params) -> set[str]:
    body = _get(api, who, path + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else ""))
    return {e["eventID"] for e in body["epcisBody"]["queryResults"]["resultsBody"]["eventList"]}


def test_epcis_reads_keep_to_the_inspector_s_areas(areas):
    from urllib.parse import quote

    whole = _get(areas, areas.all, "/epcis/events?perPage=1000")["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    far = next(e["eventID"] for e in whole if e.get("bizStep", "").endswith("commissioning")
               and any("ZPIG" in str(v) and "ZPIG2" not in str(v) for v in e.values()))  # only in B: made at Z1
    near = next(e["eventID"] for e in whole if e.get("bizStep", "").endswith("commissioning")
                and any("NPIG" in str(v) for v in e.values()))  # made at F1 in A
    a_ids = _epcis_ids(areas, areas.a, "/epcis/events", perPage=1000)
    assert near in a_ids and far not in a_ids
    assert far in _epcis_ids(areas, areas.b, "/epcis/events", perPage=1000)
    assert areas.client.get(f"/epcis/events/{quote(far, safe='')}", headers=areas.a).status_code == 404
    assert areas.client.get(f"/epcis/events/{quote(far, safe='')}", headers=areas.b).status_code == 200
    assert areas.client.get(f"/epcis/events/{quote(near, safe='')}", headers=areas.a).status_code == 200
    for kind in ("eventTypes/ObjectEvent", "bizSteps/commissioning"):  # the resources' events
        assert far not in _epcis_ids(areas, areas.a, f"/epcis/{kind}/events", perPage=1000), kind
        assert near in _epcis_ids(areas, areas.a, f"/epcis/{kind}/events", perPage=1000), kind
    epcs = lambda who: set(_get(areas, who, "/epcis/epcs?perPage=1000"))  # noqa: E731
    assert "NPIG" in epcs(areas.a) and "ZPIG" not in epcs(areas.a) and "ZPIG" in epcs(areas.b)


def test_campaigns_are_cut_to_the_inspector_s_areas(areas):
    office = actor("inspector", "INS")
    today = date.today()
    capture(areas.store, [register("ZM2", "supermarket", "Far Mart 2", area="440300")])  # in B, not inspected
    sv.start_campaign(areas.store, office, "markets", today - timedelta(days=1), today + timedelta(days=1),
                      ["supermarket"], campaign_id="ZX-M")
    sv.record_inspection(areas.store, office, "ZM", "rectification", ["Wu"], findings=["dirty"], campaign_id="ZX-M", inspection_id="JC-ZX")
    one = lambda who: _get(areas, who, "/api/v1/supervision/campaigns/ZX-M")  # noqa: E731
    a, b, whole = one(areas.a), one(areas.b), one(areas.all)
    assert (whole["in_scope"], whole["inspections"], whole["notices"]) == (4, 1, 1)
    assert set(whole["not_inspected"]) == {"M1", "X1", "ZM2"}
    assert (a["in_scope"], set(a["not_inspected"]), a["inspections"], a["notices"]) == (2, {"M1", "X1"}, 0, 0)
    assert (b["in_scope"], b["not_inspected"], b["inspections"], b["businesses_inspected"]) == (2, ["ZM2"], 1, 1)
    listed = _get(areas, areas.a, "/api/v1/supervision/campaigns")
    assert [c["campaign_id"] for c in listed] == ["ZX-M"] and "ZM2" not in str(listed)


def test_a_complaint_outside_the_areas_is_refused_in_the_readers_language(areas):
    """safety/office.py: the 403 of a complaint whose lots' chains do not reach the inspector's areas."""
    zh = areas.client.get("/api/v1/complaints/TS-B", headers={**areas.a, "accept-language": "zh-CN"}).json()["error"]
    assert (zh["message"], zh["details"][0]["reason"]) == (
        "TS-B 所涉批次不在本监管人员的辖区（3301）内", "其批次的流通链条未到达本监管人员的辖区")
    en = areas.client.get("/api/v1/complaints/TS-B", headers={**areas.a, "accept-language": "en"}).json()["error"]
    assert (en["message"], en["details"][0]["reason"]) == (
        "TS-B is about lots outside this inspector's areas 3301", "its lots' chains do not reach the inspector's areas")
