"""The printable A4 label sheet (HTML with print CSS and inline SVG QR codes),
shared by ``GET /labels`` and ``foodtrace qr --sheet``."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from foodtrace.i18n import label, t
from foodtrace.services.tracing.printing import Sheet
from foodtrace.services.tracing.qr import Label

_env: Environment | None = None


def _environment() -> Environment:
    global _env
    if _env is None:
        _env = Environment(loader=FileSystemLoader(str(Path(__file__).resolve().parent.parent / "api" / "templates")),
                           autoescape=select_autoescape(["html"]))
    return _env


def render_label_sheet(items: list[Label] | Sheet, lang: str = "zh") -> str:
    """The sheet; given a ``Sheet``, also the lots withheld and the warning when no phone could open the codes."""
    sheet = items if isinstance(items, Sheet) else Sheet(labels=items, withheld=[])
    return _environment().get_template("labels.html").render(
        labels=sheet.labels, withheld=sheet.withheld, unscannable=sheet.unscannable, lang=lang,
        t=lambda k: t(k, lang), label=lambda v: label(v, lang))
