"""CSV bulk import for operators without an EPCIS system: one event per row,
headers in Chinese or English, vocabulary values as codes or as their Chinese
or English names (``生猪`` = ``live_pig``). Every row names its ``type``; the
columns each type reads are in ``LAYOUTS``. Lists in one cell are separated by
``;`` — lots as codes (``PIG-1; PIG-2``), quantities as ``CODE QTY UNIT``
(``PIG-1 12 head``), new lots as ``CODE PRODUCT QTY UNIT``.

Errors name the row (the header is row 1) and the column as written in the
file; a file with any bad row stores nothing.
"""

from __future__ import annotations

import csv
import io
from datetime import tzinfo
from typing import Any

from foodtrace.errors import FoodtraceError, InvalidInput, detail
from foodtrace.i18n.keyed import keyed, noted
from foodtrace.i18n.refusals import refusal
from foodtrace.graph.store import AppendResult
from foodtrace.ingest.capture import Append, MAX_ERRORS, prepare, validate_event
from foodtrace.ingest.ledger_cells import parse_time
from foodtrace.ingest.ledger_words import SYNONYMS, UNITS
from foodtrace.model.registry import ALL_LABELS as LABELS

# column -> (English header, Chinese header)
HEADERS = {
    "type": ("type", "类型"), "event_id": ("event_id", "事件编号"), "event_time": ("event_time", "事件时间"),
    "party": ("party", "主体"), "code": ("code", "追溯码"), "product": ("product", "产品"),
    "quantity": ("quantity", "数量"), "unit": ("unit", "单位"), "activity": ("activity", "活动"),
    "name": ("name", "名称"), "gtin": ("gtin", "商品条码"), "kind": ("kind", "类别"),
    "inputs": ("inputs", "投入批次"), "outputs": ("outputs", "产出批次"), "action": ("action", "动作"),
    "from_party": ("from_party", "发货方"), "to_party": ("to_party", "收货方"), "document": ("document", "单据号"),
    "new_code": ("new_code", "新追溯码"), "number": ("number", "证号"), "issuer": ("issuer", "出具方"),
    "result": ("result", "结果"), "lots": ("lots", "批次"), "receipt": ("receipt", "小票追溯码"),
    "input_kind": ("input_kind", "投入品类别"), "input_name": ("input_name", "投入品名称"),
    "interval_days": ("interval_days", "休药期天数"), "parent": ("parent", "托盘码"), "children": ("children", "内含批次"),
}
COMMON = ["type", "event_id", "event_time", "party"]
LAYOUTS = {  # required columns first, then optional ones after "|"
    "commission": "code product quantity unit | activity name gtin",
    "transformation": "kind inputs outputs |",
    "handoff": "from_party to_party code quantity unit | action document new_code product",
    "certificate": "kind number issuer lots | result quantity unit",
    "retail_sale": "code quantity unit receipt |",
    "input_application": "lots input_kind input_name interval_days |",
    "aggregation": "parent children | action product quantity unit",
}
_BY_HEADER = {h.lower(): col for col, names in HEADERS.items() for h in names}
_VOCAB = {}
for _value, (_zh, _en) in LABELS.items():
    _VOCAB.update({_value.lower(): _value, _zh: _value, _en.lower(): _value})
_VOCAB.update({**SYNONYMS, **{w: u for w, (u, factor) in UNITS.items() if factor == 1}})  # as people write them


def _vocab(text: str) -> str:
    s = text.strip()
    return _VOCAB.get(s.lower(), s)


def _num(text: str) -> Any:
    try:
        return float(text)
    except ValueError:
        return text  # the model says what is wrong with it


class _BadItems(ValueError):
    """A list cell whose items have not the parts they need (``key``: the form they should have)."""

    def __init__(self, parts: list[str], key: str):
        self.items, self.key = repr(" ".join(parts)), key
        super().__init__(refusal(None, None, key, items=self.items)["reason"])


def _items(text: str) -> list[list[str]]:
    return [part.split() for part in text.split(";") if part.strip()]


