"""Trade figures of the district report (电子结算): the handoffs and retail sales of the period that
carry settlement figures (``model.settlement``) — transactions, quantity and value — by market and
product. The market of a trade is the place it was recorded at (``place``, a settlement terminal's
market), else the seller or the buyer when that is a wholesale or farmers' market; other trades
are counted under "other" (off-market)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from foodtrace.model.settlement import DEFAULT_CURRENCY
from foodtrace.services.safety.rules.facts import Facts

MARKET_KINDS = ("wholesale_market", "farmers_market")
OFF_MARKET = "other"


@dataclass(slots=True)
class TradeSeen:
    place: str | None
    seller: str
    buyer: str | None
    code: str
    quantity: float
    unit: str
    amount: float
    currency: str


class TradeRow(BaseModel):
    market: str  # a party id, or "other"
    name: str | None = None
    product: str | None
    transactions: int
    quantity: dict[str, float]  # unit -> quantity
    amount: float
    currency: str


class Trade(BaseModel):
    transactions: int
    amount: dict[str, float]  # currency -> value
    kg: float
    rows: list[TradeRow]


def seen(ev: Any) -> TradeSeen | None:
    """A trade of the period, when the event carries settlement figures."""
    amount = ev.settled_amount()
    if amount is None:
        return None
    buyer = getattr(ev, "to_party", None)
    seller = getattr(ev, "from_party", None) or ev.party
    unit = ev.lot.unit
    return TradeSeen(ev.place, seller, buyer, ev.lot.code, ev.lot.quantity, getattr(unit, "value", unit), amount,
                     ev.currency or DEFAULT_CURRENCY)


def seen_fact(d: dict) -> TradeSeen | None:
    """``seen`` of a decoded report fact (a handoff or a retail sale; a field left out reads as None)."""
    lot = d.get("lot")
    amount = d.get("amount")
    if amount is None:
        price = d.get("unit_price")
        if price is None or lot is None:
            return None
        amount = round(price * lot.get("quantity"), 2)
    return TradeSeen(d.get("place"), d.get("from_party") or d["party"], d.get("to_party"), lot["code"],  # type: ignore[index]
                     lot.get("quantity"), lot.get("unit"), amount, d.get("currency") or DEFAULT_CURRENCY)  # type: ignore[union-attr,arg-type]


def trade(facts: Facts, trades: list[TradeSeen]) -> Trade:
    groups: dict[tuple, list] = defaultdict(lambda: [0, defaultdict(float), 0.0])
    totals: dict[str, float] = defaultdict(float)
    kg = 0.0
    for tr in trades:
        market = tr.place or next((p for p in (tr.seller, tr.buyer) if facts.kind_of(p) in MARKET_KINDS), OFF_MARKET)
        lot = facts.get(tr.code)
        product = lot.product if lot is not None else None
        g = groups[(market, product, tr.currency)]
        g[0] += 1
        g[1][tr.unit] += tr.quantity
        g[2] += tr.amount
        totals[tr.currency] += tr.amount
        kg += tr.quantity if tr.unit == "kg" else 0.0
    names = facts.names()
    rows = [TradeRow(market=m, name=names.get(m), product=p, transactions=n,
                     quantity={u: round(q, 3) for u, q in qty.items()}, amount=round(a, 2), currency=c)
            for (m, p, c), (n, qty, a) in sorted(groups.items(), key=lambda kv: (kv[0][0] == OFF_MARKET, kv[0][0],
                                                                               kv[0][1] or "", kv[0][2]))]
    return Trade(transactions=len(trades), amount={c: round(v, 2) for c, v in totals.items()}, kg=round(kg, 3),
                 rows=rows)


__all__ = ["Trade", "TradeRow", "TradeSeen", "seen", "seen_fact", "trade"]
