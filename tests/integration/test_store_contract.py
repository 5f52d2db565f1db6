"""The GraphStore contract: the same tests on every backend (``store`` fixture)."""

from __future__ import annotations

import pytest

from foodtrace.errors import Conflict, InvalidInput, LineageCycle
from foodtrace.ingest.capture import capture
from foodtrace.services.tracing.trace import backward_trace, forward_trace
from tests.builders import cert, commission, pork_chain, retract, sale, transform, with_id


def test_capture_and_get_lot(store):
    res = capture(store, [commission("P1", qty=12)])
    assert len(res.stored) == 1 and res.stored[0].startswith("ni:///sha-256;")
    lot = store.get_lot("P1")
    assert lot.quantity == 12 and lot.unit.value == "head" and not lot.unconfirmed
    assert lot.created_by == res.stored[0]
    assert store.get_lot("nope") is None


def test_exact_replay_is_a_no_op(store):
    chain = pork_chain()
    first = capture(store, chain)
    before = store.counts()
    again = capture(store, chain)
    assert again.stored == [] and sorted(again.duplicates) == sorted(first.stored)
    assert store.counts() == before


def test_same_id_other_content_conflicts_and_stores_nothing(store):
    capture(store, [with_id(commission("P1"), "ev-1")])
    before = store.counts()
    with pytest.raises(Conflict) as exc:
        capture(store, [commission("P9"), with_id(commission("P2"), "ev-1")])
    assert exc.value.details[0]["position"] == 1 and exc.value.details[0]["field"] == "event_id"
    assert store.counts() == before and store.get_lot("P9") is None


def test_batch_is_all_or_nothing(store):
    with pytest.raises(InvalidInput) as exc:
        capture(store, [commission("OK1"), commission("OK2"), commission("OK1", qty=5)])
    assert exc.value.details[0]["position"] == 2
    assert store.get_lot("OK1") is None and store.counts()["events"] == 0


def test_out_of_order_reference_makes_a_placeholder_until_confirmed(store):
    res = capture(store, [transform(["PIG"], ["CARC"])])
    assert res.placeholders == ["PIG"]
    assert store.get_lot("PIG").unconfirmed
    assert backward_trace(store, "CARC").gaps == ["PIG"]
    capture(store, [commission("PIG")])
    assert not store.get_lot("PIG").unconfirmed
    assert backward_trace(store, "CARC").gaps == []


def test_cycle_is_rejected(store):
    capture(store, [transform(["A"], ["B"]), transform(["B"], ["C"])])
    with pytest.raises(LineageCycle) as exc:
        capture(store, [commission("X"), transform(["C"], ["A"], kind="mixing")])
    assert exc.value.details[0]["position"] == 1
    assert store.get_lot("X") is None
    assert store.backward("A").lots == frozenset({"A"})


def test_cycle_inside_one_batch_is_rejected(store):
    with pytest.raises(LineageCycle):
        capture(store, [transform(["A"], ["B"]), transform(["B"], ["A"], kind="mixing")])
    assert store.counts()["events"] == 0


def test_backward_and_forward(store):
    capture(store, pork_chain())
    assert store.backward("RCPT").lots == {"RCPT", "RL", "WV", "CARC", "PIG"}
    assert store.forward("PIG").lots == {"RCPT", "RL", "WV", "CARC", "PIG"}
    assert store.forward("RL").lots == {"RL", "RCPT"}
    assert ("PIG", "CARC") in store.backward("RCPT").edges


def test_full_backward_trace_shows_farm_slaughterhouse_certificates_tests(store):
    capture(store, pork_chain())
    tr = backward_trace(store, "RCPT")
    pig = tr.lot("PIG")
    assert pig.made_by.party == "F1" and tr.parties["F1"].name == "Green Farm"
    assert [c.kind for c in pig.certificates] == ["animal_quarantine"]
    assert [t.kind for t in pig.tests] == ["clenbuterol_test"]
    assert tr.lot("CARC").made_by.kind == "slaughter" and tr.lot("CARC").made_by.party == "S1"
    assert {h.party for h in pig.holders} == {"F1", "S1"}
    assert tr.gaps == []