def _qty_list(text: str) -> list[dict]:
    out = []
    for parts in _items(text):
        if len(parts) != 3:
            raise _BadItems(parts, "csv_items_3")
        out.append({"code": parts[0], "quantity": _num(parts[1]), "unit": _vocab(parts[2])})
    return out


def _spec_list(text: str) -> list[dict]:
    out = []
    for parts in _items(text):
        if len(parts) != 4:
            raise _BadItems(parts, "csv_items_4")
        out.append({"code": parts[0], "product": _vocab(parts[1]), "quantity": _num(parts[2]), "unit": _vocab(parts[3])})
    return out


def _event(kind: str, v: dict[str, str]) -> dict:
    """One row's cells (by column) -> a raw event."""
    ev: dict[str, Any] = {"type": kind, "event_time": v.get("event_time"), "party": v.get("party")}
    if v.get("event_id"):
        ev["event_id"] = v["event_id"]
    qty = {"code": v.get("code"), "quantity": _num(v.get("quantity", "")), "unit": _vocab(v.get("unit", ""))}
    if kind == "commission":
        spec = {**qty, "product": _vocab(v.get("product", ""))}
        spec.update({k: v[k] for k in ("name", "gtin") if v.get(k)})
        ev.update(lots=[spec], **({"activity": _vocab(v["activity"])} if v.get("activity") else {}))
    elif kind == "transformation":
        ev.update(kind=_vocab(v.get("kind", "")), inputs=_qty_list(v.get("inputs", "")),
                  outputs=_spec_list(v.get("outputs", "")))
    elif kind == "handoff":
        ev.update(from_party=v.get("from_party"), to_party=v.get("to_party"), lot=qty,
                  action=_vocab(v.get("action") or "receive"))
        ev["party"] = ev["party"] or (ev["to_party"] if ev["action"] == "receive" else ev["from_party"])
        if v.get("document"):
            ev["document"] = v["document"]
        if v.get("new_code"):
            ev["new_lot"] = {"code": v["new_code"], "product": _vocab(v.get("product", "")),
                             "quantity": qty["quantity"], "unit": qty["unit"]}
    elif kind == "certificate":
        ev.update(kind=_vocab(v.get("kind", "")), number=v.get("number"), issuer=v.get("issuer"),
                  lots=[p[0] for p in _items(v.get("lots", ""))], result=_vocab(v.get("result") or "pass"))
        ev["party"] = ev["party"] or ev["issuer"]
        if v.get("quantity"):
            ev.update(quantity=qty["quantity"], unit=qty["unit"])
    elif kind == "retail_sale":
        ev.update(lot=qty, receipt=v.get("receipt"))
    elif kind == "input_application":
        ev.update(lots=[p[0] for p in _items(v.get("lots", ""))], input_kind=_vocab(v.get("input_kind", "")),
                  input_name=v.get("input_name"), interval_days=v.get("interval_days"))
    elif kind == "aggregation":
        action = _vocab(v.get("action") or "pack")
        ev.update(action=action, parent=v.get("parent"), children=_qty_list(v.get("children", "")))
        if action == "pack":
            ev["parent_lot"] = {"code": v.get("parent"), "product": _vocab(v.get("product", "")),
                                "quantity": _num(v.get("quantity", "")), "unit": _vocab(v.get("unit", ""))}
    return {k: val for k, val in ev.items() if val not in (None, "")}


# which column an error in a model field points at
_FIELD_COLUMN = {"lots": "code", "lot": "code", "new_lot": "new_code", "parent_lot": "parent", "registered": "party"}


def _column(kind: str, field: str, present: dict[str, str]) -> str:
    head = field.split(".")[0].split("[")[0]
    tail = field.rsplit(".", 1)[-1]
    if kind in ("certificate", "input_application") and head == "lots":
        col = "lots"
    elif head in ("inputs", "outputs", "children"):
        col = head
    elif head in _FIELD_COLUMN:
        col = tail if tail in ("quantity", "unit", "product", "name", "gtin") else _FIELD_COLUMN[head]
    else:
        col = head
    return present.get(col, col)


