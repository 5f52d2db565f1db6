"""Inspectors' routes: lots and paged traces, search, parties; the error body
pinned; over-posting and size limits refused."""

from __future__ import annotations

from fastapi.testclient import TestClient
import pytest

from foodtrace.api.app import create_app
from tests.builders import commission, transform
from tests.e2e.conftest import make_settings


def get(api, path, who="inspector", **params):
    return api.client.get(path, headers=api.h(who), params=params)


def test_pages_of_a_large_forward_trace_cover_it_once(api):
    mix = [commission(f"P{i:02d}", party="F1") for i in range(30)]
    mix.append(transform([f"P{i:02d}" for i in range(30)], ["MIX"], kind="mixing", party="S1"))
    mix += [transform(["MIX"], [f"CUT{i:02d}"], kind="cutting", party="S1") for i in range(25)]
    assert api.client.post("/api/v1/events", headers=api.h("admin"), json=mix[:40]).status_code == 201
    assert api.client.post("/api/v1/events", headers=api.h("admin"), json=mix[40:]).status_code == 201
    full = get(api, "/api/v1/lots/MIX/backward").json()
    assert full["total"] == 31 and full["next_offset"] is None and not full["truncated"] and len(full["lots"]) == 31
    seen_lots, seen_edges, offset, pages = [], [], 0, 0
    while offset is not None:
        page = get(api, "/api/v1/lots/MIX/backward", limit=7, offset=offset).json()
        assert page["total"] == 31 and page["offset"] == offset and len(page["lots"]) <= 7
        assert page["truncated"] == (page["next_offset"] is not None)
        seen_lots += [n["code"] for n in page["lots"]]
        seen_edges += [(e["from"], e["to"]) for e in page["edges"]]
        assert all(e["to"] in {n["code"] for n in page["lots"]} for e in page["edges"])  # edges into its lots
        offset, pages = page["next_offset"], pages + 1
    assert pages == 5 and seen_lots[0] == "MIX"
    assert sorted(seen_lots) == sorted(n["code"] for n in full["lots"])  # every lot once
    assert sorted(seen_edges) == sorted((e["from"], e["to"]) for e in full["edges"])  # every edge once
    depths = {n["code"]: n["depth"] for n in full["lots"]}
    page2 = get(api, "/api/v1/lots/MIX/backward", limit=7, offset=7).json()
    assert all(n["depth"] == depths[n["code"]] for n in page2["lots"])
    fwd = get(api, "/api/v1/lots/MIX/forward", limit=10, offset=20).json()
    assert fwd["total"] == 26 and len(fwd["lots"]) == 6 and fwd["next_offset"] is None
    assert get(api, "/api/v1/lots/MIX/forward", offset=500).json()["lots"] == []
    assert get(api, "/api/v1/lots/MIX/forward", offset=-1).status_code == 422


def test_lot_read_and_404(api):
    lot = get(api, "/api/v1/lots/https://trace.example.cn/l/RL", "op_M1").json()
    assert lot["code"] == "RL" and lot["quantity"] == 40
    r = get(api, "/api/v1/lots/NO-SUCH")
    assert r.status_code == 404 and r.json() == {"error": {"code": "not_found", "message": "no lot with trace code "
                                                           "'NO-SUCH'", "details": [{"position": None, "field": "code",
                                                                                     "reason": "unknown trace code",
                                                                                     "key": "trace_unknown_code_reason"}],
                                                           "request_id": r.headers["X-Request-ID"]}}


def test_search(api):
    r = get(api, "/api/v1/search", q="city slaughter")
    assert r.status_code == 200 and [p["id"] for p in r.json()["parties"]] == ["S1"] and r.json()["lots"] == []
    assert [x["code"] for x in get(api, "/api/v1/search", q="rcpt").json()["lots"]] == ["RCPT"]
    assert len(get(api, "/api/v1/search", q="1", limit=2).json()["parties"]) == 2
    assert get(api, "/api/v1/search", q="").status_code == 422