def test_forward_trace_gives_holders_and_quantities(store):
    capture(store, pork_chain())
    tr = forward_trace(store, "CARC")
    received = {(h.party, h.quantity) for n in tr.lots for h in n.holders if h.role in ("received", "issued")}
    assert ("W1", 100) in received and ("M1", 40) in received


def test_retraction_excludes_from_traces_and_keeps_history(store):
    capture(store, [with_id(commission("P1"), "c1"), with_id(transform(["P1"], ["C1"]), "t1"),
                    with_id(cert(["P1"], "clenbuterol_test"), "k1")])
    capture(store, [with_id(retract("t1", "k1"), "r1")])
    assert store.backward("C1").lots == {"C1"}
    assert store.get_lot("C1").unconfirmed  # its creator is retracted
    assert backward_trace(store, "P1").lot("P1").tests == []
    hist = store.lot_events(["P1"], include_retracted=True)["P1"]
    assert {se.event_id: se.retracted_by for se in hist} == {"c1": None, "t1": "r1", "k1": "r1"}
    assert store.get_events(["t1"])["t1"].retracted_by == "r1"


@pytest.mark.parametrize("target,field,reason", [
    ("missing", "retracts[0]", "not known"),
    ("t1", "retracts[0]", "already retracted"),
])
def test_bad_retractions(store, target, field, reason):
    capture(store, [with_id(transform(["P1"], ["C1"]), "t1")])
    capture(store, [with_id(retract("t1"), "r1")])
    with pytest.raises(InvalidInput) as exc:
        capture(store, [commission("Z"), retract(target, reason="again")])
    d = exc.value.details[0]
    assert (d["position"], d["field"]) == (1, field) and reason in d["reason"]
    assert store.get_lot("Z") is None


def test_reference_to_a_retracted_event_as_correction_is_refused(store):
    capture(store, [with_id(commission("P1"), "c1")])
    capture(store, [with_id(retract("c1"), "r1")])
    with pytest.raises(InvalidInput, match="not stored") as exc:
        capture(store, [retract("r1", corrective=["c1"])])
    assert exc.value.details[0]["field"] == "corrective_event_ids[0]"


def test_retracted_lot_can_be_recreated_by_a_corrective_event(store):
    capture(store, [with_id(commission("P1", qty=10), "c1")])
    capture(store, [with_id(retract("c1", corrective=["c2"]), "r1"), with_id(commission("P1", qty=11), "c2")])
    assert store.get_lot("P1").quantity == 11 and not store.get_lot("P1").unconfirmed


def test_a_lot_code_is_created_once(store):
    capture(store, [commission("P1")])
    with pytest.raises(InvalidInput, match="not stored") as exc:
        capture(store, [commission("P1", qty=99)])
    assert "already exists" in exc.value.details[0]["reason"]


def test_diamonds_30_layers_visit_each_lot_once(store):
    events, prev = [], ["L0"]
    for layer in range(1, 31):
        a, b, join = f"L{layer}a", f"L{layer}b", f"L{layer}"
        events.append(transform(prev, [a], kind="cutting"))
        events.append(transform(prev, [b], kind="cutting"))
        events.append(transform([a, b], [join], kind="mixing"))
        prev = [join]
    capture(store, events)
    back = store.backward("L30")
    assert len(back.lots) == 1 + 30 * 3  # 2^30 paths, 91 lots
    assert len(back.edges) == 30 * 4
    assert len(store.forward("L0").lots) == 91
    tr = backward_trace(store, "L30")
    assert len(tr.lots) == 91 and tr.lot("L0").depth == 60


