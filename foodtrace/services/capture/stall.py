"""The phone form of a small business (三小: stall, shop, workshop — /stall): a purchase recorded by
the supplier's code through the entry gate (``safety.receiving.receive``: checked, and on accept
recorded with the stall's own receipt code), a day's sales summary of one lot as a retail sale,
and the business's own ledger for a date range (进货查验记录 and sales, what a market-supervision
officer asks to see), as rows or as a workbook. Quantities in the units people use (``斤`` …),
converted to the lot's unit; prices per the unit written. Always for the caller's own party."""

from __future__ import annotations

from datetime import datetime, timedelta
import secrets

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from foodtrace.errors import InvalidInput, detail
from foodtrace.graph.store import GraphStore
from foodtrace.i18n.keyed import keyed
from foodtrace.i18n.refusals import refusal
from foodtrace.i18n import label, t
from foodtrace.ingest.capture import reason_detail
from foodtrace.ingest.ledger_book import ledger_workbook
from foodtrace.ingest.ledger_words import unit as unit_of, unit_name
from foodtrace.model.common import HUGE, Code, Day, NonNegativeNumber, PartyId, PositiveNumber, Text
from foodtrace.model.vocab import Unit
from foodtrace.services.capture.access import Action, Principal, require
from foodtrace.services.capture.door import record
from foodtrace.services.report.period import period
from foodtrace.services.safety.receiving import Decision, EntryRequest, receive
from foodtrace.services.safety.rules import RuleConfig
from foodtrace.services.tracing.identifiers import resolve

MAX_DAYS = 366


