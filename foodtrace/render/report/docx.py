"""The report as a Word document (python-docx, MIT): the title block, one heading per section with
its definition (口径), key figures, tables with a repeated header row, and the charts as pictures.
Chinese text is set in 宋体 / 黑体 (SimSun / SimHei), as offices write; Word substitutes what it has."""

from __future__ import annotations

import io

from foodtrace.render.report.heading import Heading
from foodtrace.render.report.html import charts_of
from foodtrace.render.report.layout import Doc, Note, Stats, Table, layout
from foodtrace.render.report.pdf import svg_png
from foodtrace.render.report.text import Labels
from foodtrace.services.report.model import Report

BODY_FONT, HEAD_FONT = ("宋体", "Times New Roman"), ("黑体", "Arial")


def _font(style_or_run, fonts: tuple[str, str], size: float | None = None) -> None:  # noqa: ANN001
    from docx.oxml.ns import qn
    from docx.shared import Pt

    east, west = fonts
    style_or_run.font.name = west
    rpr = style_or_run.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), east)
    if size:
        style_or_run.font.size = Pt(size)


def _repeat_header(row) -> None:  # noqa: ANN001
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _table(document, tb: Table) -> None:  # noqa: ANN001
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    if tb.caption:
        cap = document.add_paragraph()
        _font(cap.add_run(tb.caption), HEAD_FONT, 10.5)
        cap.paragraph_format.keep_with_next = True
    table = document.add_table(rows=1, cols=len(tb.head))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, tb.head):
        cell.text = ""
        _font(cell.paragraphs[0].add_run(text), HEAD_FONT, 9)
    _repeat_header(table.rows[0])
    for i, row in enumerate(tb.rows):
        cells = table.add_row().cells
        bold = i >= len(tb.rows) - tb.totals
        for j, (cell, text) in enumerate(zip(cells, row)):
            run = cell.paragraphs[0].add_run(text)
            run.bold = bold
            _font(run, BODY_FONT, 9)
            if j:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph()


def _stats(document, st: Stats, lang: str) -> None:  # noqa: ANN001
    sep = "；" if lang == "zh" else "; "
    colon = "：" if lang == "zh" else ": "
    p = document.add_paragraph()
    for i, (k, v) in enumerate(st.items):
        _font(p.add_run(f"{k}{colon}"), BODY_FONT, 10.5)
        run = p.add_run(v + (sep if i < len(st.items) - 1 else ("。" if lang == "zh" else ".")))
        run.bold = True
        _font(run, BODY_FONT, 10.5)


def _title_block(document, doc: Doc) -> None:  # noqa: ANN001
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run(doc.title), HEAD_FONT, 20)
    if doc.subtitle:
        sub = document.add_paragraph()
        sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(sub.add_run(doc.subtitle), BODY_FONT, 12)
    for text in filter(None, (doc.office, doc.date_line)):
        p = document.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _font(p.add_run(text), BODY_FONT, 12)
    meta = document.add_paragraph()
    colon = "：" if doc.lang == "zh" else ": "
    gap = "　" if doc.lang == "zh" else " · "  # a full-width space between the items in Chinese only
    _font(meta.add_run(gap.join(f"{k}{colon}{v}" for k, v in doc.meta)), BODY_FONT, 9)


def render_docx(r: Report, lang: str = "zh", heading: Heading | None = None) -> bytes:
    import docx
    from docx.shared import Cm, Pt

    doc = layout(r, lang, heading)
    charts = charts_of(r, Labels(lang))
    document = docx.Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.6)
    section.top_margin, section.bottom_margin = Cm(3.0), Cm(2.5)
    _font(document.styles["Normal"], BODY_FONT, 10.5)
    for name in ("Heading 1", "Heading 2"):
        _font(document.styles[name], HEAD_FONT, 14 if name == "Heading 1" else 12)
    document.core_properties.title = doc.title
    document.core_properties.author = doc.office or ""
    document.core_properties.language = "en" if lang == "en" else "zh-CN"
    _title_block(document, doc)
    colon = "：" if lang == "zh" else ": "
    for s in doc.sections:
        document.add_heading(s.title, level=1)
        d = document.add_paragraph()
        _font(d.add_run(f"{doc.definition_label}{colon}"), HEAD_FONT, 9)
        _font(d.add_run(s.definition), BODY_FONT, 9)
        d.paragraph_format.space_after = Pt(6)
        for b in s.blocks:
            if isinstance(b, Stats):
                _stats(document, b, lang)
                if s.key in charts:
                    png, w, h = svg_png(charts[s.key])
                    document.add_picture(io.BytesIO(png), width=Cm(15.8))
            elif isinstance(b, Table):
                _table(document, b)
            elif isinstance(b, Note):
                _font(document.add_paragraph().add_run(b.text), BODY_FONT, 10.5)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


__all__ = ["render_docx"]
