"""Fuzzing the capture pipeline: malformed events are always rejected and never
half-stored; random operation sequences give the same answers on memory,
SQLite and Neo4j."""

from __future__ import annotations

import copy
import shutil
import tempfile

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from foodtrace.errors import FoodtraceError, InvalidInput
from foodtrace.graph import open_store
from foodtrace.ingest.capture import capture
from tests.builders import cert, commission, handoff, pork_chain, retract, sale, transform, with_id

JUNK = st.one_of(st.none(), st.integers(), st.floats(allow_nan=True), st.text(max_size=8), st.booleans(),
                 st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))


@st.composite
def malformed(draw):
    """A valid event with one field broken: removed, replaced by junk, or an unknown one added."""
    base = draw(st.sampled_from(pork_chain()[4:]))
    ev = copy.deepcopy(base)
    how = draw(st.sampled_from(["drop", "junk", "extra", "nested"]))
    keys = [k for k in ev if k != "event_id"]
    key = draw(st.sampled_from(keys))
    if how == "drop" and key not in ("action", "result", "activity", "document"):
        del ev[key]
    elif how == "extra":
        ev[draw(st.sampled_from(["colour", "price", "x"]))] = draw(JUNK)
    elif how == "nested" and isinstance(ev.get("lot"), dict):
        ev["lot"]["quantity"] = draw(st.sampled_from([0, -1, "many", None]))
    else:
        if key == "type":
            ev[key] = draw(st.sampled_from(["teleport", 3, None]))
        elif key == "event_time":
            ev[key] = draw(st.sampled_from(["2025-01-01T00:00:00", "yesterday", 5, None]))
        else:
            ev[key] = draw(st.one_of(st.none(), st.integers(), st.lists(st.integers(), max_size=1)))
    return ev


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bad=malformed(), pos=st.integers(0, 5))
def test_a_malformed_event_rejects_its_whole_batch(bad, pos):
    from foodtrace.model import EVENT_ADAPTER

    try:
        EVENT_ADAPTER.validate_python(bad)
        still_valid = True  # the mutation left a valid event (e.g. junk in an optional field that allows it)
    except Exception:  # noqa: BLE001
        still_valid = False
    assume(not still_valid)
    store = open_store("memory://")
    try:
        batch = [commission(f"OK{i}") for i in range(5)]
        batch.insert(pos, bad)
        try:
            capture(store, batch)
            raise AssertionError("a malformed event was accepted")
        except InvalidInput as exc:
            assert any(d["position"] == pos for d in exc.details)
        assert store.counts()["events"] == 0
    finally:
        store.close()


CODES = ["A", "B", "C", "D", "E"]


class Divergence(RuleBasedStateMachine):
    """The same operations on every backend must give the same answers."""

    @initialize()
    def open_stores(self):
        from tests.neo4j_support import fresh_neo4j_store

        self.tmp = tempfile.mkdtemp(prefix="ft-stateful-")
        self.stores = {"memory": open_store("memory://"), "sqlite": open_store(f"sqlite:///{self.tmp}/s.db"),
                       "neo4j": fresh_neo4j_store()}
        self.ids: list[str] = []
        self.n = 0

    def _apply(self, batch):
        outcomes = {}
        for name, s in self.stores.items():
            try:
                res = capture(s, copy.deepcopy(batch))
                outcomes[name] = ("ok", tuple(sorted(res.stored)), tuple(sorted(res.duplicates)),
                                  tuple(sorted(res.placeholders)))
            except FoodtraceError as exc:
                outcomes[name] = (type(exc).__name__, exc.code)
        assert len(set(outcomes.values())) == 1, outcomes
        if outcomes["memory"][0] == "ok":
            self.ids += [e["event_id"] for e in batch if "event_id" in e]

    def _id(self):
        self.n += 1
        return f"ev{self.n}"

    @rule(code=st.sampled_from(CODES), qty=st.integers(1, 3))
    def commission(self, code, qty):
        self._apply([with_id(commission(code, qty=qty), self._id())])

    @rule(inputs=st.lists(st.sampled_from(CODES), min_size=1, max_size=2, unique=True), out=st.sampled_from(CODES))
    def transform(self, inputs, out):
        self._apply([with_id(transform(inputs, [out], kind="mixing"), self._id())])

    @rule(code=st.sampled_from(CODES), new=st.sampled_from(CODES + [None]))
    def handoff(self, code, new):
        if new == code:
            new = None
        self._apply([with_id(handoff(code, new=new), self._id())])

    @rule(code=st.sampled_from(CODES), receipt=st.sampled_from(["R1", "R2"]))
    def sell(self, code, receipt):
        self._apply([with_id(sale(code, receipt), self._id())])

    @rule(codes=st.lists(st.sampled_from(CODES), min_size=1, max_size=2, unique=True))
    def certify(self, codes):
        self._apply([with_id(cert(codes, number="N1"), self._id())])

    @rule(data=st.data())
    def retract_some(self, data):
        target = data.draw(st.sampled_from(self.ids + ["nope"]))
        self._apply([with_id(retract(target), self._id())])

    @rule(data=st.data())
    def replay(self, data):
        if self.ids:
            self._apply([with_id(commission("A"), data.draw(st.sampled_from(self.ids)))])

    @invariant()
    def same_answers(self):
        if not hasattr(self, "stores"):
            return
        views = {}
        for name, s in self.stores.items():
            c = s.counts()
            views[name] = (
                c["events"], c["lots"], c["unconfirmed_lots"], c["retracted"],
                tuple(sorted(s.backward(x).lots) for x in CODES + ["R1", "R2"]),
                tuple(sorted(s.forward(x).lots) for x in CODES),
                tuple(sorted((k, tuple(e.event_id for e in v)) for k, v in s.lot_events(CODES).items())),
            )
        assert views["memory"] == views["sqlite"] == views["neo4j"], views

    def teardown(self):
        for s in getattr(self, "stores", {}).values():
            s.close()
        if hasattr(self, "tmp"):
            shutil.rmtree(self.tmp, ignore_errors=True)


Divergence.TestCase.settings = settings(max_examples=25, stateful_step_count=12, deadline=None,
                                        suppress_health_check=[HealthCheck.too_slow])
TestNoDivergence = Divergence.TestCase
