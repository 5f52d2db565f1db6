"""Documents as other EPCIS implementations write them: repaired with a warning where the
standard's intent is clear, refused per event where data would be wrong (GS1's examples from
../shared/fixtures, changed here the way partners' documents differ)."""

from __future__ import annotations

import copy
import json

import pytest

from foodtrace.errors import Conflict, InvalidInput
from foodtrace.graph import open_store
from foodtrace.graph.batch import digest_of
from foodtrace.ingest.epcis import schema_2_0_1
from foodtrace.services.capture.imports import import_epcis_as
from foodtrace.services.capture.principal import local
from tests.conftest import FIXTURES, fixtures_dir

GS1 = FIXTURES / "epcis-gs1"
DOCS = sorted(str(p.relative_to(GS1)) for p in GS1.rglob("*.jsonld") if p.name != "epcis-context.jsonld") \
    if GS1.is_dir() else ["(fixtures missing)"]


def _doc(name: str) -> dict:
    from foodtrace.ingest.jsonc import loads_lenient

    return loads_lenient((fixtures_dir() / "epcis-gs1" / name).read_text("utf-8"), name)[0]


def _events(store) -> dict[str, str]:
    return {se.event_id: digest_of(se.event) for se in store.iter_log()}


def _as_partners_write_it(doc: dict) -> dict:
    """The deviations seen in GS1's simple-context examples and partners' files."""
    out = copy.deepcopy(doc)
    out["id"] = "_:document1"
    if isinstance(out.get("schemaVersion"), str):
        out["schemaVersion"] = float(out["schemaVersion"]) if "." in out["schemaVersion"] else int(out["schemaVersion"])
    body = out.get("epcisBody", {})
    events = (body.get("queryResults", {}).get("resultsBody", {}) if "queryResults" in body else body).get("eventList")
    for ev in events or ([out] if "eventTime" in out else []):
        for key in ("sourceList", "destinationList", "bizTransactionList"):
            if isinstance(ev.get(key), list) and len(ev[key]) == 1:
                ev[key] = ev[key][0]
        if ev.get("type") == "TransformationEvent" and "transformationID" not in ev:
            ev["transformationID"] = ""
        for el in ev.get("sensorElementList") or []:
            el["type"] = "epcis:SensorElement"
    return out


@pytest.mark.parametrize("name", DOCS)
def test_partner_deviations_are_repaired_with_warnings_and_give_the_same_events(name):
    doc = _doc(name)
    twin = _as_partners_write_it(doc)
    a, b = open_store("memory://"), open_store("memory://")
    import_epcis_as(a, local(), json.dumps(doc))
    res = import_epcis_as(b, local(), json.dumps(twin))
    assert _events(b) == _events(a)
    assert any("blank node" in w and w.startswith("id:") for w in res.warnings)
    if "schemaVersion" in doc:
        assert any(w.startswith("schemaVersion:") for w in res.warnings)


def test_the_validating_schema_is_gs1s_2_0_1():
    published = json.loads((fixtures_dir() / "epcis-gs1" / "EPCIS-JSON-Schema-2.0.1.json").read_text("utf-8"))
    ours = schema_2_0_1()
    norm = lambda d: json.loads(json.dumps(d).replace("%40context", "@context"))  # noqa: E731 (same reference)
    for name, definition in published["definitions"].items():
        if name == "eventType":  # defined in 2.0.1, referenced nowhere
            continue
        assert norm(ours["definitions"][name]) == norm(definition), name
    assert {k: v for k, v in ours.items() if k not in ("definitions", "$id")} == \
        {k: v for k, v in published.items() if k not in ("definitions", "$id")}


def test_persistent_disposition_on_a_transaction_event_is_valid_in_2_0_1():
    doc = _doc("WithFullCombinationOfFields/transaction_event_all_possible_fields.jsonld")
    ev = doc["epcisBody"]["eventList"][0]
    ev["persistentDisposition"] = {"set": ["https://ref.gs1.org/cbv/Disp-completeness_verified"]}
    store = open_store("memory://")
    res = import_epcis_as(store, local(), json.dumps(doc))
    assert res.result.stored


