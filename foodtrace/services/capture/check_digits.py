"""GS1 check digits at the write door: a GTIN, SSCC, GLN or other GS1 key with a wrong check digit is
refused where a lot is written — a lot an event creates (its code and its ``gtin``) or a lot it names
that the store does not know. One check, reached by every write route through ``door.check``: the JSON
API, the EPCIS capture and import (whose Digital Links the mapping reads leniently), the CSV and
spreadsheet ledgers, the stall form and receipts, the command line.

What claims to be a GS1 key is what ``model.codes`` reads as one: a GS1 Digital Link URI
(``https://id.gs1.org/01/…``, any host), an element string (``(01)…(10)…``), and the 14 digits of a
``gtin`` field. EPC URNs carry no check digit (``urn:epc:id:sgtin:…``: the mapping computes it), and
a plain code of digits is a trace code, not a GS1 key. Only a wrong check digit is refused here; a
code that is not well-formed GS1 stays a plain code, as it always was.

Reads stay tolerant (``tracing.identifiers``): a look-up of such a code answers as for any unknown
code. An event whose stored body (``EncodedBatch``, made by the door anyway) holds no string that could be
such a key is passed over without a look at its fields. A lot stored before this check (or a replayed event that was stored) is left alone: naming a
lot the store knows is never refused for its check digit, so such lots can still be passed on.
"""

from __future__ import annotations

import re
from typing import Any, Sequence

from foodtrace.graph.batch import EncodedBatch
from foodtrace.graph.store import GraphStore
from foodtrace.i18n.refusals import refusal
from foodtrace.model.codes import CodeError, gs1_identifier, has_valid_check_digit, check_digit
from foodtrace.model.event_base import _Event

WRONG_CHECK_DIGIT = ("code_gtin_check_digit", "code_key_check_digit")
# What an event's stored body (compact JSON) holds when a code in it may claim a GS1 key: a string that starts
# as ``wrong_check_digit`` reads them, or a ``gtin`` field.
_MARKS = ('"http://', '"https://', '"HTTP://', '"HTTPS://', '"(', '"gtin":"')
# Any of ``_MARKS`` in one pass over the body (about half the CPU of six substring searches).
_ANY_MARK = re.compile('"(?:' + "|".join(re.escape(m[1:]) for m in _MARKS) + ")")
# Fields that name an existing lot, in the order they are looked for a used code's field path.
_USED_FIELDS = ("lot", "inputs", "children", "lots", "affected", "parent")


def wrong_check_digit(code: str) -> CodeError | None:
    """The ``CodeError`` of a GS1 key in ``code`` with a wrong check digit, else None (also for codes
    that are not GS1 keys at all, or break other rules of theirs)."""
    text = code.strip()
    if not text.startswith(("(", "http://", "https://", "HTTP://", "HTTPS://")):
        return None
    try:
        gs1_identifier(text, strict=True)
    except CodeError as exc:
        return exc if exc.key in WRONG_CHECK_DIGIT else None
    return None


def _gtin_problem(gtin: str) -> CodeError | None:
    if len(gtin) == 14 and gtin.isdigit() and not has_valid_check_digit(gtin):
        return CodeError("code_gtin_check_digit", gtin=gtin, expected=check_digit(gtin[:-1]))
    return None


def _used_field(ev: _Event, code: str) -> str:
    """The field path of ``ev`` that names the existing lot ``code`` ("lot.code", "inputs[0].code"…)."""
    for name in _USED_FIELDS:
        value = getattr(ev, name, None)
        if isinstance(value, str) and value == code:
            return name
        if getattr(value, "code", None) == code:
            return f"{name}.code"
        if isinstance(value, list):
            for i, item in enumerate(value):
                if item == code:
                    return f"{name}[{i}]"
                if getattr(item, "code", None) == code:
                    return f"{name}[{i}].code"
    return "lots"


def _found(pos: int, field: str, exc: CodeError) -> dict[str, Any]:
    return refusal(pos, field, exc.key, **exc.args_of_key)


def check_codes(store: GraphStore, events: Sequence[_Event]) -> list[dict[str, Any]]:
    """Each GS1 key with a wrong check digit that ``events`` would write, as an error detail (position,
    field, the reason in the reader's language: which digit is wrong and the right one)."""
    created: list[tuple[int, _Event, str, CodeError]] = []
    used: list[tuple[int, _Event, str, CodeError]] = []
    bodies = events.bodies if isinstance(events, EncodedBatch) and events.aligned() else [None] * len(events)
    for pos, ev in enumerate(events):
        body = bodies[pos]
        if isinstance(body, str) and _ANY_MARK.search(body) is None:
            continue  # its stored body (``EncodedBatch``) names no Digital Link, element string nor GTIN
        for code in ev.created_codes():
            if (exc := wrong_check_digit(code)) is not None:  # its field only then (``lot_rows`` builds rows)
                fld = next((f for c, _, f in ev.lot_rows(lambda _code: None) if c == code), ev.created_field)
                created.append((pos, ev, fld, exc))
        for i, spec in enumerate(ev.created_lots()):
            if spec.gtin and (exc := _gtin_problem(spec.gtin)) is not None:
                base = f"{ev.created_field}[{i}]" if ev.created_field_is_list else ev.created_field
                created.append((pos, ev, f"{base}.gtin", exc))
        named = list(ev.used_lots())
        parent = getattr(ev, "parent", None)
        if isinstance(parent, str) and parent not in ev.created_codes():
            named.append(parent)
        for code in dict.fromkeys(named):
            if (exc := wrong_check_digit(code)) is not None:
                used.append((pos, ev, code, exc))
    if not created and not used:
        return []
    stored = store.get_events([ev.event_id for ev in events if ev.event_id])  # a replay is a no-op
    known = store.get_lots([code for _, _, code, _ in used]) if used else {}
    problems = [_found(pos, fld, exc) for pos, ev, fld, exc in created if ev.event_id not in stored]
    problems += [_found(pos, _used_field(ev, code), exc) for pos, ev, code, exc in used
                 if ev.event_id not in stored and code not in known]
    return sorted(problems, key=lambda d: d["position"])


__all__ = ["check_codes", "wrong_check_digit", "WRONG_CHECK_DIGIT"]
