"""Ledgers (台账) in: spreadsheet rows -> raw events, every error naming the sheet, the row, the
column (as written in the file) and the reason, in Chinese or English.

A table is read as the ledger its sheet is named after (``进货台账`` …), the ledger its header
fits (``ledger_layouts``), or — with a ``type`` (类型) column — the generic CSV layouts
(``csv_import``). A unit converted on the way (``50 斤`` -> ``25 kg``, its price per kg doubled)
is reported in ``conversions``. Reading stores nothing: ``ingest/files.py`` hands the events to
the write door, which decides whether they may be recorded."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import tzinfo
from typing import Any

from pydantic import ValidationError

from foodtrace.errors import InvalidInput, detail
from foodtrace.i18n.refusals import localize, say_refusal, vocabulary_error
from foodtrace.ingest.capture import MAX_ERRORS
from foodtrace.ingest.ledger_book import example_row
from foodtrace.ingest.ledger_cells import CellError, parse_cell, text_of
from foodtrace.ingest.ledger_layouts import Ledger, header_map, ledger_named, ledger_of_header, norm_header
from foodtrace.ingest.ledger_words import say
from foodtrace.ingest.tables import Table, column_letter
from foodtrace.model.registry import ALL_LABELS, EVENT_ADAPTER


@dataclass
class Place:
    sheet: str | None
    row: int
    ledger: Ledger | None
    headers: dict[str, str]  # column key -> header as written


@dataclass
class LedgerBatch:
    events: list[dict] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)  # where each event came from
    conversions: list[dict] = field(default_factory=list)
    ledgers: Counter = field(default_factory=Counter)  # rows read per ledger

    def where(self, position: int | None, model_field: str | None) -> tuple[int | None, str | None]:
        """(row, column as written) for an error about event ``position`` and model field."""
        if position is None or not 0 <= position < len(self.places):
            return position, model_field
        p = self.places[position]
        return p.row, field_label(p, model_field)


def field_label(place: Place, model_field: str | None) -> str | None:
    col = None
    if place.ledger is not None and model_field:
        path = model_field.split("[")[0]
        for prefix, key in place.ledger.fields:
            if path == prefix or path.startswith(prefix + "."):
                col = key
                break
    if col is None and place.ledger is not None:
        return place.sheet  # a field no column of the ledger holds: the row is named
    header = place.headers.get(col, col) if col else model_field
    return f"{place.sheet}!{header}" if place.sheet and header else header


class _Errors(list):
    def add(self, sheet: str | None, row: int | None, column: str | None, reason: str) -> None:
        where = f"{sheet}!{column}" if sheet and column else (column or sheet)
        self.append(detail(row, where, reason))


def read_ledger_table(table: Table, batch: LedgerBatch, errors: _Errors, *, ledger: Ledger, tz: tzinfo,
                      lang: str, party: str | None) -> None:
    rows = table.rows
    hm = header_map(ledger)
    keys: list[str | None] = []
    headers: dict[str, str] = {}
    for i, h in enumerate(rows[0]):
        k = hm.get(norm_header(h)) if h not in (None, "") else None
        if k is None and h not in (None, ""):
            errors.add(table.sheet, 1, f"{text_of(h)}（{column_letter(i)}）", say("unknown_column", lang))
        keys.append(k if k not in headers else None)
        if k and k not in headers:
            headers[k] = text_of(h)
    for c in ledger.columns:
        if c.required and c.key not in headers:
            errors.add(table.sheet, 1, c.zh if lang != "en" else c.en, say("missing_column", lang))
    if errors:
        return
    examples = [[text_of(v) for v in example_row(ledger, lg)] for lg in ("zh", "en")]  # either template's
    shown = {**{c.key: c.zh if lang != "en" else c.en for c in ledger.columns}, **headers}  # absent: its name
    for no, row in enumerate(rows[1:], start=2):
        if not any(text_of(v) for v in row):
            continue
        if no == 2 and any(_is_example(keys, row, ledger, example) for example in examples):
            continue
        batch.ledgers[ledger.key] += 1
        place = Place(table.sheet, no, ledger, shown)
        values: dict[str, Any] = {}
        failed: set[str] = set()
        for k, v in zip(keys, row):
            if k is None or not text_of(v):
                continue
            try:
                values[k] = parse_cell(ledger.column(k).kind, v, tz, lang)
            except CellError as exc:
                errors.add(table.sheet, no, headers[k], str(exc))
                failed.add(k)
            if k == "unit":
                values["unit_written"] = text_of(v)
        for c in ledger.columns:
            if c.default_party and c.key not in values and c.key not in failed and party:
                values[c.key] = party
        missing = [c for c in ledger.columns
                   if (c.required or c.default_party) and c.key not in values and c.key not in failed]
        for c in missing:
            errors.add(table.sheet, no, headers.get(c.key, c.zh if lang != "en" else c.en), say("required", lang))
        if failed or missing:
            continue
        raw = build(ledger, values, batch, place)
        if raw is None:
            buyer = ledger.column("buyer")
            errors.add(table.sheet, no, headers.get("buyer", buyer.zh if lang != "en" else buyer.en),
                       say("required", lang))
            continue
        for err in _model_errors(raw, lang):
            errors.add(table.sheet, no, field_label(place, err[0]).split("!")[-1] if err[0] else None, err[1])
        batch.events.append(raw)
        batch.places.append(place)
        if len(errors) >= MAX_ERRORS:
            return


def _generic_said(d: dict, lang: str) -> tuple[str | None, str]:
    """(column, reason) of an error of the CSV layouts in ``lang``: its ledger key said, a column the
    file lacks by its name in ``lang``."""
    from foodtrace.ingest.csv_import import HEADERS, LAYOUTS

    args = d.get("args") or {}
    fld = d["field"]
    if args.get("column") in HEADERS and fld == HEADERS[args["column"]][0]:
        fld = HEADERS[args["column"]][0 if lang == "en" else 1]
    if d.get("key") == "required":
        return fld, say("required", lang)
    if d.get("key") == "unknown_type":
        names = [ALL_LABELS.get(k, (k, k))[1 if lang == "en" else 0] for k in LAYOUTS]
        sep = ", " if lang == "en" else "、"
        return fld, say("unknown_type", lang, value=args.get("value", ""), choices=sep.join(names))
    return fld, d["reason"]


def _is_example(keys: list[str | None], row: list[Any], ledger: Ledger, example: list[str]) -> bool:
    """Whether row 2 is the template's example row, left as written."""
    by_key = {c.key: e for c, e in zip(ledger.columns, example)}
    cells = {k: text_of(v) for k, v in zip(keys, row) if k}
    return all(cells.get(k, "") in (e, "") or (e and cells.get(k, "").startswith(e)) for k, e in by_key.items()) \
        and any(cells.values())


