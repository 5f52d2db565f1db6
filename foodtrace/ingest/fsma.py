"""The FDA FSMA 204 electronic sortable spreadsheet for a lot: one row per
critical tracking event (CTE) and lot, for every lot linked to it (its
backward and forward trace), with the key data elements (KDEs): traceability
lot code (TLC), product description, quantity and unit, the CTE, date and
time, location, ship-from / ship-to, reference document, the TLC source
(where the code was assigned), and the input lots of a transformation.

CTEs: commission -> Harvesting (harvest) or Initial Packing; transformation
-> Transformation; handoff -> Shipping / Receiving; EPCIS records whose
business step is shipping, receiving or commissioning -> the same CTEs.
Certificates, tests, packing and retail sales are not CTEs. Retracted events
are left out.

Cells are safe from formula injection: every cell goes through
``spreadsheet.safe_cell``.
"""

from __future__ import annotations

import csv
import io

from foodtrace.graph.store import GraphStore
from foodtrace.model.lots import Lot
from foodtrace.i18n import label
from foodtrace.ingest.epcis_map import bare
from foodtrace.model.codes import canonical_code, party_of
from foodtrace.ingest.spreadsheet import safe_cell

COLUMNS = [
    "Traceability Lot Code", "Product Description", "Quantity", "Unit of Measure", "Critical Tracking Event",
    "Event Date", "Event Time", "Location Identifier", "Location Description", "Ship From Location",
    "Ship To Location", "Reference Document Type", "Reference Document Number", "Traceability Lot Code Source",
    "Input Traceability Lot Codes", "Event ID",
]
STEP_CTE = {"shipping": "Shipping", "departing": "Shipping", "receiving": "Receiving", "arriving": "Receiving",
            "commissioning": "Initial Packing"}


def fsma_rows(store: GraphStore, root: Lot) -> list[dict]:
    """The sortable spreadsheet's rows for lot ``root``'s backward and forward trace, by time and lot."""
    codes = sorted(set(store.backward(root.code).lots) | set(store.forward(root.code).lots))
    lots = store.get_lots(codes)
    seen: dict[tuple[str, str], dict] = {}
    party_ids: set[str] = set()
    for code_, events in store.lot_events(codes).items():
        for se in events:
            for row in _rows(se.event, code_):
                seen.setdefault((row["Event ID"], row["Traceability Lot Code"]), row)
                party_ids.update(p for p in (row["Location Identifier"], row["Ship From Location"],
                                             row["Ship To Location"]) if p)
    rows = [r for r in seen.values() if r["Traceability Lot Code"] in lots]
    for r in rows:
        lot = lots[r["Traceability Lot Code"]]
        r["Product Description"] = lot.name or (label(getattr(lot.product, "value", lot.product), "en")
                                                if lot.product else "")
        r["Traceability Lot Code Source"] = lot.origin_party or ""
        party_ids.add(lot.origin_party or "")
    parties = store.get_parties(sorted(p for p in party_ids if p))
    for r in rows:
        p = parties.get(r["Location Identifier"])
        r["Location Description"] = f"{p.name} ({label(p.kind.value, 'en')}, area {p.area_code})" if p \
            else r["Location Identifier"]
        src = parties.get(r["Traceability Lot Code Source"])
        if src:
            r["Traceability Lot Code Source"] = f"{src.name} [{src.id}]"
    rows.sort(key=lambda r: (r["Event Date"], r["Event Time"], r["Traceability Lot Code"], r["Event ID"]))
    return rows


def _row(ev, code: str, cte: str, quantity, unit, **kw) -> dict:
    t = ev.event_time
    row = dict.fromkeys(COLUMNS, "")
    row.update({"Traceability Lot Code": code, "Quantity": quantity if quantity is not None else "",
                "Unit of Measure": getattr(unit, "value", unit) or "", "Critical Tracking Event": cte,
                "Event Date": t.date().isoformat(), "Event Time": t.strftime("%H:%M:%S%z"),
                "Location Identifier": ev.party, "Event ID": ev.event_id})
    row.update({k: v for k, v in kw.items() if v is not None})
    return row


def _rows(ev, code: str) -> list[dict]:
    t = ev.type
    if t == "commission":
        cte = "Harvesting" if ev.activity == "harvest" else "Initial Packing"
        return [_row(ev, s.code, cte, s.quantity, s.unit) for s in ev.lots if s.code == code]
    if t == "transformation":
        inputs = "; ".join(i.code for i in ev.inputs)
        return [_row(ev, s.code, "Transformation", s.quantity, s.unit, **{"Input Traceability Lot Codes": inputs})
                for s in ev.outputs if s.code == code]
    if t == "handoff" and code in (ev.lot.code, getattr(ev.new_lot, "code", None)):
        cte = "Shipping" if ev.action.value == "ship" else "Receiving"
        docs = {"Reference Document Type": "Despatch advice" if ev.document else None,
                "Reference Document Number": ev.document}
        rows = [_row(ev, ev.lot.code, cte, ev.lot.quantity, ev.lot.unit, **docs,
                     **{"Ship From Location": ev.from_party, "Ship To Location": ev.to_party})]
        if ev.new_lot is not None:  # the receiver's own code for what it received
            rows.append(_row(ev, ev.new_lot.code, "Receiving", ev.new_lot.quantity, ev.new_lot.unit, **docs,
                             **{"Ship From Location": ev.from_party, "Ship To Location": ev.to_party,
                                "Input Traceability Lot Codes": ev.lot.code}))
        return [r for r in rows if r["Traceability Lot Code"] == code]
    if t == "epcis_record" and ev.epcis and STEP_CTE.get(bare(ev.epcis.get("bizStep")) or ""):
        return [_epcis_row(ev, code)]
    return []


def _epcis_row(ev, code: str) -> dict:
    e = ev.epcis
    qty = unit = None
    for q in e.get("quantityList") or []:
        if isinstance(q, dict) and canonical_code(str(q.get("epcClass"))) == code:
            qty, unit = q.get("quantity"), q.get("uom") or "count"
    if qty is None and code in [str(x) for x in ev.lots]:
        qty, unit = (1, "count") if e.get("epcList") else (None, None)
    docs = [b for b in e.get("bizTransactionList") or [] if isinstance(b, dict)]
    src = [s.get("source") for s in e.get("sourceList") or [] if isinstance(s, dict)]
    dst = [s.get("destination") for s in e.get("destinationList") or [] if isinstance(s, dict)]
    return _row(ev, code, STEP_CTE[bare(e.get("bizStep"))], qty, unit, **{
        "Reference Document Type": bare(docs[0].get("type")) if docs else None,
        "Reference Document Number": docs[0].get("bizTransaction") if docs else None,
        "Ship From Location": party_of(src[0]) if src else None,
        "Ship To Location": party_of(dst[0]) if dst else None})


def write_fsma(rows: list[dict], fmt: str) -> bytes:
    """The rows as ``xlsx`` (header, filters, frozen first row) or ``csv`` (UTF-8 with BOM)."""
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(COLUMNS)
        for r in rows:
            w.writerow([safe_cell(r[c]) for c in COLUMNS])
        return buf.getvalue().encode("utf-8-sig")
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "FSMA 204"
    ws.append(COLUMNS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in rows:
        ws.append([safe_cell(r[c]) for c in COLUMNS])
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    for i, col in enumerate(COLUMNS, start=1):
        width = max([len(col)] + [len(str(r[col])) for r in rows[:500]])
        ws.column_dimensions[ws.cell(1, i).column_letter].width = min(60, width + 2)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
