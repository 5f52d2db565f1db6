"""The trust issue's attacks, as it tried them: a served demo district and nothing but one
supermarket's operator key. Each is refused, nothing is stored, and the district check, the report,
a trace and the consumer page keep working afterwards."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
import pytest

from foodtrace.api.app import create_app
from foodtrace.config import Settings
from foodtrace.demo.load import load_demo
from foodtrace.graph import open_store
from foodtrace.services.admin.keys import issue_key

LATER = "2025-12-30T10:00:00+08:00"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    with open_store(f"sqlite:///{path}") as store:
        district = load_demo(store, events=3000)
        keys = {"SM001": issue_key(store, "SM001", "operator").key,
                "inspector": issue_key(store, "REG001", "inspector").key}
        lots = store.get_lots(sorted({c for se in store.iter_log() for c in se.event.created_codes()}))
    settings = Settings(store=f"sqlite:///{path}", public_rate_per_minute=60_000, public_burst=10_000)
    with TestClient(create_app(settings)) as client:
        yield client, keys, district, lots


def _lot(lots, product, holder_prefix=None):
    return next(code for code, lot in sorted(lots.items()) if lot.product is not None and lot.product.value == product
                and (holder_prefix is None or (lot.origin_party or "").startswith(holder_prefix)))


def _unharmed(client, keys, receipt, before):
    inspector = {"Authorization": f"Bearer {keys['inspector']}"}
    assert client.app.state.store.counts()["events"] == before, "the attack stored something"
    assert client.get("/api/v1/check", headers=inspector).status_code == 200
    assert client.get("/api/v1/reports/district", params={"from": "2025-01-01", "to": "2025-12-31"},
                      headers=inspector).status_code == 200
    assert client.get(f"/api/v1/lots/{receipt}/backward", headers=inspector).status_code == 200
    assert client.get(f"/l/{receipt}", headers={"accept": "text/html"}).status_code == 200


ATTACKS = {
    "a number that overflows": lambda lots: [{
        "type": "commission", "event_time": LATER, "party": "SM001",
        "lots": [{"code": "SM-EVIL", "product": "pork", "quantity": 1.5, "unit": "kg"}]}],
    "a quarantine certificate in the authority's name": lambda lots: [{
        "type": "certificate", "event_time": LATER, "party": "SM001", "issuer": "AH001", "kind": "animal_quarantine",
        "number": "FAKE-1", "result": "pass", "lots": [_lot(lots, "live_cattle")]}],
    "a quarantine certificate as itself": lambda lots: [{
        "type": "certificate", "event_time": LATER, "party": "SM001", "issuer": "SM001", "kind": "animal_quarantine",
        "number": "FAKE-2", "result": "pass", "lots": [_lot(lots, "live_cattle")]}],
    "a meat quality certificate in a slaughterhouse's name": lambda lots: [{
        "type": "certificate", "event_time": LATER, "party": "SM001", "issuer": "SH001", "kind": "meat_quality",
        "number": "FAKE-3", "result": "pass", "lots": [_lot(lots, "beef")]}],
    "a receive of a stranger's lot": lambda lots: [{
        "type": "handoff", "event_time": LATER, "party": "SM001", "action": "receive", "from_party": "WP001",
        "to_party": "SM001", "lot": {"code": _lot(lots, "pork", "SH"), "quantity": 0.01, "unit": "kg"}}],
    "a transformation of a stranger's lot": lambda lots: [{
        "type": "transformation", "event_time": LATER, "party": "SM001", "kind": "processing",
        "inputs": [{"code": _lot(lots, "pork", "SH"), "quantity": 0.001, "unit": "kg"}],
        "outputs": [{"code": "SM-GRAB", "product": "pork", "quantity": 0.001, "unit": "kg"}]}],
    "a ship in a wholesaler's name": lambda lots: [{
        "type": "handoff", "event_time": LATER, "party": "WP001", "action": "ship", "from_party": "WP001",
        "to_party": "SM001", "lot": {"code": _lot(lots, "pork", "SH"), "quantity": 1, "unit": "kg"}}],
}


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_the_attack_is_refused_and_the_district_keeps_working(demo, attack):
    client, keys, district, lots = demo
    before = client.app.state.store.counts()["events"]
    body = json.dumps(ATTACKS[attack](lots))
    if attack == "a number that overflows":  # the literal as the attacker sent it: json.loads would make it inf
        body = body.replace("1.5", "1e999")
        assert "1e999" in body
    r = client.post("/api/v1/events", content=body, headers={"Authorization": f"Bearer {keys['SM001']}",
                                                            "content-type": "application/json"})
    assert r.status_code in (403, 422), r.text
    assert r.json()["error"]["details"], "the refusal names the field and the reason"
    _unharmed(client, keys, district.sample_receipt, before)


def test_the_entry_gate_tells_a_competitor_nothing_and_stores_nothing(demo):
    """No other party's id, no stock, and — since round 9 — not whether a quantity exceeds what is left
    (asked quantity after quantity, that told the stock): the answer for 100,000 is the one for 1; the
    receipt checks the quantity, on record."""
    client, keys, district, lots = demo
    before = client.app.state.store.counts()["events"]
    lot = _lot(lots, "pork", "SH")
    ask = lambda q: client.get(f"/api/v1/entry/{lot}", params={"receiver": "SM001", "quantity": q},  # noqa: E731
                               headers={"Authorization": f"Bearer {keys['SM001']}"})
    r, small = ask(100000), ask(1)
    assert r.status_code == 200 and small.status_code == 200
    assert r.json()["accept"] == small.json()["accept"]
    assert [x["code"] for x in r.json()["reasons"]] == [x["code"] for x in small.json()["reasons"]]
    assert "quantity_exceeds" not in r.text
    text = r.text
    assert "WP0" not in text and "SH0" not in text  # no other party's id …
    assert not any(ch.isdigit() for ch in " ".join(x["en"] for x in r.json()["reasons"]).replace(lot, ""))  # … or stock
    _unharmed(client, keys, district.sample_receipt, before)
