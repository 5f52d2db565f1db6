"""Finding a lot from what a user has — the crosswalk: a trace code, an SB/T
10680-style numeric code, a receipt code, a GS1 Digital Link URI on any host
(``https://host/01/{gtin14}/10/{lot}``), a GS1 element string
(``(01)…(10)…``), an EPC URN (``urn:epc:class:lgtin:…``,
``urn:epc:id:sscc:…``), ``urn:foodtrace:lot:…`` or a short link
(``https://host/l/{code}``). Parsing lives in ``model.codes``."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlparse

from foodtrace.errors import InvalidInput, NotFound
from foodtrace.i18n.keyed import keyed
from foodtrace.i18n.refusals import refusal
from foodtrace.graph.store import GraphStore
from foodtrace.model.codes import CodeError, canonical_code, gs1_identifier, parse_sbt
from foodtrace.model.lots import Lot

_SHORT = re.compile(r"/l/([^?#]+)")


def parse_link(text: str) -> tuple[str | None, str]:
    """``(gtin, lot)`` for a GS1 identifier with a GTIN and a lot, ``(None, code)`` otherwise."""
    text = text.strip()
    try:
        ident = gs1_identifier(text)
    except CodeError:
        ident = None
    if ident is not None and ident.gtin and ident.lot:
        return ident.gtin, ident.lot
    if "://" in text:
        m = _SHORT.search(urlparse(text).path)
        if m:
            return None, unquote(m.group(1))
    return None, text


def candidates(text: str) -> list[str]:
    """The codes ``text`` may be stored under, most specific first."""
    text = text.strip()
    out = [text, canonical_code(text)]
    gtin, code = parse_link(text)
    if gtin is None:
        out.append(code)
    return list(dict.fromkeys(out))


def plain_code(text: str) -> str | None:
    """``text`` stripped when it can only be a lot's own code (no link, GS1 string or URN to resolve): the
    lot of that code, if there is one, is the lot it names, now and later (lots are never removed)."""
    plain = text.strip()
    return plain if plain and "://" not in plain and not plain.startswith(("(", "urn:")) else None


def resolve(store: GraphStore, text: str) -> Lot:
    """The lot any of its identifiers names; ``NotFound`` if the store has none,
    ``InvalidInput`` for a GS1 code with a wrong check digit."""
    plain = plain_code(text)
    if plain:
        lot = store.get_lot(plain)  # the common case: a bare trace or receipt code
        if lot is not None:
            return lot
    if text.strip().startswith("("):
        try:
            gs1_identifier(text)
        except CodeError as exc:
            raise bad_code(exc) from exc
    found = store.get_lots(candidates(text))
    for c in candidates(text):
        if c in found:
            return found[c]
    gtin, code = parse_link(text)
    lot = store.find_lot_by_gtin(gtin, code) if gtin else None
    if lot is None:
        raise unknown_code(text)
    return lot


def bad_code(exc: CodeError) -> InvalidInput:
    """A GS1 code that breaks its rules, refused with the reason said in the reader's language: in English its
    message and reason are ``str(exc)`` as they have always been; in Chinese "商品条码格式有误：" and the reason."""
    return keyed(InvalidInput, f"trace_bad_gs1+{exc.key}", [refusal(None, "code", exc.key, **exc.args_of_key)],
                 **exc.args_of_key)


def unknown_code(text: str) -> NotFound:
    """No lot has the trace code ``text`` (the error page names the code it was asked for)."""
    return keyed(NotFound, "trace_unknown_code", [refusal(None, "code", "trace_unknown_code_reason")], code=text)


def describe(text: str) -> dict:
    """What kind of identifier ``text`` is, and its parts (for display and checks)."""
    sbt = parse_sbt(text)
    if sbt is not None:
        return {"kind": "sbt", "area": sbt.area, "node": sbt.node, "node_type": sbt.node_type,
                "date": sbt.day.isoformat(), "serial": sbt.serial, "code": str(sbt)}
    try:
        ident = gs1_identifier(text, strict=True)
    except CodeError as exc:
        return {"kind": "invalid", "reason": str(exc), "key": exc.key, "args": exc.args_of_key}
    if ident is not None:
        return {"kind": "gs1", "ai": ident.ai, "key": ident.key, "qualifiers": dict(ident.qualifiers),
                "digital_link": ident.uri(), "element_string": ident.element_string(), "code": canonical_code(text)}
    return {"kind": "free", "code": canonical_code(text)}