def _convert(values: dict, batch: LedgerBatch, place: Place) -> tuple[float | None, str | None, float | None]:
    """(quantity, unit, unit price) in the stored unit."""
    qty, u = values.get("quantity"), values.get("unit")
    price = values.get("unit_price")
    if u is None:
        return qty, None, price
    stored, factor = u
    if factor != 1 and qty is not None:
        batch.conversions.append({"sheet": place.sheet, "row": place.row, "quantity": qty,
                                  "written": values.get("unit_written"), "factor": factor,
                                  "stored_quantity": round(qty * factor, 6), "unit": stored})
        qty = round(qty * factor, 6)
        price = round(price / factor, 6) if price is not None else None
    return qty, stored, price


def _declared(values: dict, stored_unit: str | None) -> dict | None:
    """The quantity and unit as written, when the unit written is not the stored unit's own name."""
    written = values.get("unit_written")
    if written is None or stored_unit is None or values.get("quantity") is None or written.lower() == stored_unit:
        return None
    return {"quantity": values["quantity"], "unit": written}


def _priced(ev: dict, values: dict, price: float | None) -> dict:
    if price is not None:
        ev["unit_price"] = price
    if values.get("amount") is not None:
        ev["amount"] = values["amount"]
    return ev


def build(ledger: Ledger, v: dict, batch: LedgerBatch, place: Place) -> dict | None:
    """One row's values (by column key) -> a raw event (None: a sales row with neither buyer nor receipt)."""
    k = ledger.key
    if k in ("purchase", "sales", "settlement"):
        qty, unit, price = _convert({**v, "unit": v.get("unit") or ("kg", 1.0)}, batch, place)
        lot = {"code": v["code"], "quantity": qty, "unit": unit}
        if k == "purchase":
            ev = {"type": "handoff", "action": "receive", "party": v["receiver"], "from_party": v["supplier"],
                  "to_party": v["receiver"], "lot": lot}
            if v.get("new_code"):
                ev["new_lot"] = {**lot, "code": v["new_code"], "product": v.get("product")}
        elif k == "settlement":
            ev = {"type": "handoff", "action": "ship", "party": v["seller"], "from_party": v["seller"],
                  "to_party": v["buyer"], "lot": lot, "place": v.get("market")}
        elif v.get("buyer"):
            ev = {"type": "handoff", "action": "ship", "party": v["seller"], "from_party": v["seller"],
                  "to_party": v["buyer"], "lot": lot}
        elif v.get("receipt"):
            ev = {"type": "retail_sale", "party": v["seller"], "lot": lot, "receipt": v["receipt"]}
        else:
            return None
        if v.get("document") and ev["type"] == "handoff":
            ev["document"] = v["document"]
        ev = _priced(ev, v, price)
        ev["declared"] = _declared(v, unit)
    else:
        ev = {"type": "certificate", "party": v["issuer"], "issuer": v["issuer"], "number": v["number"],
              "lots": v["code"], "kind": v.get("kind") or ("compliance" if k == "compliance"
                                                            else "pesticide_rapid_test"),
              "result": v.get("result", "pass")}
        if v.get("quantity") is not None:
            qty, unit, _ = _convert({**v, "unit": v.get("unit") or ("kg", 1.0)}, batch, place)
            ev.update(quantity=qty, unit=unit, declared=_declared(v, unit))
    ev["event_time"] = v["time"]
    return {key: val for key, val in ev.items() if val is not None}