def read_csv(text: str, tz: tzinfo | None = None) -> tuple[list[dict], list[int]]:
    """Rows -> (raw events, their row numbers); ``InvalidInput`` lists errors by row and column."""
    return read_rows(list(csv.reader(io.StringIO(text))), tz=tz)


def _local_time(text: str, tz: tzinfo | None) -> str:
    """A time written without an offset (or a date alone) read in ``tz``; anything else as written."""
    if tz is None:
        return text
    try:
        return parse_time(text, tz, "en")
    except ValueError:
        return text  # the model says what is wrong with it


def read_rows(rows: list[list[str]], tz: tzinfo | None = None) -> tuple[list[dict], list[int]]:
    """Rows of text cells (the header first) -> (raw events, their row numbers); times without an
    offset in ``tz`` when it is given."""
    if not rows:
        raise keyed(InvalidInput, "csv_empty", [refusal(1, None, "csv_no_header")])
    header = [h.strip() for h in rows[0]]
    columns, errors = [], []
    for h in header:
        col = _BY_HEADER.get(h.lower())
        if col is None and h:
            errors.append(refusal(1, h, "csv_unknown_column"))
        columns.append(col)
    present = {c: h for c, h in zip(columns, header) if c}
    if "type" not in present:
        errors.append(refusal(1, "type", "csv_type_column", column="type", name="类型"))
    if errors:
        raise keyed(InvalidInput, "csv_bad_header", errors)
    events, numbers = [], []
    for no, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        v = {c: cell.strip() for c, cell in zip(columns, row) if c and cell.strip()}
        if v.get("event_time"):
            v["event_time"] = _local_time(v["event_time"], tz)
        kind = _vocab(v.get("type", ""))
        if kind not in LAYOUTS:
            errors.append({**detail(no, present["type"], f"unknown type {v.get('type', '')!r}; one of "
                                                       f"{', '.join(LAYOUTS)}"),
                           "key": "unknown_type", "args": {"value": v.get("type", "")[:40]}})
            continue
        required = COMMON[2:] + LAYOUTS[kind].split("|")[0].split()
        missing = [c for c in required if not v.get(c) and not (c == "party" and kind in ("handoff", "certificate"))]
        for c in missing:
            errors.append({**detail(no, present.get(c, HEADERS[c][0]), "a value is required"),
                           "key": "required", "args": {"column": c}})
        if missing:
            continue
        try:
            raw = _event(kind, v)
        except _BadItems as exc:
            column = present.get("inputs") if exc.key == "csv_items_3" else present.get("outputs")
            errors.append(refusal(no, column, exc.key, items=exc.items))
            continue
        except ValueError as exc:
            errors.append(detail(no, present.get("inputs"), str(exc)))
            continue
        _, errs = validate_event(raw, no)
        errors.extend({**e, "position": no, "field": _column(kind, e["field"] or "", present)} for e in errs)
        events.append(raw)
        numbers.append(no)
        if len(errors) >= MAX_ERRORS:
            break
    if errors:
        raise keyed(InvalidInput, "csv_errors", errors[:MAX_ERRORS], n=len(errors))
    return events, numbers


def import_csv(data: bytes | str, *, append: Append, captured_by: str, tz: tzinfo | None = None) -> AppendResult:
    """Capture every row of a CSV file (UTF-8 or GB18030/GBK, ``tables.decode_text``) as one
    all-or-nothing batch through ``append`` (the write door)."""
    from foodtrace.ingest.tables import decode_text

    if isinstance(data, bytes):
        data = decode_text(data, "en")
    events, numbers = read_csv(data.lstrip("\ufeff"), tz=tz)
    try:
        return append(prepare(events, captured_by=captured_by))
    except FoodtraceError as exc:
        for d in exc.details:
            if isinstance(d.get("position"), int) and d["position"] < len(numbers):
                d["position"] = numbers[d["position"]]
        noted(exc, "note_rows")
        raise
