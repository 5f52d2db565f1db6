"""The report as Markdown, in Chinese (default) or English."""

from __future__ import annotations

from foodtrace.render.report.heading import Heading
from foodtrace.render.report.layout import Note, Stats, Table, layout
from foodtrace.services.report.model import Report


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table(tb: Table) -> list[str]:
    out = [f"**{tb.caption}**", ""] if tb.caption else []
    out += ["| " + " | ".join(_cell(h) for h in tb.head) + " |", "| " + " | ".join("---" for _ in tb.head) + " |"]
    for i, row in enumerate(tb.rows):
        bold = i >= len(tb.rows) - tb.totals
        out.append("| " + " | ".join(f"**{_cell(c)}**" if bold and c else _cell(c) for c in row) + " |")
    return out


def render_markdown(r: Report, lang: str = "zh", heading: Heading | None = None) -> str:
    doc = layout(r, lang, heading)
    out = [f"# {doc.title}", "", doc.subtitle, "", " · ".join(f"{k}: {v}" for k, v in doc.meta), ""]
    out += [" ".join(x for x in (doc.office, doc.date_line) if x), ""]
    for s in doc.sections:
        out += [f"## {s.title}", "", f"> {doc.definition_label}: {s.definition}", ""]
        for b in s.blocks:
            if isinstance(b, Stats):
                out.append(" · ".join(f"{k}: **{v}**" for k, v in b.items))
            elif isinstance(b, Table):
                out += _table(b)
            elif isinstance(b, Note):
                out.append(b.text)
            out.append("")
    return "\n".join(out).rstrip() + "\n"


__all__ = ["render_markdown"]
