"""The rules' HTTP routes with the real app over a real SQLite file."""

from __future__ import annotations

import os

from fastapi.testclient import TestClient
import pytest

from foodtrace.api.app import create_app
from foodtrace.config import Settings
from foodtrace.services.admin.keys import issue_key
from tests.builders import at, cert, commission, good_pork, move, register, slaughter, with_id

ROGUE = [
    register("HF1", "household_farm"), register("FM1", "farmers_market", "East Market"),
    commission("COW", product="live_cattle", qty=2, party="HF1", time=at(3, 5)),
    move("COW", "HF1", "XW001", 2, unit="head", time=at(3, 20)),
    slaughter("COW", "BEEF", 2, 520.0, party="XW001", product="beef", time=at(3, 22)),
    move("BEEF", "XW001", "FM1", 120.0, new="BL", product="beef", time=at(4, 5)),
]


@pytest.fixture
def client(tmp_path):
    """The app over a real SQLite file; the client sends an admin key."""
    with TestClient(create_app(Settings(store=f"sqlite:///{tmp_path / 'rules.db'}"))) as c:
        c.headers["Authorization"] = f"Bearer {issue_key(c.app.state.store, 'ADMIN', 'admin').key}"
        assert c.post("/api/v1/events", json=good_pork() + ROGUE).status_code == 201
        yield c


def test_check(client):
    body = client.get("/api/v1/check").json()
    assert [(a["kind"], a["lot"], a["party"]) for a in body["anomalies"]] == [
        ("undesignated_slaughter", "BEEF", "XW001")]
    assert body["scores"] == [{"party": "XW001", "name": None, "kind": None, "score": 12, "anomalies": 1}]
    assert body["counts"]["undesignated_slaughter"] == 1 and body["anomalies"][0]["zh"] and body["anomalies"][0]["en"]


def test_entry_gate(client):
    ok = client.get("/api/v1/entry/WV", params={"receiver": "M1", "quantity": 100, "at": at(4, 6)}).json()
    assert ok["accept"] is True and ok["reasons"] == [] and ok["rule"] == "pork"
    no = client.get("/api/v1/entry/BEEF", params={"receiver": "FM1", "quantity": 10}).json()
    assert no["accept"] is False
    assert {r["code"] for r in no["reasons"]} == {"undesignated_slaughter", "missing_certificate"}
    assert all(r["zh"] and r["en"] for r in no["reasons"])
    unknown = client.get("/api/v1/entry/NOPE", params={"receiver": "M1", "quantity": 1}).json()
    assert unknown["accept"] is False and unknown["reasons"][0]["code"] == "unknown_lot"
    r = client.get("/api/v1/entry/WV", params={"receiver": "NOBODY", "quantity": 1})
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "receiver"
    r = client.get("/api/v1/entry/WV", params={"receiver": "M1", "quantity": -1})
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_input"


def test_recall_routes(client):
    r = client.post("/api/v1/recalls", json={"codes": ["PIG"], "reason": "clenbuterol", "dry_run": True})
    assert r.status_code == 200 and r.json()["status"] == "preview"
    r = client.post("/api/v1/recalls", json={"codes": ["PIG"], "reason": "clenbuterol", "by": "REG",
                                             "recall_id": "RC-1"})
    assert r.status_code == 201
    body = r.json()
    assert body["recall_id"] == "RC-1" and body["status"] == "open" and body["started_by"] == "REG"
    assert sorted(body["unconfirmed"]) == ["F1", "M1", "S1", "W1"]
    m1 = next(h for h in body["exposure"]["holders"] if h["party"] == "M1")
    assert m1["totals"]["kg"]["still_held"] == 298.5 and m1["totals"]["kg"]["bad_received"] == 300
    status = client.get("/api/v1/recall-status/RCPT").json()
    assert status["recalled"] is True and status["recalls"][0]["recall_id"] == "RC-1"
    assert client.get("/api/v1/recall-status/BL").json()["recalled"] is False
    assert client.get("/api/v1/recall-status/NOPE").status_code == 404
    r = client.post("/api/v1/recalls/RC-1/confirmations", json={"party": "FM1"})
    assert r.status_code == 422 and r.json()["error"]["details"][0]["field"] == "party"
    for party in ["F1", "M1", "S1", "W1"]:
        r = client.post("/api/v1/recalls/RC-1/confirmations", json={"party": party, "note": "done",
                                                                    "quantity_removed": 1, "unit": "kg"})
        assert r.status_code == 201
    assert client.get("/api/v1/recalls/RC-1").json()["status"] == "closed"
    assert client.get("/api/v1/recalls/RC-NONE").status_code == 404
    r = client.post("/api/v1/recalls", json={"codes": ["PIG"], "reason": "x", "colour": "red"})
    assert r.status_code == 422


