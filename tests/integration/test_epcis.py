"""EPCIS 2.0 capture and export on GS1's example documents and the
opentraceability beef example (read from ../shared/fixtures, never copied)."""

from __future__ import annotations

import copy
import json

import pytest

from foodtrace.errors import InvalidInput
from foodtrace.graph import open_store
from foodtrace.graph.batch import digest_of
from foodtrace.ingest.capture import capture
from foodtrace.ingest.epcis import validate_document
from foodtrace.services.capture.imports import import_epcis_as
from foodtrace.services.capture.principal import local


def import_document(store, doc, source="document"):
    """An EPCIS document imported as at the command line (through the write door)."""
    return import_epcis_as(store, local(), doc, source)
from foodtrace.ingest.epcis_export import export_log
from foodtrace.services.tracing.exports import lot_epcis as export_lot
from foodtrace.services.tracing.identifiers import resolve
from foodtrace.services.tracing.trace import backward_trace, forward_trace
from tests.builders import pork_chain
from tests.conftest import FIXTURES, fixtures_dir

GS1 = FIXTURES / "epcis-gs1"
DOCS = sorted(str(p.relative_to(GS1)) for p in GS1.rglob("*.jsonld") if p.name != "epcis-context.jsonld") \
    if GS1.is_dir() else ["(fixtures missing)"]
BEEF = "opentraceability/beef-leather-example/events.jsonld"
STEAKS = "https://id.gs1.org/01/10000082345676/10/STEAKS20251107"
CATTLE = "https://id.gs1.org/01/10000082345676/10/CATTLE20230101"
PALLET = "https://id.gs1.org/00/106141412345678908"


def _events(store) -> dict[str, str]:
    return {se.event_id: digest_of(se.event) for se in store.iter_log()}


def _retracted(store) -> set[str]:
    return {se.event_id for se in store.iter_log() if se.retracted_by}


def test_there_are_gs1_documents():
    fixtures_dir()
    assert len(DOCS) >= 47


@pytest.mark.parametrize("name", DOCS)
def test_gs1_document_is_accepted_and_round_trips(name, tmp_path):
    path = fixtures_dir() / "epcis-gs1" / name
    first = open_store(f"sqlite:///{tmp_path / 'a.db'}")
    res = import_document(first, path.read_bytes(), name)
    assert res.result.stored, "nothing stored"
    for nt in res.not_traced:  # every untraced event is stored and says why
        assert nt["reason"] and nt["event_id"] in _events(first)
    # import -> export -> import gives the same events, retracted the same
    exported = export_log(first)
    validate_document(exported)
    second = open_store("memory://")
    import_document(second, json.dumps(exported))
    assert _events(second) == _events(first)
    assert _retracted(second) == _retracted(first)
    # and the same document again is a no-op (a declared event already stored is not sent again)
    again = import_document(first, path.read_bytes(), name)
    assert again.result.stored == [] and again.result.duplicates
    assert set(again.result.duplicates) <= set(res.result.stored)
    first.close()
    second.close()


def test_beef_example_steaks_trace_back_to_the_cattle_through_the_pallet():
    text = (fixtures_dir() / BEEF).read_bytes()
    store = open_store("memory://")
    res = import_document(store, text, "events.jsonld")
    assert any("comment" in w for w in res.warnings)  # // comments accepted with a warning
    back = backward_trace(store, STEAKS)
    assert CATTLE in {n.code for n in back.lots}
    pallet = backward_trace(store, PALLET)
    assert {STEAKS, CATTLE} <= {n.code for n in pallet.lots}  # a trace through the pallet reaches its contents
    fwd = forward_trace(store, CATTLE)
    assert {STEAKS, PALLET} <= {n.code for n in fwd.lots}
    # the same lot under its other identifiers
    assert resolve(store, "urn:epc:class:lgtin:0000082.134567.STEAKS20251107").code == STEAKS
    assert resolve(store, "https://example.com/01/10000082345676/10/STEAKS20251107?17=261231").code == STEAKS
    assert resolve(store, "(01)10000082345676(10)STEAKS20251107").code == STEAKS
    # unpacking links nothing back (acyclic) but is in the pallet's history as custody
    holders = store.holders([PALLET])[PALLET]
    assert {"packed", "unpacked", "received"} <= {h.role for h in holders}
    # the lot's export re-imports to the same events
    doc = export_lot(store, STEAKS)
    validate_document(doc)
    other = open_store("memory://")
    import_document(other, doc)
    assert _events(other) == _events(store)