def test_sausage_from_200_carcasses(store):
    carcasses = [f"C{i:03d}" for i in range(200)]
    events = [commission(f"PIG{i:03d}") for i in range(200)]
    events += [transform([f"PIG{i:03d}"], [c]) for i, c in enumerate(carcasses)]
    events.append(transform(carcasses, ["SAUSAGE"], kind="processing"))
    events.append(sale("SAUSAGE", "R-S"))
    capture(store, events)
    back = store.backward("R-S")
    assert len(back.lots) == 402
    assert store.forward("PIG007").lots == {"PIG007", "C007", "SAUSAGE", "R-S"}
    tr = backward_trace(store, "R-S")
    assert len(tr.lots) == 402 and len(tr.edges) == 401


def test_limit_truncates(store):
    capture(store, [transform([f"I{i}" for i in range(50)], ["MIX"], kind="mixing")])
    lin = store.backward("MIX", limit=10)
    assert lin.truncated and len(lin.lots) == 10
    assert all(a in lin.lots and b in lin.lots for a, b in lin.edges)


def test_holders_and_parties(store):
    capture(store, pork_chain())
    holders = store.holders(["RL"])["RL"]
    assert {(h.party, h.role) for h in holders} == {("M1", "issued"), ("consumer", "sold")}
    assert store.get_parties(["S1"])["S1"].kind.value == "designated_slaughterhouse"


def test_iter_log_streams_everything_in_order(store):
    capture(store, pork_chain())
    seqs = [se.seq for se in store.iter_log()]
    assert len(seqs) == len(pork_chain()) and seqs == sorted(seqs)
    assert [se.seq for se in store.iter_log(after_seq=seqs[5])] == seqs[6:]


def test_gtin_lookup(store):
    ev = commission("LOT-A", product="pork", unit="kg")
    ev["lots"][0]["gtin"] = "06901234567892"
    capture(store, [ev])
    assert store.find_lot_by_gtin("06901234567892", "LOT-A").code == "LOT-A"
    assert backward_trace(store, "https://id.example.cn/01/06901234567892/10/LOT-A").root == "LOT-A"


def test_events_by_type_streams_the_types_asked_for_with_retractions_marked(store):
    chain = pork_chain()
    capture(store, chain)
    certs = [se for se in store.events_by_type(["certificate"])]
    assert [se.event.kind.value for se in certs] == ["animal_quarantine", "clenbuterol_test", "product_quarantine",
                                                           "meat_quality"]
    assert [se.seq for se in certs] == sorted(se.seq for se in certs)
    capture(store, [retract(certs[1].event_id)])
    again = list(store.events_by_type(["certificate", "error_declaration"]))
    assert [se.retracted_by is not None for se in again] == [False, True, False, False, False]
    assert [se.seq for se in store.events_by_type(["certificate"], after_seq=certs[0].seq)] == [
        c.seq for c in certs[1:]]
    assert list(store.events_by_type([])) == [] and list(store.events_by_type(["recall"])) == []


def test_party_lot_counts_counts_lots_each_party_made(store):
    capture(store, pork_chain())  # F1: PIG; S1: CARC; W1: WV; M1: RL and the receipt
    assert store.party_lot_counts(["F1", "S1", "W1", "M1", "NOBODY"]) == {"F1": 1, "S1": 1, "W1": 1, "M1": 2}
    made = next(se for se in store.events_by_type(["transformation"]))
    capture(store, [retract(made.event_id)])  # the carcass is no longer made by anyone
    assert store.party_lot_counts(["S1", "F1"]) == {"F1": 1}


def test_default_implementations_agree_with_the_backend(store):
    """events_by_type and party_lot_counts have backend-neutral defaults (on iter_log) for
    backends that do not override them: they must answer the same."""
    from foodtrace.graph.store import GraphStore

    capture(store, pork_chain())
    capture(store, [retract(next(iter(store.events_by_type(["transformation"]))).event_id)])
    types = ["certificate", "transformation", "error_declaration"]
    assert [(s.seq, s.retracted_by) for s in GraphStore.events_by_type(store, types)] == [
        (s.seq, s.retracted_by) for s in store.events_by_type(types)]
    ids = ["F1", "S1", "W1", "M1"]
    assert GraphStore.party_lot_counts(store, ids) == store.party_lot_counts(ids)
