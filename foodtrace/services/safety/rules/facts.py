"""Facts: a compact, rule-ready picture of lots, folded from events.

Built either for a whole district by streaming ``store.iter_log()`` (one pass,
only small per-lot records kept) or for a few lots from ``store.lot_events``
(the market-entry gate). Every rule reads this one picture, so the gate and
the district check cannot disagree. Retracted events are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Iterable, Iterator

from foodtrace.graph.readcache import ReadModel
from foodtrace.graph.store import GraphStore, StoredEvent
from foodtrace.model.parties import Party
from foodtrace.model.vocab import Commodity

CONSUMER = "consumer"
CATEGORY = {c.value: c.category.value for c in Commodity}
CONSUMING = frozenset({"transformation", "handoff_new", "sale"})  # the uses that take quantity out of a lot
NONE: tuple = ()  # the shared empty list of a lot with no certificates, inputs, uses… (a list once it has one)


def _v(x):
    """A vocabulary member's value (read directly: the enum property is slow in a hot loop)."""
    return getattr(x, "_value_", x)


def _push(lf: "LotFact", name: str, item) -> None:
    current = getattr(lf, name)
    if current is NONE:
        setattr(lf, name, [item])
    else:
        current.append(item)


@dataclass(slots=True)
class Cert:
    event_id: str
    kind: str
    result: str
    number: str
    issuer: str
    time: datetime
    quantity: float | None
    unit: str | None
    valid_until: date | None


@dataclass(slots=True)
class Applied:
    event_id: str
    party: str
    time: datetime
    input_kind: str
    input_name: str
    interval_days: int


@dataclass(slots=True)
class Use:
    """A lot used, moved or sold: ``how`` is transformation, handoff (the same
    code moves on), handoff_new (a new code is issued), sale, or pack (packed
    onto a pallet, keeping its own code)."""

    event_id: str
    time: datetime
    how: str
    party: str  # who used it or passed it on
    quantity: float
    unit: str
    to_party: str | None = None
    new_lot: str | None = None
    kind: str | None = None  # the transformation kind

    @property
    def consumes(self) -> bool:
        """Whether it takes quantity out of the lot (a same-code handoff or packing does not)."""
        return self.how in CONSUMING


@dataclass(slots=True)
class Transform:
    event_id: str
    party: str
    time: datetime
    kind: str
    inputs: list[tuple[str, float, str]]  # (code, quantity, unit)
    outputs: list[tuple[str, str, float, str]]  # (code, product, quantity, unit)


@dataclass(slots=True)
class LotFact:
    code: str
    product: str | None = None
    quantity: float | None = None
    unit: str | None = None
    creator: str | None = None  # the acting party of the creating event (None: a placeholder)
    owner: str | None = None  # who held it when it came into being
    created_at: datetime | None = None
    made_by: str | None = None  # commission, slaughter, cutting…, handoff, retail_sale
    made_event: str | None = None
    parents: list[tuple[str, float | None, str | None]] = NONE  # type: ignore[assignment]
    certs: list[Cert] = NONE  # type: ignore[assignment]
    applied: list[Applied] = NONE  # type: ignore[assignment]
    uses: list[Use] = NONE  # type: ignore[assignment]
    recalls: list[str] = NONE  # type: ignore[assignment]

    @property
    def category(self) -> str | None:
        return CATEGORY.get(self.product) if self.product else None

    def consumed(self) -> float:
        """How much of the lot was used, passed on under a new code or sold (in its unit)."""
        unit = self.unit
        return sum([u.quantity for u in self.uses if u.how in CONSUMING and u.unit == unit])


PARTY_RECORD = "party_record"  # the read model of a registered party (``kept_parties``)


def kept_parties(store: GraphStore, ids: Iterable[str]) -> dict[str, Party]:
    """``store.get_parties(ids)``, each party kept by the store as a read model until it registers anew (a
    lineage's facts name the same few parties again and again: no query for them on every fold)."""

    def build(missing: list[str]) -> dict[str, ReadModel]:
        return {pid: ReadModel(p, frozenset(), frozenset((pid,))) for pid, p in store.get_parties(missing).items()}

    return store.read_models(PARTY_RECORD, ids, build)


