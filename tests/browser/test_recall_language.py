"""A recall from a failed test on the consumer page in a real browser: the banner in one language at a time."""

from __future__ import annotations

import re

from foodtrace.api.app import create_app
from foodtrace.config import Settings
from foodtrace.graph import open_store
from foodtrace.ingest.capture import capture
from foodtrace.services.safety.recall import recall_from_test
from tests.browser_support import serve
from tests.builders import at, cert, good_pork, with_id

HAN = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")


def test_the_recall_banner_reads_in_the_pages_language(page, tmp_path):
    url = f"sqlite:///{tmp_path / 'r.db'}"
    chain = [with_id(cert(["PIG"], "clenbuterol_test", result="fail", issuer="S1", number="2025-07", time=at(3, 8)),
                     "t-1") if e["type"] == "certificate" and e["kind"] == "clenbuterol_test" else e
             for e in good_pork()]
    with open_store(url) as s:
        capture(s, chain)
        recall_from_test(s, "t-1")
    with serve(create_app(Settings(store=url))) as base:
        page.goto(f"{base}/l/RCPT?lang=zh")
        banner = page.locator("#verdict.v-recalled")
        assert banner.is_visible() and "瘦肉精检测不合格" in banner.inner_text()
        assert not re.search(r"[A-Za-z]", banner.inner_text()) and "2025-07" not in banner.inner_text()
        page.screenshot(path=str(tmp_path / "recall-zh.png"), full_page=True)
        page.click("text=English")
        banner = page.locator("#verdict.v-recalled")
        assert "clenbuterol test failed" in banner.inner_text()
        assert not HAN.search(banner.inner_text()), banner.inner_text()
