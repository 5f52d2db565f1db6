"""The rules' facts folded straight from decoded report facts (``graph/report_facts_codec.py``: one JSON
object per event) — no object per event and none per lot in it, only the ``LotFact``, ``Use``, ``Cert``…
that ``Facts`` keeps.

Each ``on_<type>`` here does what ``Facts._on_<type>`` does with a validated event, reading the same
fields from the object (a field left out — a Neo4j body omits its None fields — reads as None). The
model-side handlers stay the reference (``Facts.from_log``); ``tests/integration/test_report_facts.py``
and ``tests/unit/test_fold_dicts.py`` hold the two to the same facts.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Callable

from foodtrace.model.parties import Party
from foodtrace.services.safety.rules.facts import CONSUMER, NONE, Applied, Cert, Facts, LotFact, Transform, Use

Fact = dict  # a decoded report fact: the event's own field names, enums as their values, times as text


class DictFold:
    """Folds decoded report facts into ``facts``, in log order: ``fold(fact, event time)``."""

    def __init__(self, facts: Facts) -> None:
        self.facts = facts
        self.lots = facts.lots
        self.handlers: dict[str, Callable[[Fact, datetime], None]] = {
            "party_registration": self.on_party_registration, "commission": self.on_commission,
            "input_application": self.on_input_application, "transformation": self.on_transformation,
            "handoff": self.on_handoff, "certificate": self.on_certificate, "retail_sale": self.on_retail_sale,
            "aggregation": self.on_aggregation, "recall": self.on_recall}

    def fold(self, d: Fact, t: datetime) -> None:
        handler = self.handlers.get(d["type"])
        if handler is not None:
            handler(d, t)

    def lot(self, code: str) -> LotFact:
        lf = self.lots.get(code)
        if lf is None:
            lf = self.lots[code] = LotFact(code)
        return lf

    def create(self, spec: dict, product: str | None, d: Fact, t: datetime, made_by: str, owner: str) -> LotFact:
        """``Facts._create`` of a lot spec (``code``, ``quantity``, ``unit``; the product given apart)."""
        return _create(self.lots, spec["code"], product, spec.get("quantity"), spec.get("unit"), d["party"], owner,
                       t, made_by, d["event_id"])

    # -- one per folded type, as Facts._on_<type> ---------------------------------------------------

    def on_party_registration(self, d: Fact, t: datetime) -> None:
        party = Party.model_validate(d["registered"])
        self.facts.parties[party.id] = party

    def on_commission(self, d: Fact, t: datetime) -> None:
        party = d["party"]
        for s in d["lots"]:
            self.create(s, s.get("product"), d, t, "commission", party)

    def on_input_application(self, d: Fact, t: datetime) -> None:
        eid, party = d["event_id"], d["party"]
        kind, name, days = d.get("input_kind"), d.get("input_name"), d.get("interval_days")
        for code in d["lots"]:
            _push(self.lot(code), "applied", Applied(eid, party, t, kind, name, days))

    def on_transformation(self, d: Fact, t: datetime) -> None:
        eid, party, kind = d["event_id"], d["party"], d.get("kind")
        inputs = [(i["code"], i.get("quantity"), i.get("unit")) for i in d.get("inputs") or ()]
        for code, q, unit in inputs:
            _push(self.lot(code), "uses", Use(eid, t, "transformation", party, q, unit, kind=kind))  # type: ignore[arg-type]
        outputs = []
        for o in d.get("outputs") or ():
            lf = self.create(o, o.get("product"), d, t, kind, party)  # type: ignore[arg-type]
            lf.parents = list(inputs)
            outputs.append((o["code"], lf.product, o.get("quantity"), lf.unit))
        self.facts.transforms[eid] = Transform(eid, party, t, kind, inputs, outputs)  # type: ignore[arg-type]

    def on_handoff(self, d: Fact, t: datetime) -> None:
        lot, action, document = d["lot"], d.get("action"), d.get("document")
        code, quantity, unit = lot["code"], lot.get("quantity"), lot.get("unit")
        to_party, from_party = d.get("to_party"), d.get("from_party")
        key = (code, from_party, to_party, quantity, document)
        transfers = self.facts._transfers
        prior = transfers.get(key)
        if prior is not None and prior[1] != action and document is not None:
            use = prior[0]  # the other side's report of the same handoff (ship / receive)
            transfers[key] = (use, "both")
        else:
            use = Use(d["event_id"], t, "handoff", from_party, quantity, unit, to_party)  # type: ignore[arg-type]
            transfers[key] = (use, action)
            lf = self.lots.get(code)
            if lf is None:
                self.lots[code] = LotFact(code, uses=[use])
            elif lf.uses is NONE:
                lf.uses = [use]
            else:
                lf.uses.append(use)
        n = d.get("new_lot")
        if n is not None and use.new_lot is None:
            use.how, use.new_lot = "handoff_new", n["code"]
            new = _create(self.lots, n["code"], n.get("product"), n.get("quantity"), n.get("unit"), d["party"],
                          to_party, t, "handoff", d["event_id"])  # type: ignore[arg-type]
            new.parents = [(code, quantity, unit)]

    def on_certificate(self, d: Fact, t: datetime) -> None:
        until = d.get("valid_until")
        if until is not None:
            until = date.fromisoformat(until)
        eid, kind, result, number, issuer = d["event_id"], d.get("kind"), d.get("result"), d.get("number"), \
            d.get("issuer")
        quantity, unit = d.get("quantity"), d.get("unit")
        lots = self.lots
        for code in d["lots"]:
            cert = Cert(eid, kind, result, number, issuer, t, quantity, unit, until)  # type: ignore[arg-type]
            lf = lots.get(code)
            if lf is None:
                lots[code] = LotFact(code, certs=[cert])
            elif lf.certs is NONE:
                lf.certs = [cert]
            else:
                lf.certs.append(cert)

    def on_retail_sale(self, d: Fact, t: datetime) -> None:
        lot = d["lot"]
        code, quantity, unit = lot["code"], lot.get("quantity"), lot.get("unit")
        eid, party, receipt = d["event_id"], d["party"], d["receipt"]
        use = Use(eid, t, "sale", party, quantity, unit, CONSUMER, receipt)
        lots = self.lots
        parent = lots.get(code)
        if parent is None:
            parent = lots[code] = LotFact(code, uses=[use])
        elif parent.uses is NONE:
            parent.uses = [use]
        else:
            parent.uses.append(use)
        lf = _create(lots, receipt, parent.product, quantity, unit, party, CONSUMER, t, "retail_sale", eid)
        lf.parents = [(code, quantity, unit)]

    def on_aggregation(self, d: Fact, t: datetime) -> None:
        if d.get("action") != "pack":
            return
        eid, party, parent = d["event_id"], d["party"], d["parent"]
        children = [(c["code"], c.get("quantity"), c.get("unit")) for c in d.get("children") or ()]
        for code, q, unit in children:
            if q is not None:
                _push(self.lot(code), "uses", Use(eid, t, "pack", party, q, unit, new_lot=parent))
        lf = self.lot(parent)
        p = d.get("parent_lot")
        if p is not None and lf.creator is None:
            self.create(p, p.get("product"), d, t, "aggregation", party)
        lf.parents = [*lf.parents, *children]

    def on_recall(self, d: Fact, t: datetime) -> None:
        rid = d["recall_id"]
        self.facts.recall_started.setdefault(rid, t)
        for code in dict.fromkeys([*(d.get("lots") or ()), *(d.get("affected") or ())]):
            _push(self.lot(code), "recalls", rid)


def _create(lots: dict[str, LotFact], code: str, product: str | None, quantity: float | None, unit: str | None,
            creator: str, owner: str, t: datetime, made_by: str, made_event: str) -> LotFact:
    """A lot brought into being (``Facts._create``): a new ``LotFact`` in one call, else the placeholder
    (or earlier lot) of that code given these fields, its lists kept."""
    lf = lots.get(code)
    if lf is None:
        lf = lots[code] = LotFact(code, product, quantity, unit, creator, owner, t, made_by, made_event)
        return lf
    lf.product, lf.quantity, lf.unit = product, quantity, unit
    lf.creator, lf.owner, lf.created_at = creator, owner, t
    lf.made_by, lf.made_event = made_by, made_event
    return lf


def _push(lf: LotFact, name: str, item) -> None:
    current = getattr(lf, name)
    if current is NONE:
        setattr(lf, name, [item])
    else:
        current.append(item)


__all__ = ["DictFold"]
