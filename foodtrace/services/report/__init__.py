"""District statistics (统计报告): the figures of the annual food-safety report, computed
from the store for any period. Figures only — layout, charts and documents live in
``foodtrace.render.report``."""

from foodtrace.services.report.figures import district_report
from foodtrace.services.report.model import Report

__all__ = ["district_report", "Report"]
