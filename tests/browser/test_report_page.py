"""The inspectors' statistics page in a real browser (Debian Chromium via Playwright): figures,
charts drawn and visible, Chinese then English, the period form."""

from __future__ import annotations

import pytest

from foodtrace.api.app import create_app
from foodtrace.config import Settings
from foodtrace.graph import open_store
from foodtrace.ingest.capture import capture
from foodtrace.services.admin.keys import issue_key
from tests.browser_support import serve
from tests.builders import stats_district

CHARTS = ("svg.chart-membership", "svg.chart-monthly", "svg.chart-flow")


@pytest.fixture
def base(tmp_path, page):
    """The served app; the page sends an admin key with every request (the report is for inspectors)."""
    url = f"sqlite:///{tmp_path / 'report.db'}"
    with open_store(url) as s:
        capture(s, stats_district())
        page.set_extra_http_headers({"Authorization": f"Bearer {issue_key(s, 'ADMIN', 'admin').key}"})
    with serve(create_app(Settings(store=url))) as b:
        yield b


def _charts_drawn(page) -> None:
    for sel in CHARTS:
        chart = page.locator(sel)
        assert chart.is_visible(), sel
        box = chart.bounding_box()
        assert box and box["width"] > 200 and box["height"] > 60, (sel, box)
    assert page.locator("svg.chart-flow rect.node").count() == 6  # 2 areas, 2 slaughter points, 2 kinds
    assert page.locator("svg.chart-flow path.link").count() == 6
    assert page.locator("svg.chart-monthly rect.bar").count() == 1  # March
    assert page.locator("svg.chart-membership rect.bar").count() == 15  # the kinds with a registered party


def test_report_page_in_chinese_then_english(page, base, tmp_path):
    page.set_viewport_size({"width": 1100, "height": 900})
    page.goto(f"{base}/reports/district?from=2025-03-01&to=2025-03-31")
    assert page.title().startswith("示范区食品安全追溯统计报告")
    body = page.inner_text("body")
    assert "加入率" in body and "66.67%" in body and "明厨亮灶" in body and "私屠滥宰" in body
    assert page.inner_text("#clenbuterol .stats").count("50.00%") == 1
    assert "非定点" in page.text_content("svg.chart-flow")
    _charts_drawn(page)
    page.screenshot(path=str(tmp_path / "report-zh.png"), full_page=True)

    page.click("a.lang")
    assert page.title().startswith("Demo District: Food-safety traceability statistics")
    body = page.inner_text("body")
    assert "membership rate" in body and "transparent kitchen" in body and "quarantine rate" in body
    assert "X1 (not designated)" in page.text_content("svg.chart-flow")
    _charts_drawn(page)
    page.screenshot(path=str(tmp_path / "report-en.png"), full_page=True)


def test_the_period_form_changes_the_period(page, base):
    page.goto(f"{base}/reports/district?from=2025-03-01&to=2025-03-31&lang=en")
    page.fill("input[name=from]", "2025-01-01")
    page.fill("input[name=to]", "2025-04-30")
    page.click("button[type=submit]")
    assert "from=2025-01-01" in page.url and "lang=en" in page.url
    assert "1 January 2025 to 30 April 2025" in page.inner_text("header")
    assert page.locator("svg.chart-monthly rect.bar").count() == 4
    assert page.locator("svg.chart-flow").is_visible()  # the phone-sized page scales the charts down
    box = page.locator("svg.chart-flow").bounding_box()
    assert box and box["width"] <= 375
