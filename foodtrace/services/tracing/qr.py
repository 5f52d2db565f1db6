"""QR codes for lots: the URL a lot's label carries and its PNG / SVG image.

A lot with a GTIN gets a GS1 Digital Link under the public base URL
(``{base}/01/{gtin14}/10/{lot}``), any other lot a short link
(``{base}/l/{code}``); both open the consumer page.
"""

from __future__ import annotations

import io
from urllib.parse import quote

from pydantic import BaseModel
import qrcode
import qrcode.image.svg

from foodtrace.errors import InvalidInput, Unauthorized
from foodtrace.i18n.keyed import keyed
from foodtrace.i18n.refusals import refusal
from foodtrace.graph.store import GraphStore
from foodtrace.model.codes import CodeError, digital_link
from foodtrace.model.lots import Lot
from foodtrace.services.tracing.identifiers import parse_link, resolve
from foodtrace.services.capture.access import Principal
from foodtrace.services.tracing.lot_reads import read_lot

FORMATS = ("png", "svg")
PUBLIC_LABELS = 4  # lots on a sheet asked for without an API key
MAX_LABELS = 120  # lots on any one sheet (each QR code costs CPU time)


def lot_url(lot: Lot, base: str) -> str:
    """The URL a lot's QR code encodes."""
    base = base.rstrip("/")
    if lot.gtin:
        gtin, code = parse_link(lot.code)
        try:
            return digital_link(lot.gtin, code, host=base)
        except CodeError:  # a GTIN recorded with a wrong check digit (its pattern only is checked): no link of it
            pass
    return f"{base}/l/{quote(lot.code, safe='')}"


def qr_url(store: GraphStore, code: str, base: str) -> str:
    """The URL for the lot any identifier names (``NotFound`` if unknown)."""
    return lot_url(resolve(store, code), base)


def _qr(data: str) -> qrcode.QRCode:
    q = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=4)
    q.add_data(data)
    q.make(fit=True)
    return q


def qr_png(data: str) -> bytes:
    buf = io.BytesIO()
    _qr(data).make_image().save(buf, format="PNG")
    return buf.getvalue()


def qr_svg(data: str) -> str:
    """A standalone SVG document (one path; scales to any size)."""
    img = _qr(data).make_image(image_factory=qrcode.image.svg.SvgPathImage)
    return img.to_string(encoding="unicode")


def qr_svg_inline(data: str) -> str:
    """The SVG without its XML declaration, for embedding in HTML."""
    svg = qr_svg(data)
    return svg[svg.index("<svg"):] if "<svg" in svg else svg


def qr_image(data: str, fmt: str) -> bytes:
    """``png`` or ``svg`` bytes."""
    if fmt not in FORMATS:
        raise keyed(InvalidInput, "qr_bad_format", [refusal(None, "format", "qr_formats", png="png", svg="svg")],
                    fmt=fmt, formats=", ".join(FORMATS))
    return qr_png(data) if fmt == "png" else qr_svg(data).encode()


class Label(BaseModel):
    code: str
    product: str | None
    name: str | None
    date: str | None
    url: str
    svg: str


def labels(store: GraphStore, codes: list[str], base: str) -> list[Label]:
    """One printable label per lot (product, lot, date, QR), in the order given."""
    return [_label(resolve(store, c), base, full=True) for c in _sheet_codes(codes)]


def _sheet_codes(codes: list[str]) -> list[str]:
    codes = list(dict.fromkeys(c.strip() for c in codes if c.strip()))
    if not codes:
        raise keyed(InvalidInput, "qr_no_lots", [refusal(None, "codes", "qr_give_a_code")])
    if len(codes) > MAX_LABELS:
        raise keyed(InvalidInput, "qr_too_many", [refusal(None, "codes", "qr_codes_at_most", n=len(codes), max=MAX_LABELS)],
                    max=MAX_LABELS)
    return codes


def _label(lot: Lot, base: str, full: bool) -> Label:
    url = lot_url(lot, base)
    return Label(code=lot.code, product=lot.product.value if lot.product else None,
                 name=lot.name if full else None,
                 date=lot.created_at.strftime("%Y-%m-%d") if full and lot.created_at else None,
                 url=url, svg=qr_svg_inline(url))


def label_sheet(store: GraphStore, principal: Principal | None, codes: list[str], base: str) -> list[Label]:
    """The label sheet over HTTP. Without a key: at most ``PUBLIC_LABELS`` lots, and only what a QR code
    shows anyway (product, trace code, link); with a key: up to ``MAX_LABELS`` lots the key may read, with
    the lot's name and date."""
    codes = _sheet_codes(codes)
    if principal is None:
        if len(codes) > PUBLIC_LABELS:
            raise keyed(Unauthorized, "qr_needs_key", [refusal(None, "codes", "qr_public_at_most", max=PUBLIC_LABELS)],
                        max=PUBLIC_LABELS)
        return [_label(resolve(store, c), base, full=False) for c in codes]
    return [_label(read_lot(store, principal, c), base, full=True) for c in codes]