def test_native_trace_exports_and_imports_as_the_same_events():
    store = open_store("memory://")
    capture(store, pork_chain())
    doc = export_lot(store, "RCPT")
    validate_document(doc)
    kinds = {e["type"] for e in doc["epcisBody"]["eventList"]}
    assert {"ObjectEvent", "TransformationEvent"} <= kinds
    other = open_store("memory://")
    import_document(other, doc)
    mine = {k: v for k, v in _events(store).items() if not store.get_events([k])[k].event.type == "party_registration"}
    assert _events(other) == mine
    assert {n.code for n in backward_trace(other, "RCPT").lots} >= {"PIG", "CARC", "WV", "RL"}


def test_error_declaration_in_a_later_document_retracts_the_event():
    doc = json.loads((fixtures_dir() / "epcis-gs1" / "Example_9.6.4-TransformationEvent.jsonld").read_text())
    store = open_store("memory://")
    import_document(store, copy.deepcopy(doc))
    ev = doc["epcisBody"]["eventList"][0]
    eid = ev["eventID"]
    assert not _retracted(store)
    ev["errorDeclaration"] = {"declarationTime": "2023-01-01T00:00:00Z", "reason": "incorrect_data"}
    res = import_document(store, doc)
    assert res.result.stored == [f"{eid}#error-declaration"]
    assert eid in _retracted(store)


def test_invalid_documents_are_refused_with_the_field_and_nothing_is_stored():
    doc = json.loads((fixtures_dir() / "epcis-gs1" / "Example_9.6.1-ObjectEvent.jsonld").read_text())
    bad = copy.deepcopy(doc)
    bad["epcisBody"]["eventList"][1]["eventTime"] = "2005-13-04T20:33:31Z"  # month 13
    bad["epcisBody"]["eventList"][0]["readPoint"]["id"] = "not a uri"
    store = open_store("memory://")
    with pytest.raises(InvalidInput) as exc:
        import_document(store, bad)
    fields = {(d["position"], d["field"]) for d in exc.value.details}
    assert (1, "epcisBody/eventList/1/eventTime") in fields
    assert (0, "epcisBody/eventList/0/readPoint/id") in fields
    assert store.counts()["events"] == 0
    with pytest.raises(InvalidInput, match="malformed JSON"):
        import_document(store, b'{"type": "EPCISDocument", ')


def test_a_trace_lists_observations_of_each_lot_marked_and_the_consumer_view_leaves_them_out():
    from foodtrace.services.tracing.consumer import public_view

    store = open_store("memory://")
    res = import_document(store, (fixtures_dir() / BEEF).read_bytes(), "events.jsonld")
    observed = {nt["event_id"] for nt in res.not_traced}
    assert observed
    fwd = forward_trace(store, CATTLE)
    refs = {r.event_id: r for n in fwd.lots for r in n.events}
    for eid in observed:  # every observation is in the history of the lots it names, marked
        assert refs[eid].observation and refs[eid].type == "epcis_record" and refs[eid].biz_step == "receiving"
    cattle = fwd.lot(CATTLE)
    assert [r.type for r in cattle.events] == ["commission", "handoff", "epcis_record", "transformation"]
    assert not any(r.observation for r in cattle.events if r.type != "epcis_record")
    shopper = public_view(store, STEAKS).model_dump_json()
    assert not any(eid in shopper for eid in observed) and "receiving" not in shopper
