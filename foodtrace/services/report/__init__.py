"""District statistics (统计报告): the figures of the annual food-safety report,
computed from the store for any period, rendered as Markdown (zh/en) and as an
HTML page with charts."""

from .figures import district_report
from .model import Report
from .render import FORMATS, render_report

__all__ = ["district_report", "Report", "render_report", "FORMATS"]
