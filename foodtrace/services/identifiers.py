"""Finding a lot from what a user has: a trace code, a receipt code, a GS1
Digital Link URI (``https://host/01/{gtin14}/10/{lot}``) or a short link
(``https://host/l/{code}``)."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlparse

from ..errors import NotFound
from ..graph.store import GraphStore
from ..model.lots import Lot

_DL = re.compile(r"/01/(\d{14})/10/([^/?#]+)")
_SHORT = re.compile(r"/l/([^/?#]+)")


def parse_link(text: str) -> tuple[str | None, str]:
    """``(gtin, lot)`` for a Digital Link, ``(None, code)`` for a short link or a bare code."""
    text = text.strip()
    if "://" in text:
        path = urlparse(text).path
        m = _DL.search(path)
        if m:
            return m.group(1), unquote(m.group(2))
        m = _SHORT.search(path)
        if m:
            return None, unquote(m.group(1))
    return None, text


def resolve(store: GraphStore, text: str) -> Lot:
    """The lot a code or link names; ``NotFound`` if the store has none."""
    gtin, code = parse_link(text)
    lot = store.find_lot_by_gtin(gtin, code) if gtin else None
    lot = lot or store.get_lot(code)
    if lot is None:
        raise NotFound(f"no lot with trace code {text!r}", [{"position": None, "field": "code", "reason": "unknown trace code"}])
    return lot
