"""The district report laid out (``layout``), charted (``charts``) and written as a
document: Markdown, HTML or JSON (``documents.render_report``)."""

from foodtrace.render.report.documents import FORMATS, render_report

__all__ = ["render_report", "FORMATS"]