def test_recall_from_a_failed_test(client):
    client.post("/api/v1/events", json=[with_id(cert(["BL"], "pesticide_rapid_test", result="fail", issuer="FM1",
                                                     time=at(4, 8)), "lab-1")])
    r = client.post("/api/v1/recalls/from-test", json={"event_id": "lab-1"})
    assert r.status_code == 201 and r.json()["trigger"] == "failed_test" and r.json()["exposure"]["sources"] == ["BL"]
    assert client.post("/api/v1/recalls/from-test", json={"event_id": "nope"}).status_code == 404


def test_complaints_and_investigation(client):
    r = client.post("/api/v1/complaints", json={"lots": ["RCPT"], "description": "smells off", "complaint_id": "TS1"})
    # filed by the office: accepted (受理) at once
    assert r.status_code == 201 and r.json()["status"] == "accepted" and r.json()["channel"] == "hotline"
    assert r.json()["accepted_at"] is not None and r.json()["accepted_by"] == "ADMIN"
    r = client.post("/api/v1/complaints/TS1/acceptance", json={})
    assert r.status_code == 409 and r.json()["error"]["code"] == "conflict"
    client.post("/api/v1/complaints", json={"lots": ["BL"], "description": "no quarantine mark",
                                            "complaint_id": "TS2", "channel": "visit"})
    assert client.post("/api/v1/complaints", json={"lots": ["NOPE"], "description": "x"}).status_code == 404
    r = client.post("/api/v1/complaints/TS1/links", json={"case": "CASE-9"})
    assert r.status_code == 201 and r.json()["cases"] == ["CASE-9"]
    assert client.post("/api/v1/complaints/TS1/links", json={}).status_code == 422
    assert [c["complaint_id"] for c in client.get("/api/v1/complaints", params={"case": "CASE-9"}).json()] == ["TS1"]
    inv = client.get("/api/v1/investigation", params=[("code", "RCPT"), ("code", "RL")]).json()
    assert inv["lots"][0]["code"] == "RL" and inv["lots"][0]["explains"] == 2
    assert client.get("/api/v1/investigation", params={"complaint": "TS1"}).json()["problem_lots"] == ["RCPT"]
    assert client.get("/api/v1/investigation").status_code == 422
    r = client.post("/api/v1/complaints/TS1/closure", json={"resolution": "shop warned"})
    assert r.status_code == 201 and r.json()["status"] == "closed"
    assert client.post("/api/v1/complaints/TS1/closure", json={"resolution": "again"}).status_code == 409
    assert [c["complaint_id"] for c in client.get("/api/v1/complaints", params={"status": "open"}).json()] == ["TS2"]
    assert [c["complaint_id"] for c in client.get("/api/v1/complaints", params={"status": "accepted"}).json()] == ["TS2"]
    assert client.get("/api/v1/complaints", params={"status": "received"}).json() == []
    assert client.get("/api/v1/complaints", params={"status": "new"}).status_code == 422
    assert client.get("/api/v1/complaints/TS2").json()["channel"] == "visit"
    assert client.get("/api/v1/complaints/TS404").status_code == 404


def test_rules_file_edit_in_force_within_the_look_interval(tmp_path, monkeypatch):
    """The app's rules file is looked at (one stat) at most once per ``RULES_LOOK_S``: an edit is in force once
    the interval has passed, not before (a scan makes no system call for it meanwhile)."""
    from foodtrace.api import deps
    from foodtrace.services.safety.rules.config import SHIPPED

    rules = tmp_path / "rules.toml"
    rules.write_text(SHIPPED.read_text(encoding="utf-8"), encoding="utf-8")
    settings = Settings(store=f"sqlite:///{tmp_path / 'r.db'}", rules=str(rules))
    monkeypatch.setattr(deps, "RULES_LOOK_S", 3600.0)
    first = deps.rules_of(settings)
    edited = rules.read_text(encoding="utf-8").replace(
        'livestock = ["animal_quarantine", "clenbuterol_test"]', 'livestock = ["animal_quarantine"]', 1)
    assert edited != rules.read_text(encoding="utf-8")
    rules.write_text(edited, encoding="utf-8")
    os.utime(rules, ns=(rules.stat().st_atime_ns, rules.stat().st_mtime_ns + 1_000_000_000))
    assert deps.rules_of(settings) is first  # within the interval: not looked at again
    monkeypatch.setattr(deps, "RULES_LOOK_S", 0.0)
    again = deps.rules_of(settings)
    assert again is not first and again != first  # looked at: the edit is in force
    assert deps.rules_of(settings) is again  # unchanged file: the same rules object, not parsed again
