"""The statistics report's checkpoints: what a report folded is kept in the store (``GraphStore.report_
checkpoints``) and read back by the next report of the same end or period, while the log still says the
same for its time range — so a report asked again reads no fact it already folded.

Three kinds, each with the log position it reflects (``graph/report_facts_checkpoints.py`` decides
validity on the time index: no event of its range stored or retracted since):

- ``state`` at an instant ``end``: the rules' ``Facts`` of every live event before ``end`` (as the records
  stood then) and what the figures keep of them beside the period (complaints closed, recalls confirmed);
- ``check:<rules>`` at ``end``: the rules' check over those facts (``anomalies.check_facts``), per rules
  file content (another rules file is another checkpoint);
- ``period`` ``[start, end)``: what the period's own events say (the counts by type and party, the tests,
  complaints, recalls, trades and registrations of the period).

A report whose ``state`` is missing or stale folds as before (``replay.read_facts``) and keeps what it
folded; one with a valid ``state`` but no valid ``period`` reads only the period's own events
(``Shelf.facts_in``). The same report results either way (``tests/integration/test_report_checkpoints.py``
holds every path to the whole-log fold).

The blobs are pickles read by an unpickler that builds only the classes of the facts, the report and the
standard library's times and containers (``_Loader``): a store file from elsewhere cannot make a report run
code. A blob it refuses counts as missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import hashlib
import io
import logging
import pickle
from typing import Any

from foodtrace.graph.report_facts import ReportTally
from foodtrace.graph.report_facts_codec import decode
from foodtrace.graph.store import GraphStore
from foodtrace.services.report.collect import OFFICE_RECORDS, CertSeen, Collected, RecallSeen, count_event
from foodtrace.services.report.period import Period
from foodtrace.services.report.replay import fold_period
from foodtrace.services.safety.rules.anomalies import CheckReport, check_facts
from foodtrace.services.safety.rules.config import RuleConfig
from foodtrace.services.safety.rules.facts import Facts
from foodtrace.services.safety.rules.stored import slim

_log = logging.getLogger("foodtrace.report")
# what the period's own events are read for (collect.count_event with ``inside``)
PERIOD_TYPES = ("party_registration", "certificate", "complaint", "handoff", "retail_sale", "recall")


@dataclass
class State:
    """The facts as they stood at the end, and what the figures keep of every event before it."""

    facts: Facts
    closures: set[str]
    confirmations: dict[str, dict[str, tuple[float | None, str | None]]]


@dataclass
class Counted:
    """What the period's own events say (``Collected`` less what ``State`` keeps)."""

    tally: ReportTally
    new: set[str] = field(default_factory=set)
    certs: list[CertSeen] = field(default_factory=list)
    complaints: dict[str, str] = field(default_factory=dict)
    recalls: dict[str, RecallSeen] = field(default_factory=dict)
    trades: list = field(default_factory=list)


# -- a safe unpickler -----------------------------------------------------------------------------------

_MODULES = ("foodtrace.services.safety.rules.", "foodtrace.services.report.", "foodtrace.model.",
            "foodtrace.graph.report_facts")
_STD = {("builtins", n) for n in ("set", "frozenset", "list", "dict", "tuple", "object", "bytearray")} | {
    ("datetime", n) for n in ("datetime", "date", "timezone", "timedelta")} | {
    ("collections", n) for n in ("Counter", "defaultdict", "OrderedDict")} | {
    ("copyreg", "_reconstructor"), ("zoneinfo", "ZoneInfo"), ("zoneinfo._zoneinfo", "ZoneInfo")}


class _Loader(pickle.Unpickler):
    """Builds only the standard types above and classes (never functions) of the report's own modules."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _STD:
            return super().find_class(module, name)
        if module.startswith(_MODULES) and "." not in name:
            found = super().find_class(module, name)
            if isinstance(found, type):
                return found
        raise pickle.UnpicklingError(f"not a report checkpoint class: {module}.{name}")


def _loads(blob: bytes | None) -> Any:
    if blob is None:
        return None
    try:
        return _Loader(io.BytesIO(blob)).load()
    except Exception as exc:  # a blob of another version or from elsewhere: fold again
        _log.warning("report checkpoint not read (%s): folding again", exc)
        return None


def _dumps(obj: Any) -> bytes:
    return pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)


def rules_key(cfg: RuleConfig) -> str:
    """The checkpoint kind of the rules' check under these rules (their content, not their file name)."""
    return "check:" + hashlib.sha256(cfg.model_dump_json().encode()).hexdigest()[:16]


