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