_ZH_REASONS = {"greater_than": "not_positive", "greater_than_equal": "negative", "less_than_equal": "too_large",
               "string_pattern_mismatch": "bad_code", "missing": "required"}


def _model_errors(raw: dict, lang: str) -> list[tuple[str | None, str]]:
    """(model field, reason in ``lang``) for each way ``raw`` is not a valid event."""
    from foodtrace.ingest.capture import field_path

    try:
        EVENT_ADAPTER.validate_python(raw)
        return []
    except ValidationError as exc:
        out = []
        for e in exc.errors():
            path = field_path(e["loc"], raw)
            msg = e.get("msg", "")
            if lang == "en":
                out.append((path, msg.removeprefix("Value error, ")))
                continue
            keyed = vocabulary_error(None, path, e)
            if e.get("type") == "enum" and e.get("input") is None:  # e.g. a new trace code without a product
                out.append((path, say("required", lang)))
                continue
            if keyed is not None:
                out.append((path, say_refusal("unknown_value", lang, keyed["args"])))
                continue
            key = _ZH_REASONS.get(e.get("type", ""), "invalid")
            if "amount" in msg and "unit_price" in msg:
                key, path = "amount_mismatch", "amount"
            elif "from_party and to_party" in msg:
                key, path = "same_party", "to_party"
            elif "must differ from lot.code" in msg:
                key, path = "same_code", "new_lot.code" if "new_lot" in msg else "receipt"
            elif e.get("type") == "string_too_long":
                out.append((path, say("too_long", lang, max=e.get("ctx", {}).get("max_length", ""))))
                continue
            out.append((path if path != "(event)" else None, say(key, lang)))
        return out


def read_tables(tables: list[Table], *, tz: tzinfo, lang: str = "zh", party: str | None = None,
                ledger: str | None = None) -> LedgerBatch:
    """Every table as the ledger it is (see the module doc); ``InvalidInput`` lists every error."""
    from foodtrace.ingest.csv_import import read_rows

    batch, errors = LedgerBatch(), _Errors()
    forced = ledger_named(ledger) if ledger else None
    for table in tables:
        if not table.rows:
            continue
        header = table.rows[0]
        generic = {norm_header(h) for h in header} & {"type", "类型"}
        lg = forced or ledger_named(table.sheet) or (None if generic else ledger_of_header(header))
        if lg is not None:
            read_ledger_table(table, batch, errors, ledger=lg, tz=tz, lang=lang, party=party)
        elif generic:
            try:
                events, numbers = read_rows([[text_of(c) for c in r] for r in table.rows], tz=tz)
            except InvalidInput as exc:
                for d in localize(exc, lang).details:  # a vocabulary's values by their names in zh
                    errors.add(table.sheet, d["position"], *_generic_said(d, lang))
                continue
            batch.events += events
            batch.places += [Place(table.sheet, n, None, {}) for n in numbers]
            batch.ledgers["events"] += len(events)
        else:
            errors.add(table.sheet, 1, None, say("unknown_ledger", lang))
        if len(errors) >= MAX_ERRORS:
            break
    if not errors and not batch.events:
        errors.add(None, None, "file", say("empty", lang))
    if errors:
        exc = InvalidInput(say("file_errors", lang, n=len(errors)), list(errors[:MAX_ERRORS]))
        exc.where, exc.lang = say("row", lang, row="{position}"), lang
        raise exc
    return batch
