"""How the report rounds and shows rates and quantities, and reads periods."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from foodtrace.errors import InvalidInput
from foodtrace.render.report.text import compact, num, pct
from foodtrace.services.report.model import rate
from foodtrace.services.report.period import parse_tz, period


@pytest.mark.parametrize("part, whole, value, shown", [
    (2, 3, 0.6667, "66.67%"),
    (5, 5, 1.0, "100.00%"),
    (0, 5, 0.0, "0.00%"),
    (27502, 27503, 0.999964, "99.9964%"),  # one failure is never rounded away
    (1, 100000, 0.00001, "0.0010%"),  # nor one success
])
def test_rates_keep_a_failure_visible(part, whole, value, shown):
    assert rate(part, whole) == value and pct(rate(part, whole)) == shown


def test_no_rate_without_a_whole():
    assert rate(0, 0) is None and pct(None) == "—"


def test_numbers():
    assert (num(1234567), num(2.5), num(3.0), num(None)) == ("1,234,567", "2.5", "3", "—")
    assert (compact(9361214.6, "zh"), compact(9361214.6, "en"), compact(120, "en")) == ("936.1万", "9.36M", "120")
    assert compact(2.5e8, "zh") == "2.50亿" and compact(56000, "en") == "56.0k"


def test_periods_are_whole_days_in_their_zone():
    p = period("2025-01-01", "2025-12-31", "+08:00")
    assert p.start == datetime(2025, 1, 1, tzinfo=timezone(timedelta(hours=8)))
    assert p.end == datetime(2026, 1, 1, tzinfo=timezone(timedelta(hours=8))) and len(p.months()) == 12
    assert p.month_of(datetime(2025, 1, 31, 16, 30, tzinfo=timezone.utc)) == "2025-02"  # 00:30 in Beijing
    assert period(None, "2025-06-30").first == date(2025, 1, 1)
    assert parse_tz("-0530").utcoffset(None) == timedelta(hours=-5, minutes=-30)
    with pytest.raises(InvalidInput) as exc:
        period("2000-01-01", "2025-01-01")
    assert exc.value.details[0]["field"] == "from"
