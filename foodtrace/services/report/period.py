"""The period a report covers: whole days in the district's time zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from foodtrace.errors import InvalidInput
from foodtrace.i18n.keyed import keyed
from foodtrace.i18n.refusals import refusal
from foodtrace.model.common import EARLIEST
from foodtrace.model.common import LATEST

_OFFSET = re.compile(r"^([+-])(\d{2}):?(\d{2})$")


def parse_tz(text: str, field: str = "tz") -> tzinfo:
    """``+08:00`` / ``-0530`` / ``UTC`` / an IANA name (``Asia/Shanghai``)."""
    text = (text or "").strip()
    m = _OFFSET.match(text)
    if m:
        sign, hh, mm = m.groups()
        if int(hh) > 14 or int(mm) > 59:
            raise keyed(InvalidInput, "bad_zone", [refusal(None, field, "zone_within")], text=text)
        delta = timedelta(hours=int(hh), minutes=int(mm))
        return timezone(-delta if sign == "-" else delta)
    if text.upper() in ("UTC", "Z"):
        return timezone.utc
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise keyed(InvalidInput, "bad_zone", [refusal(None, field, "zone_form", offset="+08:00", utc="UTC",
                                                            name="Asia/Shanghai")], text=text)


def parse_date(value: str | date, field: str) -> date:
    if isinstance(value, date):
        return value
    try:
        day = date.fromisoformat(str(value).strip())
    except ValueError:
        raise keyed(InvalidInput, "bad_date", [refusal(None, field, "date_form")], value=str(value), field=field)
    if not EARLIEST.date() <= day < LATEST.date():  # 0001-01-01 would overflow when converted to UTC
        raise keyed(InvalidInput, "bad_date", [refusal(None, field, "date_range")], value=str(value), field=field)
    return day


@dataclass(frozen=True)
class Period:
    """From the first moment of ``first`` to the last of ``last`` (whole days) in ``tz``."""

    first: date
    last: date
    tz: tzinfo

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time(), self.tz)

    @property
    def end(self) -> datetime:
        """The first moment after the period (exclusive)."""
        return datetime.combine(self.last + timedelta(days=1), time(), self.tz)

    def tz_name(self) -> str:
        """``Asia/Shanghai`` for a named zone, else the offset (``+08:00``)."""
        if isinstance(self.tz, ZoneInfo):
            return str(self.tz)
        z = self.start.strftime("%z")
        return f"{z[:3]}:{z[3:]}"

    def month_of(self, moment: datetime) -> str:
        d = moment.astimezone(self.tz)
        return f"{d.year:04d}-{d.month:02d}"

    def months(self) -> list[str]:
        out, y, m = [], self.first.year, self.first.month
        while (y, m) <= (self.last.year, self.last.month):
            out.append(f"{y:04d}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out


def period(first: str | date | None, last: str | date | None, tz: str = "+08:00",
           today: date | None = None) -> Period:
    """The period from the dates given (``last`` defaults to today, ``first`` to 1 January of
    ``last``'s year), refused with the field and the reason when they make no sense."""
    zone = parse_tz(tz)
    end = parse_date(last, "to") if last not in (None, "") else (today or datetime.now(zone).date())
    begin = parse_date(first, "from") if first not in (None, "") else date(end.year, 1, 1)
    if begin > end:
        raise keyed(InvalidInput, "period_reversed", [refusal(None, "from", "on_or_before", end=str(end))],
                    begin=str(begin), end=str(end))
    if (end - begin).days > 366 * 20:
        raise keyed(InvalidInput, "period_too_long", [refusal(None, "from", "within_20_years")])
    return Period(begin, end, zone)


__all__ = ["Period", "period", "parse_tz", "parse_date"]
