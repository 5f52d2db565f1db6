"""The consumer view as a kept read model: served as kept until an event touches what it shows, then
rebuilt at once — a recall, a retraction, a new certificate or test upstream, a party's new name, and
events appended by another process sharing the SQLite file. On every backend the view read twice is
the view built afresh."""

from __future__ import annotations

import pytest

from foodtrace.graph import open_store
from foodtrace.graph.embedded import EmbeddedStore
from foodtrace.ingest.capture import capture
from foodtrace.services.safety.recall import start_recall
from foodtrace.services.tracing.consumer import public_view, ready_view
from tests.builders import cert, pork_chain, register, retract, with_id


def fresh(store, code: str):
    """The view as a store that keeps nothing builds it."""
    if not isinstance(store, EmbeddedStore) or store.path == ":memory:":
        return None
    other = EmbeddedStore(store.path, read_cache=0).open()
    try:
        return public_view(other, code)
    finally:
        other.close()


@pytest.fixture
def chain(store):
    capture(store, pork_chain())
    return store


def test_a_kept_view_is_served_as_kept_until_the_log_changes(chain):
    first = ready_view(chain, "RCPT")
    assert ready_view(chain, "RCPT") is first or not isinstance(chain, EmbeddedStore)
    assert public_view(chain, " RCPT ") == first.lot
    capture(chain, [cert(["PIG"], "lab_test", issuer="S1")])
    assert ready_view(chain, "RCPT") is not first


def test_a_new_test_upstream_shows_at_once(chain):
    before = public_view(chain, "RCPT")
    capture(chain, [cert(["PIG"], "lab_test", issuer="S1", result="fail")])
    after = public_view(chain, "RCPT")
    assert len(after.certificates) == len(before.certificates) + 1
    assert any(c.kind == "lab_test" and c.result == "fail" for c in after.certificates)
    assert after == (fresh(chain, "RCPT") or after)


def test_a_recall_upstream_turns_the_page_red_at_once(chain):
    assert not public_view(chain, "RCPT").recalled
    assert not public_view(chain, "CARC").recalled
    start_recall(chain, ["PIG"], "clenbuterol found")
    assert public_view(chain, "RCPT").recalled
    assert public_view(chain, "RCPT").recall_reasons == ["clenbuterol found"]
    assert public_view(chain, "CARC").recalled


def test_a_retraction_takes_a_certificate_off_at_once(chain):
    capture(chain, [with_id(cert(["CARC"], "meat_quality", issuer="S1", number="MQ-2"), "urn:t:mq2")])
    assert any(c.time and c.kind == "meat_quality" for c in public_view(chain, "RCPT").certificates)
    n = len(public_view(chain, "RCPT").certificates)
    capture(chain, [retract("urn:t:mq2", party="S1")])
    assert len(public_view(chain, "RCPT").certificates) == n - 1
    assert public_view(chain, "RCPT") == (fresh(chain, "RCPT") or public_view(chain, "RCPT"))


def test_a_party_renamed_shows_its_new_name_at_once(chain):
    assert [b.name for b in public_view(chain, "RCPT").origins] == ["Green Farm"]
    capture(chain, [register("F1", "scale_farm", "Blue Farm")])
    assert [b.name for b in public_view(chain, "RCPT").origins] == ["Blue Farm"]


def test_an_unrelated_event_keeps_the_view(mem):
    capture(mem, pork_chain() + pork_chain("b"))
    kept = ready_view(mem, "RCPT")
    capture(mem, [cert(["bPIG"], "lab_test", issuer="bS1")])
    assert ready_view(mem, "RCPT") is kept
    assert ready_view(mem, "bRCPT") is not None


def test_another_process_appending_to_the_file_is_seen_at_once(tmp_path):
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    server, cli = open_store(url), open_store(url)
    try:
        capture(cli, pork_chain())
        assert not public_view(server, "RCPT").recalled
        start_recall(cli, ["PIG"], "clenbuterol found")  # the command line, another connection to the file
        assert public_view(server, "RCPT").recalled
        capture(cli, [register("F1", "scale_farm", "Blue Farm")])
        assert [b.name for b in public_view(server, "RCPT").origins] == ["Blue Farm"]
    finally:
        server.close()
        cli.close()


def test_the_json_kept_is_the_view(chain):
    from foodtrace.services.tracing.consumer import PublicLot

    ready = ready_view(chain, "RCPT")
    assert PublicLot.model_validate_json(ready.json) == ready.lot


def test_the_cache_is_bounded(tmp_path):
    store = EmbeddedStore(str(tmp_path / "small.db"), read_cache=2).open()
    try:
        capture(store, pork_chain())
        for code in ("RCPT", "RL", "WV", "CARC"):
            ready_view(store, code)
        assert len(store._caches["public_lot"]) == 2
    finally:
        store.close()


