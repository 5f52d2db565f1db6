"""The district report laid out (``layout``), charted (``charts``) and written as a
document: Markdown, HTML, JSON, Word or PDF (``documents.render_report``)."""

from foodtrace.render.report.documents import BINARY, FORMATS, Heading, render_report

__all__ = ["render_report", "FORMATS", "BINARY", "Heading"]