# -- the report's pass ------------------------------------------------------------------------------------


class ReportPass:
    """The report's facts, counts and check for one period: from checkpoints when valid, else folded (and
    kept). ``read`` first, then ``check``; ``keep`` stores what was folded."""

    def __init__(self, store: GraphStore, period: Period) -> None:
        self.store, self.period = store, period
        self.shelf = store.report_checkpoints()
        self._new: dict[tuple, bytes] = {}  # (kind, start) -> blob to keep
        self.hwm = 0
        self.facts: Facts | None = None
        self.folded = False  # whether the facts were folded (not read from a checkpoint)

    def read(self) -> tuple[Facts, Collected]:
        p = self.period
        if self.shelf is None:
            self.facts, col, _ = fold_period(self.store, p)
            self.folded = True
            return self.facts, col
        self.hwm = self.shelf.mark()  # before reading: what is appended meanwhile makes them stale
        state: State | None = _loads(self.shelf.get("state", None, p.end))
        counted: Counted | None = _loads(self.shelf.get("period", p.start, p.end)) if state else None
        if state is None:
            facts, col, tally = fold_period(self.store, p)
            self.folded = True
            state = State(facts, set(col.closures), {k: dict(v) for k, v in col.confirmations.items()})
            counted = Counted(tally, col.new, col.certs, col.complaints, col.recalls, col.trades)
            self._new[("state", None)] = _dumps(state)  # now: the figures may add placeholders to the facts
            self._new[("period", p.start)] = _dumps(counted)
        elif counted is None:
            counted = self._count_period()
            self._new[("period", p.start)] = _dumps(counted)
        self.facts = state.facts
        return state.facts, _collected(p, state, counted)

    def _count_period(self) -> Counted:
        """The period's own figures from its own events only."""
        p = self.period
        col = Collected(last_day=p.last)
        for _, fact, by in self.shelf.facts_in(p.start, p.end, PERIOD_TYPES):
            if by is None:
                count_event(col, slim(decode(fact)), True, p)
        return Counted(self.store.report_tally(p.start, p.end), col.new, col.certs, col.complaints, col.recalls,
                       col.trades)

    def check(self, cfg: RuleConfig) -> CheckReport:
        """The rules' check of the facts (kept per rules' content at the period's end)."""
        assert self.facts is not None, "read() first"
        if self.shelf is None:
            return check_facts(self.facts, cfg)
        kind = rules_key(cfg)
        got = None if self.folded else _loads(self.shelf.get(kind, None, self.period.end))
        if isinstance(got, CheckReport):
            return got
        check = check_facts(self.facts, cfg)
        self._new[(kind, None)] = _dumps(check)
        return check

    def keep(self) -> None:
        """Store what this pass folded or checked (a failure to store costs only the next report's time)."""
        if self.shelf is None:
            return
        for (kind, start), blob in self._new.items():
            try:
                self.shelf.put(kind, start, self.period.end, self.hwm, blob)
            except Exception as exc:  # e.g. a read-only file: the report itself is complete
                _log.warning("report checkpoint not kept (%s)", exc)
        self._new.clear()


def _collected(p: Period, state: State, counted: Counted) -> Collected:
    col = Collected(last_day=p.last, retracted=counted.tally.retracted, new=set(counted.new), certs=counted.certs,
                    complaints=counted.complaints, closures=state.closures, recalls=counted.recalls,
                    trades=counted.trades)
    col.confirmations.update(state.confirmations)
    for (typ, party), n in counted.tally.live.items():
        col.records[typ] += n
        if typ not in OFFICE_RECORDS:
            col.actors.add(party)
    return col


def clear(store: GraphStore) -> int:
    """Drop every checkpoint (they are rebuilt by the next reports)."""
    shelf = store.report_checkpoints()
    return 0 if shelf is None else shelf.clear()


__all__ = ["ReportPass", "State", "Counted", "rules_key", "clear", "PERIOD_TYPES"]
