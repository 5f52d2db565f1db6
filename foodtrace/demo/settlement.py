"""The demo district's electronic settlement (电子结算): what a wholesale market's settlement terminal
exports — one row per transaction (time, seller, buyer, trace code, product, weight, unit price,
amount, transaction number) — for its wholesalers' sales of what they still hold after the demo's
own deliveries, at the day's prices. Import the file with ``foodtrace ingest`` (the settlement
ledger): the rows become handoffs with their amounts, at the market (``place``)."""

from __future__ import annotations

import csv
import io
import random
from datetime import timedelta

from foodtrace.errors import NotFound
from foodtrace.i18n.keyed import keyed
from foodtrace.graph.store import GraphStore
from foodtrace.ingest.ledger_book import header_text, ledger_workbook
from foodtrace.ingest.ledger_layouts import LEDGERS
from foodtrace.ingest.spreadsheet import safe_row
from foodtrace.model.custody import holding
from foodtrace.model.vocab import Unit

# Yuan per kg, roughly a district's wholesale prices.
PRICES = {"pork": (24.0, 30.0), "beef": (60.0, 75.0), "mutton": (55.0, 70.0), "poultry": (14.0, 20.0)}
VEG_PRICE = (2.0, 8.0)
BUYER_KINDS = ("supermarket", "farmers_market", "restaurant", "school_canteen", "small_stall", "small_shop")


def _parties(store: GraphStore) -> dict[str, str]:
    """Registered party id -> kind."""
    out = {}
    for se in store.events_by_type(["party_registration"]):
        p = se.event.registered
        out[p.id] = p.kind.value
    return out


def settlement_rows(store: GraphStore, market: str | None = None, most: int = 40, seed: int = 7) -> list[list]:
    """The settlement records of ``market`` (default: the first wholesale market) as rows of the
    settlement ledger (``ledger_layouts.LEDGERS['settlement']``), at most ``most``."""
    kinds = _parties(store)
    markets = sorted(p for p, k in kinds.items() if k == "wholesale_market")
    market = market or (markets[0] if markets else None)
    if market is None or kinds.get(market) != "wholesale_market":
        raise keyed(NotFound, "demo_no_market", market=market or "", command="foodtrace demo")
    wholesalers = {p for p, k in kinds.items() if k == "wholesaler"}
    buyers = sorted(p for p, k in kinds.items() if k in BUYER_KINDS)
    rnd = random.Random(seed)
    rows: list[list] = []
    for se in store.events_by_type(["handoff"]):
        ev = se.event
        if se.retracted_by or ev.to_party not in wholesalers or ev.new_lot is None or ev.new_lot.unit != Unit.KG:
            continue
        code = ev.new_lot.code
        left = holding([s.event for s in store.lot_events([code]).get(code, [])], code, ev.to_party, Unit.KG)
        if left < 1.0 or not buyers:
            continue
        product = ev.new_lot.product.value
        low, high = PRICES.get(product, VEG_PRICE)
        price = round(rnd.uniform(low, high), 1)
        kg = round(left * rnd.uniform(0.4, 0.9), 1)
        when = (ev.event_time + timedelta(hours=4)).replace(microsecond=0)
        txn = f"JS{market}-{when:%Y%m%d}-{len(rows) + 1:05d}"
        rows.append([when.strftime("%Y-%m-%d %H:%M"), market, ev.to_party, rnd.choice(buyers), code,
                     ev.new_lot.product.label("zh"), kg, "千克", price, round(price * kg, 2), txn])
        if len(rows) >= most:
            break
    return rows


def settlement_file(store: GraphStore, market: str | None = None, most: int = 40,
                    xlsx: bool = False) -> tuple[bytes, int]:
    """The settlement records as a terminal's export: a UTF-8 CSV with a BOM (what Excel opens), or ``.xlsx``."""
    ledger = LEDGERS["settlement"]
    headers = [header_text(c, "zh") for c in ledger.columns]
    rows = settlement_rows(store, market, most)
    if xlsx:
        return ledger_workbook([(ledger.zh, headers, rows)]), len(rows)
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(headers)
    for r in rows:
        w.writerow(safe_row(r))
    return ("\ufeff" + out.getvalue()).encode("utf-8"), len(rows)
