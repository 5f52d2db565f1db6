"""The HTTP API with the real app (FastAPI TestClient over a real SQLite file)."""

from __future__ import annotations

from fastapi.testclient import TestClient
import pytest

from foodtrace.api.app import create_app
from foodtrace.services.admin.keys import issue_key
from tests.builders import commission, pork_chain, with_id

# ``client`` (tests/e2e/conftest.py): the real app on an empty SQLite file, sending an admin key.


def test_capture_201_then_replay_200(client):
    chain = pork_chain()
    r = client.post("/api/v1/events", json=chain)
    assert r.status_code == 201 and r.json()["stored"] == 15
    r = client.post("/api/v1/events", json=chain)
    assert r.status_code == 200 and r.json() == {**r.json(), "stored": 0, "duplicates": 15}


def test_conflict_409(client):
    client.post("/api/v1/events", json=[with_id(commission("A"), "e1")])
    r = client.post("/api/v1/events", json=[with_id(commission("B"), "e1")])
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "conflict"
    assert client.get("/api/v1/lots/B").status_code == 404


def test_invalid_422_names_position_field_reason(client):
    r = client.post("/api/v1/events", json=[commission("A"), commission("B", time="2025-01-01T00:00:00")])
    assert r.status_code == 422
    body = r.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details", "request_id"}
    assert body["error"]["details"][0] == {"position": 1, "field": "event_time", "key": "pyd_timezone",
                                           "reason": "a time zone is required (e.g. 2025-03-01T08:00:00+08:00)"}
    assert client.get("/api/v1/lots/A").status_code == 404


@pytest.mark.parametrize("payload", [b"{not json", b'{"type": "commission"}', b'"x"'])
def test_malformed_bodies_422(client, payload):
    r = client.post("/api/v1/events", content=payload, headers={"content-type": "application/json"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_input"


def test_too_many_events_413(client):
    r = client.post("/api/v1/events", json=[commission(f"P{i}") for i in range(51)])
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"


def test_lot_and_traces(client):
    client.post("/api/v1/events", json=pork_chain())
    lot = client.get("/api/v1/lots/RCPT").json()
    assert lot["code"] == "RCPT" and lot["product"] == "pork"
    back = client.get("/api/v1/lots/RCPT/backward").json()
    assert {n["code"] for n in back["lots"]} == {"RCPT", "RL", "WV", "CARC", "PIG"}
    assert {"from", "to"} <= set(back["edges"][0])
    pig = next(n for n in back["lots"] if n["code"] == "PIG")
    assert pig["certificates"][0]["kind"] == "animal_quarantine"
    fwd = client.get("/api/v1/lots/PIG/forward", params={"limit": 2}).json()
    assert fwd["truncated"] and len(fwd["lots"]) == 2
    assert client.get("/api/v1/lots/RCPT/backward", params={"limit": 0}).status_code == 422


def test_unknown_lot_404_json(client):
    r = client.get("/api/v1/lots/NOPE/backward")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"


def test_consumer_page_zh_and_en(client):
    client.post("/api/v1/events", json=pork_chain())
    zh = client.get("/l/RCPT")
    assert zh.status_code == 200 and "食品追溯" in zh.text and "动物检疫合格证明" in zh.text
    assert "Green Farm" in zh.text
    en = client.get("/l/RCPT", params={"lang": "en"})
    assert "Food traceability" in en.text and "animal quarantine certificate" in en.text
    assert "Food traceability" in client.get("/l/RCPT", headers={"accept-language": "en-US,en;q=0.9"}).text
    for private in ("DOC-1", "40", "100"):  # documents and quantities never shown
        assert f">{private}<" not in zh.text and "DOC-1" not in zh.text


def test_browser_error_page_is_html(client):
    r = client.get("/l/NOPE", headers={"accept": "text/html"})
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "Traceback" not in r.text


def test_openapi_lists_routes(client):
    doc = client.get("/openapi.json").json()
    assert "/api/v1/events" in doc["paths"]
    assert "/api/v1/lots/{code}/backward" in doc["paths"]


def test_api_on_neo4j():
    from tests.neo4j_support import fresh_neo4j_store, neo4j_settings

    fresh_neo4j_store().close()
    with TestClient(create_app(neo4j_settings())) as c:
        c.headers["Authorization"] = f"Bearer {issue_key(c.app.state.store, 'ADMIN', 'admin').key}"
        chain = pork_chain()
        assert c.post("/api/v1/events", json=chain).status_code == 201
        assert c.post("/api/v1/events", json=chain).status_code == 200
        back = c.get("/api/v1/lots/RCPT/backward").json()
        assert {n["code"] for n in back["lots"]} == {"RCPT", "RL", "WV", "CARC", "PIG"}
        assert "Green Farm" in c.get("/l/RCPT").text
