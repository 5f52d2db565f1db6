"""The report as a PDF: the HTML page (without its form) laid out for A4 by WeasyPrint (BSD), with
the page's print rules — page numbers, headings kept with what follows, tables and charts not split —
and the CJK fonts the system has (Debian ``fonts-noto-cjk``). Also turns one SVG chart into a PNG
(through a one-page PDF, rasterised by PDFium) for documents that cannot hold SVG."""

from __future__ import annotations

import io
import re

from foodtrace.render.report.heading import Heading
from foodtrace.render.report.html import render_html
from foodtrace.services.report.model import Report


def render_pdf(r: Report, lang: str = "zh", heading: Heading | None = None) -> bytes:
    from weasyprint import HTML  # imported when asked for: it loads Pango

    return HTML(string=render_html(r, lang, None, heading)).write_pdf()


def svg_png(svg: str, scale: float = 2.0) -> tuple[bytes, int, int]:
    """A server-drawn chart (``charts.py``) as PNG bytes, with its width and height in CSS pixels."""
    import pypdfium2 as pdfium
    from weasyprint import HTML

    m = re.search(r'viewBox="0 0 (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)"', svg)
    w, h = (float(m.group(1)), float(m.group(2))) if m else (760.0, 300.0)
    sized = svg.replace('width="100%"', f'width="{w:g}px" height="{h:g}px"', 1)
    page = (f"<html><head><style>@page{{size:{w:g}px {h:g}px;margin:0}}body{{margin:0}}</style></head>"
            f"<body>{sized}</body></html>")
    pdf = pdfium.PdfDocument(HTML(string=page).write_pdf())
    try:
        image = pdf[0].render(scale=scale * 96 / 72).to_pil()
    finally:
        pdf.close()
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue(), int(w), int(h)


__all__ = ["render_pdf", "svg_png"]
