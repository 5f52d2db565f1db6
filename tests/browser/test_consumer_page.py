"""The consumer page in a real browser (Debian Chromium via Playwright)."""

from __future__ import annotations

from foodtrace.api.app import create_app
from foodtrace.config import Settings
from foodtrace.graph import open_store
from foodtrace.ingest.capture import capture
from tests.browser_support import serve
from tests.builders import pork_chain


def test_consumer_page_shows_farm_and_certificate_in_chinese_then_english(page, tmp_path):
    url = f"sqlite:///{tmp_path / 'b.db'}"
    with open_store(url) as s:
        capture(s, pork_chain())
    with serve(create_app(Settings(store=url))) as base:
        page.goto(f"{base}/l/RCPT")
        body = page.inner_text("body")
        assert "食品追溯" in body and "Green Farm" in body and "动物检疫合格证明" in body
        page.screenshot(path=str(tmp_path / "consumer-zh.png"), full_page=True)
        page.click("text=English")
        assert "animal quarantine certificate" in page.inner_text("body")


def test_recalled_lot_shows_the_red_banner(page, tmp_path):
    from foodtrace.services.safety.recall import start_recall

    url = f"sqlite:///{tmp_path / 'r.db'}"
    with open_store(url) as s:
        capture(s, pork_chain())
        start_recall(s, ["CARC"], reason="clenbuterol found in the carcass")
    with serve(create_app(Settings(store=url))) as base:
        page.goto(f"{base}/l/RCPT")
        banner = page.locator("#verdict.v-recalled")
        assert banner.is_visible()
        assert "已召回" in banner.inner_text() and "查看召回通知" in banner.inner_text()
        page.screenshot(path=str(tmp_path / "recalled.png"), full_page=True)
        page.goto(f"{base}/l/RCPT?lang=en")
        assert "Recalled" in page.locator("#verdict").inner_text()
        page.goto(f"{base}/l/PIG")  # upstream of the recalled carcass: not recalled
        assert page.locator("#verdict.v-recalled").count() == 0
