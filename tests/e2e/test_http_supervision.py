"""The supervision routes with the real app over a real SQLite file. The caller
comes from the ``get_actor`` dependency (made from the API key), overridden here
per test: without an override and without a key every route answers 401. The
routes with real keys of every role: tests/e2e/test_access_matrix.py."""

from __future__ import annotations

from fastapi.testclient import TestClient
import pytest

from foodtrace.api.app import create_app
from foodtrace.api.deps import get_actor
from foodtrace.config import Settings
from foodtrace.ingest.capture import capture
from tests.builders import actor
from tests.builders import at, good_pork, register
from tests.e2e.test_http_rules import ROGUE

BASE = "/api/v1/supervision"
INSPECTION = {"subject": "FM1", "outcome": "rectification", "inspectors": ["Li", "Wang"],
              "findings": ["beef without quarantine"], "lots": ["BL"], "at": at(5, 9), "inspection_id": "JC-1"}


@pytest.fixture
def app(tmp_path):
    app = create_app(Settings(store=f"sqlite:///{tmp_path / 'superv.db'}"))
    with TestClient(app) as c:
        capture(c.app.state.store, good_pork() + ROGUE + [register("SC1", "school_canteen")])
        yield app, c


def as_(app, role, party=None):
    app.dependency_overrides[get_actor] = lambda: actor(role, party)


def test_without_a_key_every_route_answers_401(app):
    _, c = app
    for method, path in [("get", "/inspections"), ("get", "/cases"), ("get", "/risk"), ("get", "/figures"),
                         ("post", "/inspections"), ("post", "/trainings"), ("get", "/lots/BL")]:
        r = getattr(c, method)(BASE + path, **({"json": {}} if method == "post" else {}))
        assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized", path
    assert c.get("/api/v1/public/lots/BL").status_code == 200  # the consumer view needs no key


def test_an_inspector_records_and_reads_every_kind(app):
    app_, c = app
    as_(app_, "inspector", "REG")
    r = c.post(BASE + "/campaigns", json={"name": "Spring canteens", "start": "2025-03-01", "end": "2025-05-31",
                                          "scope_kinds": ["school_canteen"], "campaign_id": "ZX1", "at": at(1)})
    assert r.status_code == 201 and r.json()["not_inspected"] == ["SC1"]
    r = c.post(BASE + "/inspections", json={"subject": "SC1", "outcome": "no_problem", "inspectors": ["Li"],
                                            "campaign_id": "ZX1", "mode": "online_patrol", "at": at(4)})
    assert r.status_code == 201 and r.json()["by"] == "REG" and r.json()["mode"] == "online_patrol"
    r = c.post(BASE + "/inspections", json=INSPECTION)
    assert r.status_code == 201 and r.json()["subject_name"] == "East Market"
    assert c.post(BASE + "/inspections", json=INSPECTION).status_code == 409
    assert c.get(BASE + "/campaigns/ZX1").json()["businesses_inspected"] == 1
    assert [x["inspection_id"] for x in c.get(BASE + "/inspections", params={"subject": "FM1"}).json()] == ["JC-1"]

    r = c.post(BASE + "/cases", json={"source": "anomaly", "refs": ["undesignated_slaughter:BEEF"], "case_id": "AJ-1",
                                      "at": at(6)})
    assert r.status_code == 201 and r.json()["subjects"] == ["XW001"] and r.json()["evidence_lots"] == 3
    r = c.post(BASE + "/cases/AJ-1/updates", json={"status": "handed_to_police", "handed_to": "District police",
                                                   "confiscated_yuan": 2500, "at": at(7)})
    assert r.status_code == 201 and r.json()["status"] == "handed_to_police"
    assert c.post(BASE + "/cases/AJ-1/updates", json={"status": "handed_to_police", "handed_to": "x"}).status_code == 409
    ev = c.get(BASE + "/cases/AJ-1/evidence").json()
    assert [t["direction"] for t in ev["traces"]] == ["backward", "forward"] and ev["retracted_since"] == []
    assert [x["case_id"] for x in c.get(BASE + "/cases", params={"status": "handed_to_police"}).json()] == ["AJ-1"]

    assert c.post(BASE + "/trainings", json={"topic": "hygiene", "attendees": ["SC1", "FM1"], "hours": 2,
                                             "at": at(8)}).status_code == 201
    assert c.post(BASE + "/commitments", json={"subject": "SC1", "title": "承诺书", "at": at(8)}).status_code == 201
    r = c.post(BASE + "/destructions", json={"goods": "uninspected beef", "value_yuan": 28000, "reason": "nonconforming",
                                             "quantity": 400, "unit": "kg", "subjects": ["XW001"], "lots": ["BEEF"],
                                             "case_id": "AJ-1", "at": at(9)})
    assert r.status_code == 201 and r.json()["value_yuan"] == 28000
    assert len(c.get(BASE + "/trainings", params={"party": "FM1"}).json()) == 1
    assert len(c.get(BASE + "/commitments").json()) == 1 and len(c.get(BASE + "/destructions").json()) == 1

    figures = c.get(BASE + "/figures", params={"start": "2025-03-01", "end": "2025-03-31"}).json()
    assert figures["inspections"]["value"] == 2 and figures["cases_handed_over"]["value"] == 1
    assert figures["destruction_value"] == {"value": 28000.0, "zh": "销毁货值（元）", "en": "value destroyed (yuan)"}
    risk = c.get(BASE + "/risk", params={"top": 3, "as_of": "2025-03-31T00:00:00+08:00"}).json()
    assert len(risk["entries"]) == 3 and risk["entries"][0]["party"] == "XW001" and risk["businesses"] > 3
    assert all(r["zh"] and r["en"] for r in risk["entries"][0]["reasons"])
    refs = c.get(BASE + "/lots/COW").json()
    assert {(x["type"], x["record_id"]) for x in refs} >= {("inspection", "JC-1"), ("enforcement_case", "AJ-1"),
                                                            ("destruction", refs[-1]["record_id"])}