class Purchase(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: Code = Field(description="The supplier's trace code or QR link")
    supplier: PartyId | None = None
    quantity: PositiveNumber
    unit: str = Field("kg", max_length=10, description="kg, 千克, 公斤, 斤, 头, 件 …")
    unit_price: NonNegativeNumber | None = Field(None, description="Per the unit written")
    amount: NonNegativeNumber | None = None
    document: Text | None = None


class DaySales(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: Code = Field(description="The lot sold from: the stall's own trace code")
    quantity: PositiveNumber
    unit: str = Field("kg", max_length=10)
    amount: NonNegativeNumber | None = None
    day: Day | None = Field(None, description="The day of the sales (default: today)")


class LedgerRow(BaseModel):
    time: datetime
    kind: str  # purchase | sale
    counterpart: str | None
    code: str
    new_code: str | None
    product: str | None
    quantity: float = Field(description="As written (50 for 50 斤), else as stored")
    unit: str = Field(description="As written (斤, 头 …), else the stored unit (kg, head, piece)")
    unit_price: float | None = Field(description="Per the unit of `unit`")
    amount: float | None
    document: str | None
    stored_quantity: float = Field(description="In the stored unit")
    stored_unit: str


def _row(ev, **kw) -> LedgerRow:
    """A ledger row of a purchase or sale: its quantity, unit and unit price as the person wrote them."""
    qty, unit, price = ev.lot.quantity, ev.lot.unit.value, ev.unit_price
    if ev.declared is not None:
        factor = ev.lot.quantity / ev.declared.quantity  # stored units per unit written
        qty, unit = ev.declared.quantity, ev.declared.unit
        price = round(price * factor, 6) if price is not None else None
    return LedgerRow(quantity=qty, unit=unit, unit_price=price, amount=ev.amount, stored_quantity=ev.lot.quantity,
                     stored_unit=ev.lot.unit.value, **kw)


def _own_party(who: Principal) -> str:
    if not who.party:
        raise keyed(InvalidInput, "stall_no_party", [refusal(None, "party", "stall_business_key")])
    return who.party


def _declared(quantity: float, written: str, stored: Unit) -> dict | None:
    """The quantity as written, when its unit is not the stored unit's own name."""
    return None if written.strip().lower() == stored.value else {"quantity": quantity, "unit": written.strip()}


def _quantity(quantity: float, written: str, price: float | None) -> tuple[float, Unit, float | None]:
    found = unit_of(written)
    if found is None:
        raise keyed(InvalidInput, "stall_unknown_unit", [refusal(None, "unit", "stall_units", units="kg, 千克, 公斤, 斤, 头, 件 …")],
                    unit=repr(written))
    stored, factor = found
    if quantity * factor > HUGE:
        raise keyed(InvalidInput, "stall_too_much", [refusal(None, "quantity", "stall_at_most", max=f"{HUGE:g}", unit=stored)])
    return round(quantity * factor, 6), Unit(stored), (round(price / factor, 6) if price is not None else None)


def record_purchase(store: GraphStore, principal: Principal | None, p: Purchase,
                    rules: RuleConfig | None = None) -> Decision:
    who = require(principal, Action.RECEIVE)
    qty, unit, price = _quantity(p.quantity, p.unit, p.unit_price)
    now = datetime.now().astimezone()
    try:
        req = EntryRequest(code=p.code, receiver=_own_party(who), supplier=p.supplier, quantity=qty, unit=unit,
                           document=p.document or f"{now:%Y%m%d%H%M%S}", unit_price=price, amount=p.amount,
                           declared=_declared(p.quantity, p.unit, unit))
    except ValidationError as exc:
        raise keyed(InvalidInput, "stall_purchase_invalid", [_said(".".join(map(str, e["loc"])), e)
                                                             for e in exc.errors()]) from exc
    return receive(store, who, req, rules)


def _said(field: str, err: dict) -> dict:
    """A pydantic error of the purchase, keyed when its English is pydantic's own message."""
    keyed_detail = reason_detail(None, field, err)
    return keyed_detail if keyed_detail["reason"] == err["msg"] else detail(None, field, err["msg"])


def record_day_sales(store: GraphStore, principal: Principal | None, s: DaySales, tz: str = "+08:00",
                     rules: RuleConfig | None = None) -> str:
    """The day's sales of lot ``s.code`` as one retail sale (its receipt code a day summary's); its id."""
    who = require(principal, Action.CAPTURE)
    qty, unit, _ = _quantity(s.quantity, s.unit, None)
    lot = resolve(store, s.code)
    p = period(s.day, s.day, tz)
    when = min(datetime.now(p.tz), p.end - timedelta(seconds=1))
    ev = {"type": "retail_sale", "event_time": when.isoformat(), "party": _own_party(who),
          "lot": {"code": lot.code, "quantity": qty, "unit": unit.value},
          "receipt": f"{who.party}-{p.first:%Y%m%d}-{secrets.token_hex(4).upper()}"}
    if s.amount is not None:
        ev["amount"] = s.amount
    if (written := _declared(s.quantity, s.unit, unit)) is not None:
        ev["declared"] = written
    res = record(store, who, [ev], rules=rules)
    return (res.stored + res.duplicates)[0]


def own_ledger(store: GraphStore, principal: Principal | None, first: str | None, last: str | None,
               tz: str = "+08:00") -> list[LedgerRow]:
    """The caller's own purchases and sales between the days ``first`` and ``last`` (both included)."""
    who = require(principal, Action.WHOAMI)
    _own_party(who)
    p = period(first, last, tz)
    if (p.last - p.first).days > MAX_DAYS:
        raise keyed(InvalidInput, "stall_one_year", [refusal(None, "from", "stall_at_most_days", max=MAX_DAYS)])
    rows = []
    events = [se.event for se in store.party_trades(who.party, p.start, p.end)]
    # A trade recorded on both sides (the supplier's ship, the receiver's receive) is one row: the
    # party's own record of it, else the other side's.
    recorded = {(ev.lot.code, ev.from_party, ev.to_party) for ev in events
                if ev.type == "handoff" and ev.party == who.party}
    for ev in events:
        if ev.type == "handoff" and ev.party != who.party and (ev.lot.code, ev.from_party, ev.to_party) in recorded:
            continue
        if ev.type == "handoff" and who.party in (ev.to_party, ev.from_party):
            bought = ev.to_party == who.party
            rows.append(_row(ev, time=ev.event_time.astimezone(p.tz), kind="purchase" if bought else "sale",
                             counterpart=ev.from_party if bought else ev.to_party, code=ev.lot.code,
                             new_code=ev.new_lot.code if ev.new_lot and bought else None,
                             product=ev.new_lot.product.value if ev.new_lot else None, document=ev.document))
        elif ev.type == "retail_sale" and ev.party == who.party:
            rows.append(_row(ev, time=ev.event_time.astimezone(p.tz), kind="sale", counterpart=None,
                             code=ev.lot.code, new_code=ev.receipt, product=None, document=None))
    return sorted(rows, key=lambda r: r.time)


def ledger_xlsx(rows: list[LedgerRow], lang: str = "zh") -> bytes:
    heads = ["time", "ledger_kind", "counterpart", "trace_code", "stall_new_code", "product", "stall_quantity",
             "stall_unit", "stall_unit_price", "stall_amount", "desk_document"]
    sheets = []
    for kind, title in (("purchase", "ledger_purchase"), ("sale", "ledger_sales")):
        body = [[r.time.strftime("%Y-%m-%d %H:%M"), t(f"stall_{kind}", lang), r.counterpart, r.code, r.new_code,
                 label(r.product, lang) if r.product else None, r.quantity, unit_name(r.unit, lang), r.unit_price,
                 r.amount, r.document] for r in rows if r.kind == kind]
        sheets.append((t(title, lang), [t(f"stall_col_{h}" if not h.startswith(("stall_", "desk_", "trace_",
                                                                                   "product")) else h, lang)
                                        for h in heads], body))
    return ledger_workbook(sheets)


__all__ = ["Purchase", "DaySales", "LedgerRow", "record_purchase", "record_day_sales", "own_ledger", "ledger_xlsx"]