def _exact(store, code: str = "RCPT"):
    """The kept view (read twice: the second read is the kept one) equals the view built afresh."""
    ready_view(store, code)
    kept = public_view(store, code)
    assert kept == fresh(store, code)
    return kept


def test_every_kind_of_write_leaves_the_kept_view_exact(tmp_path):
    from foodtrace.services.safety.complaints import accept_complaint, file_complaint

    store = open_store(f"sqlite:///{tmp_path / 'exact.db'}")
    try:
        capture(store, pork_chain())
        assert _exact(store).verdict != "fail"
        capture(store, [with_id(cert(["PIG"], "lab_test", issuer="S1", result="fail"), "urn:t:fail")])
        assert _exact(store).verdict == "fail"  # a failed test upstream: the entry gate's verdict at once
        capture(store, [retract("urn:t:fail", party="S1")])
        assert _exact(store).verdict != "fail"
        filed = file_complaint(store, ["RCPT"], "smells off", channel="online", by="consumer")
        _exact(store)
        accept_complaint(store, filed.complaint_id)
        _exact(store)
        capture(store, [register("S1", "designated_slaughterhouse", "New Name Meat")])
        assert "New Name Meat" in [b.name for b in _exact(store).businesses]
        start_recall(store, ["CARC"], "foreign matter")
        view = _exact(store)
        assert view.recalled and view.verdict == "recalled" and view.recall_reasons == ["foreign matter"]
    finally:
        store.close()


def test_writes_by_another_process_reach_the_kept_view_and_json(tmp_path):
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    server, cli = open_store(url), open_store(url)
    try:
        capture(cli, pork_chain())
        first = ready_view(server, "RCPT")
        assert ready_view(server, "RCPT") is first
        capture(cli, [with_id(cert(["CARC"], "meat_quality", issuer="S1", number="MQ-9"), "urn:t:mq9")])
        after_cert = ready_view(server, "RCPT")
        assert after_cert is not first and b"meat_quality" in after_cert.json
        capture(cli, [retract("urn:t:mq9", party="S1")])
        assert ready_view(server, "RCPT").json == first.json  # the certificate is gone again
        capture(cli, [register("W1", "wholesaler", "Renamed Wholesale")])
        assert b"Renamed Wholesale" in ready_view(server, "RCPT").json
        assert server.kept_now("public_lot", "nothing") is None
    finally:
        server.close()
        cli.close()


def test_the_view_is_kept_per_rules(tmp_path):
    from foodtrace.services.safety.rules.config import load_rules

    store = open_store(f"sqlite:///{tmp_path / 'rules.db'}")
    try:
        capture(store, pork_chain())
        shipped = load_rules()
        same = shipped.model_copy()
        first = next(iter(shipped.scores))
        stricter = shipped.model_copy(update={"scores": {**shipped.scores, first: shipped.scores[first] + 1}})
        moved = shipped.model_copy(update={"source": "another file"})
        kept = ready_view(store, "RCPT", shipped)
        assert ready_view(store, "RCPT", same) is kept  # equal rules, another object: the same view
        assert ready_view(store, "RCPT", moved) is kept  # the same rules read from another file: the same view
        assert ready_view(store, "RCPT", stricter) is not kept  # other rules: judged again
    finally:
        store.close()


def test_a_kept_trace_is_the_trace_built_afresh_and_pages_leave_it_whole(tmp_path):
    from foodtrace.model.vocab import Role
    from foodtrace.services.capture.principal import Principal
    from foodtrace.services.tracing.lot_reads import trace_page
    from foodtrace.services.tracing.trace import build_trace

    store = open_store(f"sqlite:///{tmp_path / 'traces.db'}")
    other = EmbeddedStore(store.path, read_cache=0)
    try:
        capture(store, pork_chain())
        first = build_trace(store, store.backward("RCPT"), "backward")
        assert build_trace(store, store.backward("RCPT"), "backward") is first  # kept
        page = trace_page(store, Principal("i", "INS", Role.INSPECTOR), "RCPT", "backward", offset=1, limit=2)
        assert len(page.lots) == 2
        again = build_trace(store, store.backward("RCPT"), "backward")
        assert again is first and len(again.lots) == len(first.lots) and again.lots[0].depth == 0
        capture(store, [cert(["PIG"], "lab_test", issuer="S1", result="fail")])
        changed = build_trace(store, store.backward("RCPT"), "backward")
        other.open()
        assert changed is not first and changed == build_trace(other, other.backward("RCPT"), "backward")
        assert build_trace(store, store.backward("RCPT", 2), "backward") != changed  # a cut walk: another trace
    finally:
        other.close()
        store.close()
