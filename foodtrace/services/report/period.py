"""The period a report covers: whole days in the district's time zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from foodtrace.errors import InvalidInput, detail
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
            raise InvalidInput(f"bad time zone {text!r}", [detail(None, field, "an offset within ±14:00")])
        delta = timedelta(hours=int(hh), minutes=int(mm))
        return timezone(-delta if sign == "-" else delta)
    if text.upper() in ("UTC", "Z"):
        return timezone.utc
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(f"bad time zone {text!r}",
                           [detail(None, field, "an offset such as +08:00, UTC or a name such as Asia/Shanghai")])


def parse_date(value: str | date, field: str) -> date:
    if isinstance(value, date):
        return value
    try:
        day = date.fromisoformat(str(value).strip())
    except ValueError:
        raise InvalidInput(f"bad date {value!r} for {field}", [detail(None, field, "a date such as 2025-01-31")])
    if not EARLIEST.date() <= day < LATEST.date():  # 0001-01-01 would overflow when converted to UTC
        raise InvalidInput(f"bad date {value!r} for {field}",
                           [detail(None, field, "must lie between 1970-01-01 and 2200-01-01")])
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
        raise InvalidInput(f"the period starts ({begin}) after it ends ({end})",
                           [detail(None, "from", f"on or before {end}")])
    if (end - begin).days > 366 * 20:
        raise InvalidInput("a report covers at most 20 years", [detail(None, "from", "within 20 years of to")])
    return Period(begin, end, zone)


__all__ = ["Period", "period", "parse_tz", "parse_date"]