class Facts:
    def __init__(self) -> None:
        self.lots: dict[str, LotFact] = {}
        self.parties: dict[str, Party] = {}
        self.transforms: dict[str, Transform] = {}
        self.recall_started: dict[str, datetime] = {}  # recall id -> when it started
        # one handoff reported by both sides (a ship and a receive with one document) counts once
        self._transfers: dict[tuple, tuple[Use, str]] = {}
        self._seen: set[str] = set()
        self.events = 0  # events folded in

    # -- building ------------------------------------------------------------

    @classmethod
    def from_log(cls, store: GraphStore) -> "Facts":
        """The whole district, streamed from the log."""
        facts = cls()
        for se in store.iter_log():  # the log holds each event once: no need to remember ids
            facts.fold(se)
        return facts

    @classmethod
    def from_lots(cls, store: GraphStore, codes: Iterable[str]) -> "Facts":
        """These lots, from their events (and the parties they name)."""
        return cls.from_events(store, store.lot_events(codes))

    @classmethod
    def from_events(cls, store: GraphStore, lot_events: dict[str, list[StoredEvent]]) -> "Facts":
        """These lots, from events already fetched (``store.lot_events``), and the parties they name."""
        facts = cls()
        stored: dict[str, StoredEvent] = {}
        for events in lot_events.values():
            for se in events:
                stored.setdefault(se.event_id, se)
        for se in sorted(stored.values(), key=lambda s: s.seq):
            facts.add(se)
        facts.parties.update(kept_parties(store, sorted(facts.party_ids() - set(facts.parties))))
        return facts

    def lot(self, code: str) -> LotFact:
        lf = self.lots.get(code)
        if lf is None:
            lf = self.lots[code] = LotFact(code)
        return lf

    def get(self, code: str) -> LotFact | None:
        return self.lots.get(code)

    def party_ids(self) -> set[str]:
        ids: set[str] = set()
        for lf in self.lots.values():
            ids.update(p for p in (lf.creator, lf.owner) if p)
            ids.update(c.issuer for c in lf.certs)
            ids.update(a.party for a in lf.applied)
            for u in lf.uses:
                ids.update(p for p in (u.party, u.to_party) if p)
        ids.discard(CONSUMER)
        return ids

    def names(self) -> dict[str, str]:
        return {pid: p.name for pid, p in self.parties.items()}

    def kind_of(self, party: str | None) -> str | None:
        p = self.parties.get(party or "")
        return _v(p.kind) if p else None

    def _create(self, code: str, product, quantity, unit, ev, made_by: str, owner: str) -> LotFact:
        lf = self.lot(code)
        lf.product = _v(product)
        lf.quantity, lf.unit = quantity, _v(unit)
        lf.creator, lf.owner, lf.created_at = ev.party, owner, ev.event_time
        lf.made_by, lf.made_event = made_by, ev.event_id
        return lf

    def add(self, se: StoredEvent) -> None:
        """Fold one stored event in (retracted events and repeats are skipped)."""
        if se.event_id in self._seen:
            return
        self._seen.add(se.event_id)
        self.fold(se)

    def fold(self, se: StoredEvent) -> None:
        """Fold one stored event in, in log order (retracted events are skipped; repeats are not:
        for streaming the log, which holds each event once)."""
        ev = se.event
        if se.retracted_by is not None:
            return
        self.events += 1
        handler = getattr(self, f"_on_{ev.type}", None)
        if handler is not None:
            handler(ev)

    def _on_party_registration(self, ev) -> None:
        self.parties[ev.registered.id] = ev.registered

    def _on_commission(self, ev) -> None:
        for s in ev.lots:
            self._create(s.code, s.product, s.quantity, s.unit, ev, "commission", ev.party)

    def _on_input_application(self, ev) -> None:
        for code in ev.lots:
            _push(self.lot(code), "applied", Applied(ev.event_id, ev.party, ev.event_time, _v(ev.input_kind),
                                                     ev.input_name, ev.interval_days))

    def _on_transformation(self, ev) -> None:
        kind = _v(ev.kind)
        inputs = [(i.code, i.quantity, _v(i.unit)) for i in ev.inputs]
        for code, q, unit in inputs:
            _push(self.lot(code), "uses", Use(ev.event_id, ev.event_time, "transformation", ev.party, q, unit,
                                              kind=kind))
        outputs = []
        for o in ev.outputs:
            lf = self._create(o.code, o.product, o.quantity, o.unit, ev, kind, ev.party)
            lf.parents = list(inputs)
            outputs.append((o.code, lf.product, o.quantity, lf.unit))
        self.transforms[ev.event_id] = Transform(ev.event_id, ev.party, ev.event_time, kind, inputs, outputs)

    def _on_handoff(self, ev) -> None:
        lot, action = ev.lot, _v(ev.action)
        key = (lot.code, ev.from_party, ev.to_party, lot.quantity, ev.document)
        prior = self._transfers.get(key)
        if prior is not None and prior[1] != action and ev.document is not None:
            use = prior[0]  # the other side's report of the same handoff (ship / receive)
            self._transfers[key] = (use, "both")
        else:
            use = Use(ev.event_id, ev.event_time, "handoff", ev.from_party, lot.quantity, _v(lot.unit),
                      to_party=ev.to_party)
            self._transfers[key] = (use, action)
            _push(self.lot(lot.code), "uses", use)
        if ev.new_lot is not None and use.new_lot is None:
            use.how, use.new_lot = "handoff_new", ev.new_lot.code
            n = ev.new_lot
            lf = self._create(n.code, n.product, n.quantity, n.unit, ev, "handoff", ev.to_party)
            lf.parents = [(lot.code, lot.quantity, _v(lot.unit))]

    def _on_certificate(self, ev) -> None:
        for code in ev.lots:
            _push(self.lot(code), "certs", Cert(ev.event_id, _v(ev.kind), _v(ev.result), ev.number, ev.issuer,
                                                ev.event_time, ev.quantity, _v(ev.unit), ev.valid_until))

    def _on_retail_sale(self, ev) -> None:
        lot = ev.lot
        parent = self.lot(lot.code)
        _push(parent, "uses", Use(ev.event_id, ev.event_time, "sale", ev.party, lot.quantity, _v(lot.unit),
                                  to_party=CONSUMER, new_lot=ev.receipt))
        lf = self._create(ev.receipt, parent.product, lot.quantity, lot.unit, ev, "retail_sale", CONSUMER)
        lf.parents = [(lot.code, lot.quantity, _v(lot.unit))]

    def _on_aggregation(self, ev) -> None:
        """Packing makes the pallet a lot of its contents (like a mix); unpacking adds nothing."""
        if ev.action != "pack":
            return
        children = [(c.code, c.quantity, _v(c.unit)) for c in ev.children]
        for code, q, unit in children:
            if q is not None:
                _push(self.lot(code), "uses", Use(ev.event_id, ev.event_time, "pack", ev.party, q, unit,
                                                  new_lot=ev.parent))
        lf = self.lot(ev.parent)
        if ev.parent_lot is not None and lf.creator is None:
            p = ev.parent_lot
            self._create(p.code, p.product, p.quantity, p.unit, ev, "aggregation", ev.party)
        lf.parents = [*lf.parents, *children]

    def _on_recall(self, ev) -> None:
        self.recall_started.setdefault(ev.recall_id, ev.event_time)
        for code in ev.used_lots():
            _push(self.lot(code), "recalls", ev.recall_id)

    # -- reading -------------------------------------------------------------

    def ancestors(self, code: str) -> Iterator[str]:
        """``code`` and every lot upstream of it (each once)."""
        seen = {code}
        stack = [code]
        while stack:
            c = stack.pop()
            yield c
            lf = self.lots.get(c)
            for p, _, _ in (lf.parents if lf else ()):
                if p not in seen:
                    seen.add(p)
                    stack.append(p)

    def receipt_product(self, lf: LotFact) -> str | None:
        """A receipt's product, from the lot it was sold from (which may arrive later)."""
        if lf.product is None and lf.made_by == "retail_sale" and lf.parents:
            parent = self.lots.get(lf.parents[0][0])
            return parent.product if parent else None
        return lf.product


__all__ = ["Facts", "LotFact", "Cert", "Applied", "Use", "Transform", "CONSUMER", "kept_parties"]
