"""The report's title block as an office issues it: the district, the issuing office and the
date line, in either language (from the settings ``district_name*`` and ``office_name*``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


@dataclass(frozen=True)
class Heading:
    district_zh: str = ""
    district_en: str = ""
    office_zh: str = ""
    office_en: str = ""

    @classmethod
    def from_settings(cls, s) -> "Heading":  # noqa: ANN001 - foodtrace.config.Settings
        return cls(s.district_name, s.district_name_en, s.office_name, s.office_name_en)

    def district(self, lang: str) -> str:
        return self.district_en if lang == "en" else self.district_zh

    def office(self, lang: str) -> str:
        return self.office_en if lang == "en" else self.office_zh


def day(d: date, lang: str) -> str:
    """A date as a document writes it: 2025年1月1日 / 1 January 2025."""
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}" if lang == "en" else f"{d.year}年{d.month}月{d.day}日"


def moment(t: datetime, lang: str) -> str:
    """A time in its own (the district's) zone, to the minute: 2026年11月30日 16:03 / 30 November 2026, 16:03."""
    sep = ", " if lang == "en" else " "
    return f"{day(t.date(), lang)}{sep}{t:%H:%M}"


__all__ = ["Heading", "day", "moment"]