def test_parties_register_and_read(api):
    body = {"id": "FM7", "name": "东湖农贸市场", "kind": "farmers_market", "area_code": "330106",
            "registered_on": "2024-05-01", "attributes": {"sunshine_warehouse": True}}
    r = api.client.post("/api/v1/parties", headers=api.h("admin"), json=body)
    assert r.status_code == 201 and r.json() == {**body, "joined_on": None}  # not (yet) on the platform
    assert get(api, "/api/v1/parties/FM7").json()["name"] == "东湖农贸市场"
    r = api.client.post("/api/v1/parties", headers=api.h("admin"), json={**body, "name": "东湖市场"})
    assert r.status_code == 200 and get(api, "/api/v1/parties/FM7", "admin").json()["name"] == "东湖市场"
    reg = list(api.store.iter_log())[-1].event
    assert reg.type == "party_registration" and reg.party == "ADMIN"
    assert get(api, "/api/v1/parties/NOPE").status_code == 404
    assert get(api, "/api/v1/parties/M1", "op_M1").json()["kind"] == "supermarket"


@pytest.mark.parametrize("path,body", [
    ("/api/v1/parties", {"id": "P9", "name": "n", "kind": "supermarket", "area_code": "330106",
                         "registered_on": "2024-01-01", "phone": "13800000000"}),
    ("/api/v1/keys", {"party": "M1", "role": "operator", "key_hash": "0" * 64}),
    ("/api/v1/receipts", {"code": "WV", "receiver": "M1", "quantity": 1, "unit": "kg", "document": "D",
                          "new_lot": {"code": "mine"}}),
    ("/api/v1/events", [{**commission("OVER"), "price": 3}]),
])
def test_over_posting_is_refused(api, path, body):
    before = api.store.counts()
    r = api.client.post(path, headers=api.h("admin"), json=body)
    assert r.status_code == 422
    d = r.json()["error"]["details"][0]
    assert d["reason"] == "unknown field" and d["field"] in ("phone", "key_hash", "new_lot", "price")
    assert api.store.counts() == before


def test_request_body_size_limit_413(tmp_path):
    settings = make_settings(tmp_path).model_copy(update={"max_request_bytes": 200})
    with TestClient(create_app(settings)) as c:
        big = {"code": "X" * 250, "receiver": "M1", "quantity": 1, "unit": "kg", "document": "D"}
        for path in ("/api/v1/receipts", "/api/v1/events", "/api/v1/parties"):
            r = c.post(path, json=big)
            assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"


def test_error_bodies_share_one_shape(api):
    responses = [
        api.client.get("/api/v1/lots/RL"),  # 401
        get(api, "/api/v1/lots/RL", "op_X1"),  # 403
        get(api, "/api/v1/lots/NOPE"),  # 404
        api.client.post("/api/v1/events", headers=api.h("admin"), content=b"{nope"),  # 422
        api.client.put("/api/v1/events", headers=api.h("admin")),  # 405
    ]
    assert [r.status_code for r in responses] == [401, 403, 404, 422, 405]
    for r in responses:
        body = r.json()
        assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details", "request_id"}
        assert isinstance(body["error"]["details"], list) and "Traceback" not in r.text


def test_openapi_document_describes_every_route(api):
    doc = api.client.get("/openapi.json").json()
    assert api.client.get("/docs").status_code == 200
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            where = f"{method.upper()} {path}"
            assert op.get("summary"), where
            ok = [c for c in op["responses"] if c.startswith("2")]
            assert ok and all(all("schema" in media for media in op["responses"][c]["content"].values())
                              for c in ok), where
            errors = [c for c in op["responses"] if c[0] in "45"]
            assert "503" in errors, where
            for c in errors:
                ref = op["responses"][c]["content"]["application/json"]["schema"]["$ref"]
                assert ref.endswith("/ErrorResponse"), where
            if method == "post":
                assert {"413", "422"} <= set(errors) and "requestBody" in op, where
            public = path.startswith("/api/v1/public/")
            assert ("security" in op) != public and (("401" in errors) != public), where
            assert ("429" in errors) == public, where
    assert "HTTPValidationError" not in doc["components"]["schemas"]
