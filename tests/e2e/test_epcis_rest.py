"""The EPCIS 2.0 REST binding over HTTP (real app, real SQLite file): capture jobs, queries, the
top-level resources, named queries, paging, the GS1 headers, who reads what; every GS1 example and
IFT's beef example captured through POST /epcis/capture and found again by GET /events?MATCH_anyEPC."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

from foodtrace.ingest.epcis import events_of, validate_document
from foodtrace.ingest.jsonc import loads_lenient
from foodtrace.model.codes import canonical_code
from tests.conftest import FIXTURES, fixtures_dir

GS1 = FIXTURES / "epcis-gs1"
DOCS = sorted(str(p.relative_to(GS1)) for p in GS1.rglob("*.jsonld") if p.name != "epcis-context.jsonld") \
    if GS1.is_dir() else ["(fixtures missing)"]
BEEF = "opentraceability/beef-leather-example/events.jsonld"
CATTLE = "https://id.gs1.org/01/10000082345676/10/CATTLE20230101"


def _capture(api, body: bytes, who="admin", **params):
    r = api.client.post("/epcis/capture", content=body, params=params,
                        headers={**api.h(who), "content-type": "application/ld+json"})
    assert r.status_code == 202, r.text
    assert r.headers["GS1-EPCIS-Version"] == "2.0.0" and "GS1-CBV-Version" in r.headers
    job = api.client.get(r.headers["Location"], headers=api.h(who))
    assert job.status_code == 200
    return job.json()


def _ids(doc: dict) -> list[str]:
    return [e["eventID"] for e in doc["epcisBody"]["queryResults"]["resultsBody"]["eventList"]]


def _any_epc(ev: dict) -> str | None:
    for key in ("epcList", "childEPCs", "inputEPCList", "outputEPCList"):
        if ev.get(key):
            return ev[key][0]
    return ev.get("parentID")


@pytest.mark.parametrize("name", DOCS + [BEEF])
def test_every_example_round_trips_through_capture_and_match_any_epc(api, name):
    path = fixtures_dir() / name if name == BEEF else fixtures_dir() / "epcis-gs1" / name
    job = _capture(api, path.read_bytes())
    assert job["success"] and not job["running"] and job["eventsStored"], job
    doc, _ = loads_lenient(path.read_text("utf-8"), name)
    for ev in events_of(doc):
        epc = _any_epc(ev)
        if epc is None:
            continue
        r = api.client.get("/epcis/events", params={"MATCH_anyEPC": epc, "perPage": 1000}, headers=api.h("admin"))
        assert r.status_code == 200, r.text
        validate_document(r.json())  # GS1's 2.0.1 schema, formats checked
        found = r.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
        assert found, f"{epc} not found"
        wanted = {canonical_code(epc)}
        for f in found:
            named = {canonical_code(x) for k in ("epcList", "childEPCs", "inputEPCList", "outputEPCList")
                     for x in f.get(k) or []} | ({canonical_code(f["parentID"])} if f.get("parentID") else set())
            assert named & wanted
        if ev.get("eventID") and not ev.get("errorDeclaration"):
            assert ev["eventID"] in {f["eventID"] for f in found}


def test_queries_filter_page_and_follow_the_link(api):
    _capture(api, (fixtures_dir() / BEEF).read_bytes())
    h = api.h("admin")
    everything = _ids(api.client.get("/epcis/events", params={"perPage": 1000}, headers=h).json())
    assert len(everything) >= 7
    seen, url, params = [], "/epcis/events", {"perPage": 2}
    while url:
        r = api.client.get(url, params=params, headers=h)
        assert r.status_code == 200 and len(_ids(r.json())) <= 2
        seen += _ids(r.json())
        link = r.headers.get("Link")
        url, params = (link[1:link.index(">")], None) if link else (None, None)
    assert seen == everything
    shipping = api.client.get("/epcis/events", params={"EQ_bizStep": "shipping"}, headers=h).json()
    assert _ids(shipping) and all(e["bizStep"].endswith("shipping")
                                  for e in shipping["epcisBody"]["queryResults"]["resultsBody"]["eventList"])
    objs = api.client.get("/epcis/events", params={"eventType": "TransformationEvent"}, headers=h).json()
    assert {e["type"] for e in objs["epcisBody"]["queryResults"]["resultsBody"]["eventList"]} == {"TransformationEvent"}
    late = api.client.get("/epcis/events", params={"GE_eventTime": "2100-01-01T00:00:00Z"}, headers=h).json()
    assert _ids(late) == []
    assert _ids(api.client.get("/epcis/events", params={"LT_recordTime": "2000-01-01T00:00:00Z"}, headers=h).json()) == []
    assert _ids(api.client.get("/epcis/bizSteps/shipping/events", headers=h).json()) == _ids(shipping)
    one = everything[0]
    r = api.client.get(f"/epcis/events/{quote(one, safe='')}", headers=h)
    assert r.status_code == 200 and r.json()["eventID"] == one
    assert api.client.get("/epcis/events/urn:uuid:nothing", headers=h).status_code == 404


def test_bad_and_unoffered_parameters_are_named(api):
    h = api.h("admin")
    r = api.client.get("/epcis/events", params={"GE_eventTime": "yesterday"}, headers=h)
    assert r.status_code == 400 and r.json()["error"]["details"][0]["field"] == "GE_eventTime"
    assert api.client.get("/epcis/events", params={"nextPageToken": "forged"}, headers=h).status_code == 400
    assert api.client.get("/epcis/events", params={"perPage": 0}, headers=h).status_code == 400
    assert api.client.get("/epcis/events", params={"NO_SUCH": "x"}, headers=h).status_code == 400
    assert api.client.get("/epcis/events", params={"GE_quantity": "1"}, headers=h).status_code == 501
    assert api.client.get("/epcis/events", headers={**h, "GS1-EPCIS-Version": "1.2"}).status_code == 406


def test_top_level_resources_and_discovery(api):
    _capture(api, (fixtures_dir() / BEEF).read_bytes())
    h = api.h("admin")
    assert "events" in api.client.get("/epcis/", headers=h).json()
    assert "ObjectEvent" in api.client.get("/epcis/eventTypes", headers=h).json()
    assert "shipping" in api.client.get("/epcis/bizSteps", params={"perPage": 100}, headers=h).json()
    assert canonical_code(CATTLE) in api.client.get("/epcis/epcs", params={"perPage": 1000}, headers=h).json()
    assert api.client.get("/epcis/bizLocations", headers=h).json()
    assert api.client.get("/epcis/eventTypes/NoSuchEvent", headers=h).status_code == 404
    assert api.client.get("/epcis/eventTypes/ObjectEvent", headers=h).json() == ["events"]
    cattle = api.client.get(f"/epcis/epcs/{quote(CATTLE, safe='')}/events", headers=h).json()
    assert len(_ids(cattle)) >= 3
    r = api.client.options("/epcis/events")
    assert r.status_code == 204 and "POST" in r.headers["Allow"] and r.headers["GS1-EPCIS-Version"]


def test_named_queries_and_subscriptions(api):
    _capture(api, (fixtures_dir() / BEEF).read_bytes())
    h = api.h("admin")
    body = {"name": "cattle", "query": {"MATCH_anyEPCClass": [CATTLE]}}
    r = api.client.post("/epcis/queries", json=body, headers=h)
    assert r.status_code == 201 and r.headers["Location"] == "/epcis/queries/cattle"
    assert api.client.post("/epcis/queries", json=body, headers=h).status_code == 409
    assert [q["name"] for q in api.client.get("/epcis/queries", headers=h).json()] == ["cattle"]
    ran = api.client.get("/epcis/queries/cattle/events", headers=h)
    assert ran.status_code == 200 and len(_ids(ran.json())) >= 3
    assert api.client.get("/epcis/queries/cattle", headers=api.h("inspector")).status_code == 404  # per party
    assert api.client.post("/epcis/queries/cattle/subscriptions", json={}, headers=h).status_code == 501
    assert api.client.delete("/epcis/nextPageToken/abc", headers=h).status_code == 501
    assert api.client.delete("/epcis/queries/cattle", headers=h).status_code == 204
    assert api.client.get("/epcis/queries/cattle/events", headers=h).status_code == 404


def test_a_rolled_back_job_stores_nothing_and_proceed_stores_the_rest(api):
    doc = json.loads((fixtures_dir() / "epcis-gs1" / "Example_9.6.1-ObjectEvent.jsonld").read_text("utf-8"))
    doc["epcisBody"]["eventList"][0]["action"] = "MOVE"
    before = api.store.counts()["events"]
    job = _capture(api, json.dumps(doc).encode())
    assert not job["success"] and job["errors"][0]["position"] == 0 and api.store.counts()["events"] == before
    job = _capture(api, json.dumps(doc).encode(), partial="true")
    assert job["captureErrorBehaviour"] == "proceed" and not job["success"]
    assert {e["position"] for e in job["errors"]} == {0} and job["eventsStored"] >= 1
    r = api.client.post("/epcis/capture", content=b"{not json", headers=api.h("admin"))
    assert r.status_code == 400


def test_access_follows_the_roles(api):
    body = (fixtures_dir() / BEEF).read_bytes()
    assert api.client.post("/epcis/capture", content=body).status_code == 401
    assert api.client.post("/epcis/capture", content=body, headers=api.h("inspector")).status_code == 403
    assert api.client.get("/epcis/events").status_code == 401
    # an operator records only as its own party: the beef chain's parties are not X1
    job = _capture(api, body, who="op_X1")
    assert not job["success"] and job["errors"]
    _capture(api, body)
    # and reads only the events it takes part in: X1 took part in none
    assert _ids(api.client.get("/epcis/events", params={"perPage": 1000}, headers=api.h("op_X1")).json()) == []
    mine = api.client.get("/epcis/events", params={"perPage": 1000}, headers=api.h("op_M1")).json()
    assert _ids(mine)  # the pork chain's supermarket sees its own events
    everything = _ids(api.client.get("/epcis/events", params={"perPage": 1000}, headers=api.h("inspector")).json())
    assert set(_ids(mine)) < set(everything)
    assert api.client.get(f"/epcis/events/{quote(everything[-1], safe='')}", headers=api.h("op_X1")).status_code == 404
    assert api.client.get("/epcis/capture", headers=api.h("op_X1")).json()[0]["captureErrorBehaviour"] == "rollback"


def test_cli_ingest_is_all_or_nothing_unless_partial(tmp_path):
    from tests.e2e.test_cli import run

    doc = json.loads((fixtures_dir() / "epcis-gs1" / "Example_9.6.1-ObjectEvent.jsonld").read_text("utf-8"))
    doc["id"] = "_:document1"
    doc["epcisBody"]["eventList"][0]["action"] = "MOVE"
    path = tmp_path / "partner.jsonld"
    path.write_text(json.dumps(doc), "utf-8")
    store = f"sqlite:///{tmp_path / 'cli.db'}"
    refused = run("ingest", str(path), env_store=store, check=False)
    assert refused.returncode != 0 and "eventList/0/action" in refused.stderr
    done = run("ingest", str(path), "--partial", env_store=store)
    assert "event not stored: #0" in done.stderr and "blank node" in done.stderr
    assert "stored: 1" in done.stdout


def test_jobs_and_named_queries_are_seen_by_every_worker_and_kept_over_a_restart(api, tmp_path):
    """Two apps on one store file stand for two workers of `serve --workers 2` (or a restart)."""
    from fastapi.testclient import TestClient

    from foodtrace.api.app import create_app

    job = _capture(api, (fixtures_dir() / BEEF).read_bytes(), who="op_X1")
    made = api.client.post("/epcis/queries", json={"name": "cattle", "query": {"MATCH_anyEPCClass": [CATTLE]}},
                           headers=api.h("op_X1"))
    assert made.status_code == 201
    with TestClient(create_app(api.client.app.state.settings)) as other:
        seen = other.get(f"/epcis/capture/{job['captureID']}", headers=api.h("op_X1"))
        assert seen.status_code == 200 and seen.json() == job  # the outcome as the first worker gave it
        assert other.get(f"/epcis/capture/{job['captureID']}", headers=api.h("op_M1")).status_code == 404  # per party
        assert [q["name"] for q in other.get("/epcis/queries", headers=api.h("op_X1")).json()] == ["cattle"]
        assert other.get("/epcis/queries/cattle", headers=api.h("op_M1")).status_code == 404
        assert other.post("/epcis/queries", json={"name": "cattle", "query": {"MATCH_anyEPCClass": [CATTLE]}},
                          headers=api.h("op_X1")).status_code == 409  # the name is taken in every worker
        assert other.delete("/epcis/queries/cattle", headers=api.h("op_X1")).status_code == 204
    assert api.client.get("/epcis/queries/cattle", headers=api.h("op_X1")).status_code == 404
