"""What the statistics report keeps of an event: the few fields the rules' facts and the report's
figures read (``services/safety/rules/facts.py``, ``services/report/collect.py``), as a small JSON
object (orjson) beside the event in ``report_facts`` — so the report reads a few dozen bytes per
event instead of parsing and validating its stored body.

The object has the event's field names (lots the same way: ``code``, ``product``, ``quantity``,
``unit``), enums as their values, times as ISO 8601 text; fields the event leaves empty are null.
Types the report only counts have no object (None). ``tests/integration/test_report_facts.py``
holds a report built from these to the report folded from the whole log.
"""

from __future__ import annotations

from typing import Any, Callable

import orjson


def _v(x: Any) -> Any:
    """A vocabulary member's value (orjson writes a plain string faster than an enum)."""
    return getattr(x, "_value_", x)


def _qty(x: Any) -> dict | None:
    """A lot moved or used (``LotQty`` / ``LotUse``)."""
    return None if x is None else {"code": x.code, "quantity": x.quantity, "unit": _v(x.unit)}


def _spec(x: Any) -> dict | None:
    """A lot brought into being (``LotSpec``)."""
    return None if x is None else {"code": x.code, "product": _v(x.product), "quantity": x.quantity,
                                   "unit": _v(x.unit)}


def _priced(ev: Any) -> dict:
    return {"place": ev.place, "amount": ev.amount, "unit_price": ev.unit_price, "currency": ev.currency}


ENCODERS: dict[str, Callable[[Any], dict]] = {
    "party_registration": lambda ev: {"registered": ev.registered.model_dump(mode="json", exclude_none=True)},
    "commission": lambda ev: {"lots": [_spec(s) for s in ev.lots]},
    "input_application": lambda ev: {"lots": list(ev.lots), "input_kind": _v(ev.input_kind),
                                     "input_name": ev.input_name, "interval_days": ev.interval_days},
    "transformation": lambda ev: {"kind": _v(ev.kind), "inputs": [_qty(i) for i in ev.inputs],
                                  "outputs": [_spec(o) for o in ev.outputs]},
    "handoff": lambda ev: {"action": _v(ev.action), "from_party": ev.from_party, "to_party": ev.to_party,
                           "lot": _qty(ev.lot), "document": ev.document, "new_lot": _spec(ev.new_lot),
                           **_priced(ev)},
    "certificate": lambda ev: {"kind": _v(ev.kind), "number": ev.number, "issuer": ev.issuer,
                               "result": _v(ev.result), "lots": list(ev.lots), "quantity": ev.quantity,
                               "unit": _v(ev.unit), "sampled": ev.sampled,
                               "valid_until": ev.valid_until},
    "retail_sale": lambda ev: {"lot": _qty(ev.lot), "receipt": ev.receipt, **_priced(ev)},
    "aggregation": lambda ev: {"action": _v(ev.action), "parent": ev.parent, "parent_lot": _spec(ev.parent_lot),
                               "children": [_qty(c) for c in ev.children]},
    "recall": lambda ev: {"recall_id": ev.recall_id, "lots": list(ev.lots), "affected": list(ev.affected),
                          "holders": list(ev.holders)},
    "recall_confirmation": lambda ev: {"recall_id": ev.recall_id, "quantity_removed": ev.quantity_removed,
                                       "unit": _v(ev.unit)},
    "complaint": lambda ev: {"complaint_id": ev.complaint_id, "channel": _v(ev.channel)},
    "complaint_closure": lambda ev: {"complaint_id": ev.complaint_id},
}
FOLDED = frozenset(ENCODERS)


def encode(ev: Any) -> bytes | None:
    """The report's object of a validated event (None for a type the report only counts)."""
    enc = ENCODERS.get(ev.type)
    if enc is None:
        return None
    d = enc(ev)
    d["type"], d["event_id"], d["party"] = ev.type, ev.event_id, ev.party
    d["event_time"] = ev.event_time
    return orjson.dumps(d)  # enums as their values, times and days as ISO 8601 text (orjson's own)


decode = orjson.loads

__all__ = ["encode", "decode", "FOLDED", "ENCODERS"]
