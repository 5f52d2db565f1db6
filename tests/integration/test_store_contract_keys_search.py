"""Contract methods added for the HTTP API — ``api_keys`` / ``api_key`` and
``search`` — on every backend (``store`` fixture), and each backend's answer
equal to the backend-neutral default built on the log."""

from __future__ import annotations

import hashlib

from foodtrace.graph.store import GraphStore
from foodtrace.ingest.capture import capture
from tests.builders import T0, commission, pork_chain, register, retract, with_id


def issued(n: int, holder="M1", role="operator", **kw) -> dict:
    digest = hashlib.sha256(f"key-{n}".encode()).hexdigest()
    return {"type": "api_key_issued", "event_time": T0, "party": "ADMIN", "key_id": "k_" + digest[:16],
            "key_hash": digest, "holder": holder, "role": role, **kw}


def revoked(n: int) -> dict:
    digest = hashlib.sha256(f"key-{n}".encode()).hexdigest()
    return {"type": "api_key_revoked", "event_time": T0, "party": "ADMIN", "key_id": "k_" + digest[:16]}


def test_api_keys_issue_revoke_retract(store):
    k1, k2, k3 = issued(1), issued(2, "INS", "inspector", label="office"), issued(3)
    capture(store, [with_id(k1, "i1"), with_id(k2, "i2"), with_id(k3, "i3")])
    keys = store.api_keys()
    assert [(k.key_id, k.party, k.role.value, k.revoked) for k in keys] == [
        (k1["key_id"], "M1", "operator", False), (k2["key_id"], "INS", "inspector", False),
        (k3["key_id"], "M1", "operator", False)]
    assert keys[1].label == "office" and keys[0].event_id == "i1"
    capture(store, [with_id(revoked(1), "r1"), with_id(retract("i3", party="ADMIN"), "x3")])
    assert store.api_key(k1["key_hash"]).revoked
    assert store.api_key(k3["key_hash"]) is None  # its issuance is retracted
    assert store.api_key("0" * 64) is None
    capture(store, [with_id(retract("r1", party="ADMIN"), "x1")])  # the revocation taken back
    assert not store.api_key(k1["key_hash"]).revoked
    assert [k.key_id for k in store.api_keys()] == [k1["key_id"], k2["key_id"]]
    assert store.api_keys() == GraphStore.api_keys(store)  # the backend's answer is the default's


def test_first_issuance_of_a_key_id_wins(store):
    first = issued(1)
    capture(store, [first])
    capture(store, [{**first, "holder": "OTHER", "event_time": "2025-03-02T08:00:00+08:00"}])
    assert store.api_key(first["key_hash"]).party == "M1"
    assert len(store.api_keys()) == 1 and store.api_keys() == GraphStore.api_keys(store)


def test_search_lots_and_parties(store):
    events = pork_chain() + [register("SM-7", "supermarket", "Sunshine 超市"), register("F_2", name="王某养殖户")]
    lot = commission("PIG-Named", product="pork", unit="kg")
    lot["lots"][0]["name"] = "白条猪肉 special"
    capture(store, events + [lot])
    hits = store.search("pig")
    assert [x.code for x in hits.lots] == ["PIG", "PIG-Named"] and hits.parties == []
    assert [x.code for x in store.search("SPECIAL").lots] == ["PIG-Named"]  # by name, any case
    assert [x.code for x in store.search("白条").lots] == ["PIG-Named"]
    assert [p.id for p in store.search("超市").parties] == ["SM-7"]
    assert [p.id for p in store.search("m1").parties] == ["M1"]
    assert [p.id for p in store.search("_").parties] == ["F_2"]  # no SQL wildcards
    assert store.search("%").lots == [] and store.search("nothing-like-this").parties == []
    assert len(store.search("C", limit=2).lots) == 2
    for text in ("pig", "超市", "c", "_", "王某"):
        assert store.search(text, 3) == GraphStore.search(store, text, 3)
