"""The report in the format asked for: Markdown, HTML or JSON (text), or a Word document or a PDF
(bytes, ``BINARY``)."""

from __future__ import annotations

from foodtrace.errors import InvalidInput
from foodtrace.i18n.keyed import keyed
from foodtrace.i18n.refusals import refusal
from foodtrace.render.report.heading import Heading
from foodtrace.render.report.html import render_html
from foodtrace.render.report.markdown import render_markdown
from foodtrace.services.report.model import Report

FORMATS = ("md", "html", "json", "docx", "pdf")
BINARY = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
          "pdf": "application/pdf"}  # the formats that are files, with their media types


def render_report(r: Report, fmt: str = "md", lang: str = "zh", form_action: str | None = None,
                  heading: Heading | None = None) -> str | bytes:
    """The report as text (md, html, json) or as a document's bytes (docx, pdf); ``heading`` is the
    district and issuing office of the title block."""
    if fmt == "md":
        return render_markdown(r, lang, heading)
    if fmt == "html":
        return render_html(r, lang, form_action, heading)
    if fmt == "json":
        return r.model_dump_json(indent=2)
    if fmt == "docx":
        from foodtrace.render.report.docx import render_docx

        return render_docx(r, lang, heading)
    if fmt == "pdf":
        from foodtrace.render.report.pdf import render_pdf

        return render_pdf(r, lang, heading)
    raise keyed(InvalidInput, "report_unknown_format", [refusal(None, "format", "report_format_one_of",
                                                              formats=", ".join(FORMATS))], fmt=fmt)


__all__ = ["render_report", "FORMATS", "BINARY", "Heading"]
