"""The report as one self-contained HTML page for inspectors: the same
sections as the Markdown, with server-drawn SVG charts (no scripts, no
external assets), so it can be served, saved or printed as it is."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from foodtrace.render.report.charts import flow_chart, membership_chart, monthly_chart
from foodtrace.render.report.heading import Heading
from foodtrace.render.report.layout import Note, Stats, Table, layout
from foodtrace.render.report.text import Labels
from foodtrace.services.report.model import Report


@lru_cache(maxsize=1)
def _env() -> Environment:
    return Environment(loader=FileSystemLoader(str(Path(__file__).resolve().parent / "templates")),
                       autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)


def charts_of(r: Report, L: Labels) -> dict[str, str]:
    """The report's charts as SVG, by the section they belong to."""
    return {"membership": membership_chart(r.membership.kinds, L), "tests": monthly_chart(r.tests.monthly, L),
            "flow": flow_chart(r.flow, L)}


def render_html(r: Report, lang: str = "zh", form_action: str | None = None, heading: Heading | None = None) -> str:
    """The page; ``form_action`` (the page's own path when served) adds the period form and the
    language switch."""
    L = Labels(lang)
    charts = charts_of(r, L)
    return _env().get_template("report.html").render(
        doc=layout(r, lang, heading), report=r, lang=lang, t=L.t, form_action=form_action,
        charts={k: Markup(v) for k, v in charts.items()},  # drawn here, every text in them escaped
        is_stats=lambda b: isinstance(b, Stats), is_table=lambda b: isinstance(b, Table),
        is_note=lambda b: isinstance(b, Note))


__all__ = ["render_html", "charts_of"]
