"""The report in the format asked for: Markdown, HTML or JSON."""

from __future__ import annotations

from foodtrace.errors import InvalidInput, detail
from foodtrace.render.report.html import render_html
from foodtrace.render.report.markdown import render_markdown
from foodtrace.services.report.model import Report

FORMATS = ("md", "html", "json")


def render_report(r: Report, fmt: str = "md", lang: str = "zh", form_action: str | None = None) -> str:
    if fmt == "md":
        return render_markdown(r, lang)
    if fmt == "html":
        return render_html(r, lang, form_action)
    if fmt == "json":
        return r.model_dump_json(indent=2)
    raise InvalidInput(f"unknown report format {fmt!r}", [detail(None, "format", f"one of {', '.join(FORMATS)}")])


__all__ = ["render_report", "FORMATS"]