def test_a_query_document_with_a_header_is_read_with_a_warning():
    doc = _doc("EPCISQueryDocument.jsonld")
    doc["epcisHeader"] = {"epcisMasterData": {"vocabularyList": []}}
    store = open_store("memory://")
    res = import_epcis_as(store, local(), json.dumps(doc))
    assert res.result.stored
    assert any(w.startswith("epcisHeader:") for w in res.warnings)


def test_an_event_id_given_as_id_is_read_as_its_event_id():
    doc = _doc("Example_9.6.1-ObjectEvent.jsonld")
    ev = doc["epcisBody"]["eventList"][0]
    ev.pop("eventID", None)
    ev["id"] = "urn:uuid:5c3b1f1e-6a3b-4b7e-9f2a-000000000001"
    store = open_store("memory://")
    res = import_epcis_as(store, local(), json.dumps(doc))
    assert "urn:uuid:5c3b1f1e-6a3b-4b7e-9f2a-000000000001" in res.result.stored
    assert any("read as eventID" in w for w in res.warnings)


def _with_two_bad_events() -> dict:
    doc = _doc("Example_9.6.1-ObjectEvent.jsonld")
    events = doc["epcisBody"]["eventList"]
    assert len(events) >= 2
    events[0]["eventTime"] = "2005-13-04T20:33:31Z"  # month 13: that event only
    events[1]["action"] = "MOVE"  # no such action
    return doc


def test_an_invalid_event_refuses_the_document_by_default_naming_it():
    store = open_store("memory://")
    with pytest.raises(InvalidInput) as exc:
        import_epcis_as(store, local(), json.dumps(_with_two_bad_events()))
    assert {d["position"] for d in exc.value.details} == {0, 1}
    assert any(d["field"].endswith("eventTime") for d in exc.value.details)
    assert store.counts()["events"] == 0


def test_partial_stores_every_valid_event_and_reports_the_rest():
    doc = _with_two_bad_events()
    n = len(doc["epcisBody"]["eventList"])
    store = open_store("memory://")
    res = import_epcis_as(store, local(), json.dumps(doc), partial=True)
    assert {d["position"] for d in res.refused} == {0, 1}
    assert all(d["reason"] and d["field"] for d in res.refused)
    assert res.epcis_events == n and len(res.result.stored) >= n - 2
    assert store.counts()["events"] == len(res.result.stored)


def test_a_reused_event_id_with_other_content_is_reported_per_event():
    doc = _doc("Example_9.6.1-ObjectEvent.jsonld")
    events = doc["epcisBody"]["eventList"]
    events[1]["eventID"] = events[0]["eventID"] = "urn:uuid:5c3b1f1e-6a3b-4b7e-9f2a-0000000000aa"
    store = open_store("memory://")
    with pytest.raises(Conflict) as exc:
        import_epcis_as(store, local(), json.dumps(doc))
    assert [d["position"] for d in exc.value.details] == [1]
    assert "eventID" in exc.value.details[0]["reason"]
    assert store.counts()["events"] == 0
    res = import_epcis_as(store, local(), json.dumps(doc), partial=True)
    assert [d["position"] for d in res.refused] == [1]
    assert "urn:uuid:5c3b1f1e-6a3b-4b7e-9f2a-0000000000aa" in res.result.stored
    # the other content under the stored id, sent again: refused, never resolved silently
    again = import_epcis_as(store, local(), json.dumps({**doc, "epcisBody": {"eventList": [events[1]]}}),
                            partial=True)
    assert [d["position"] for d in again.refused] == [0] and not again.result.stored


def test_a_frame_error_refuses_the_document_even_when_partial():
    doc = _doc("Example_9.6.1-ObjectEvent.jsonld")
    doc["creationDate"] = "yesterday"
    with pytest.raises(InvalidInput) as exc:
        import_epcis_as(open_store("memory://"), local(), json.dumps(doc), partial=True)
    assert exc.value.details[0]["position"] is None and exc.value.details[0]["field"] == "creationDate"