def test_an_operator_reads_its_own_inspections_and_nothing_else(app):
    app_, c = app
    as_(app_, "inspector", "REG")
    assert c.post(BASE + "/inspections", json=INSPECTION).status_code == 201
    assert c.post(BASE + "/inspections", json={**INSPECTION, "subject": "M1", "inspection_id": "JC-2",
                                               "lots": []}).status_code == 201
    assert c.post(BASE + "/cases", json={"source": "anomaly", "lots": ["BEEF"], "case_id": "AJ-1"}).status_code == 201

    as_(app_, "operator", "FM1")
    assert [x["inspection_id"] for x in c.get(BASE + "/inspections").json()] == ["JC-1"]
    assert [x["inspection_id"] for x in c.get(BASE + "/inspections", params={"subject": "M1"}).json()] == ["JC-1"]
    assert c.get(BASE + "/inspections/JC-1").json()["outcome"] == "rectification"
    assert c.get(BASE + "/inspections/JC-2").status_code == 404
    assert [(x["type"], x["record_id"]) for x in c.get(BASE + "/lots/BL").json()] == [("inspection", "JC-1")]
    for path in ["/cases", "/cases/AJ-1", "/cases/AJ-1/evidence", "/campaigns", "/trainings", "/commitments",
                 "/destructions", "/risk", "/figures"]:
        r = c.get(BASE + path)
        assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden", path
    for path, body in [("/inspections", {**INSPECTION, "inspection_id": "JC-3"}),
                       ("/trainings", {"topic": "x", "attendees": ["FM1"]}),
                       ("/commitments", {"subject": "FM1", "title": "x"}),
                       ("/cases", {"source": "anomaly", "lots": ["BEEF"]}),
                       ("/cases/AJ-1/updates", {"status": "closed"}),
                       ("/campaigns", {"name": "x", "start": "2025-03-01", "end": "2025-03-02",
                                       "scope_kinds": ["supermarket"]}),
                       ("/destructions", {"goods": "x", "value_yuan": 1, "reason": "expired"})]:
        assert c.post(BASE + path, json=body).status_code == 403, path
    # (POST /api/v1/events gets its keys elsewhere; the rule it needs for these types is
    # services.supervision.may_capture, tested with the access matrix)
    as_(app_, "consumer")
    assert c.get(BASE + "/inspections").status_code == 403
    as_(app_, "inspector", "REG")
    assert [x["inspection_id"] for x in c.get(BASE + "/inspections").json()] == ["JC-1", "JC-2"]


def test_bad_requests_name_the_field(app):
    app_, c = app
    as_(app_, "inspector", "REG")
    cases = [
        ("/inspections", {**INSPECTION, "outcome": "maybe"}, "outcome"),
        ("/inspections", {**INSPECTION, "subject": "NOBODY"}, "subject"),
        ("/inspections", {**INSPECTION, "lots": ["NOPE"]}, "lots[0]"),
        ("/inspections", {**INSPECTION, "at": "2025-03-05T09:00:00"}, "at"),
        ("/inspections", {**INSPECTION, "surprise": 1}, "surprise"),
        ("/cases", {"source": "failed_test", "refs": ["nope"]}, "source_refs[0]"),
        ("/trainings", {"topic": "x", "attendees": []}, "attendees"),
        ("/destructions", {"goods": "x", "value_yuan": -1, "reason": "expired"}, "value_yuan"),
    ]
    for path, body, field in cases:
        r = c.post(BASE + path, json=body)
        assert r.status_code == 422, (path, r.json())
        assert any(d["field"] == field for d in r.json()["error"]["details"]), (field, r.json())
    assert c.get(BASE + "/cases/NOPE").status_code == 404
    assert c.get(BASE + "/campaigns/NOPE").status_code == 404
    assert c.get(BASE + "/risk", params={"as_of": "2025-03-31T00:00:00"}).status_code == 422
    assert c.get(BASE + "/inspections").json() == []  # nothing was stored
