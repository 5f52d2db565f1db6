"""The inspector console in a real browser: the trace graph drawn on the
server with a failed test marked, a recall listing the holders with
quantities, the CSV download; Chinese and English, phone and desktop."""

from __future__ import annotations

from foodtrace.api.app import create_app
from foodtrace.config import Settings
from foodtrace.graph import open_store
from foodtrace.ingest.capture import capture
from tests.browser_support import serve
from tests.builders import cert, pork_chain
from tests.web_support import app_with_person, sign_in_here


def test_console_draws_the_graph_and_a_recall_lists_the_holders(browser, tmp_path):
    url = f"sqlite:///{tmp_path / 'c.db'}"
    with open_store(url) as s:
        capture(s, pork_chain() + [cert(["CARC"], "clenbuterol_test", issuer="REG", result="fail")])
    app, login = app_with_person(Settings(store=url), "REG", "inspector")
    from foodtrace.services.supervision import record_inspection
    from tests.builders import actor

    with open_store(url) as s:
        record_inspection(s, actor("inspector", "REG"), "S1", "rectification", ["Li"], findings=["carcass stored warm"], lots=["CARC"],
                          notice_number="ZG-1", inspection_id="JC-CARC")
    for (w, h), lang in (((1280, 860), "en"), ((375, 812), "zh")):
        ctx = browser.new_context(viewport={"width": w, "height": h}, locale="zh-CN", accept_downloads=True)
        page = ctx.new_page()
        with serve(app) as base:
            page.goto(f"{base}/console?lang={lang}")
            sign_in_here(page, login)
            page.fill("#code", "CARC")
            page.click("#search button[type=submit]")
            page.wait_for_selector("svg.trace-graph")
            lots = page.locator("svg.trace-graph g.lot")
            assert lots.count() == 5 and page.locator("svg.trace-graph path.edge").count() == 4
            marked = page.locator('g.lot[data-code="CARC"]')
            assert "failed_test" in marked.get_attribute("data-marks")
            assert ("检测不合格" if lang == "zh" else "failed test") in marked.text_content()
            assert page.locator('g.lot[data-code="PIG"]').get_attribute("data-marks") == ""
            page.wait_for_selector("#supervision li.record")
            rec = page.locator('#supervision li.record[data-type="inspection"]')
            assert rec.count() == 1 and "JC-CARC" in rec.inner_text()
            assert ("监督检查" if lang == "zh" else "inspection") in rec.inner_text()
            with page.expect_download() as dl:
                page.click("#csv")
            csv_text = dl.value.path().read_text(encoding="utf-8-sig")
            assert csv_text.splitlines()[0].startswith("direction,depth,code") and "RCPT" in csv_text
            page.screenshot(path=str(tmp_path / f"console-graph-{lang}.png"), full_page=True)
            if lang == "en":
                page.fill("#reason", "clenbuterol in the carcass")
                page.click("#recall button[type=submit]")
                page.wait_for_selector("#recall-id")
                table = page.locator("#recall-result table").inner_text()
                assert "City Slaughterhouse" in table and "W1" in table and "M1" in table
                assert "100" in table and "40" in table  # quantities received by the wholesaler, the supermarket
                assert page.locator("tr.holder").count() >= 3
                page.screenshot(path=str(tmp_path / "console-recall.png"), full_page=True)
        ctx.close()


def test_console_without_a_session_goes_to_the_sign_in_page(page, tmp_path):
    url = f"sqlite:///{tmp_path / 'n.db'}"
    with open_store(url) as s:
        capture(s, pork_chain())
    with serve(create_app(Settings(store=url))) as base:
        page.goto(f"{base}/console?lang=en")
        assert "/signin?next=" in page.url
        assert page.locator("#signin").count() == 1 and page.locator("#code").count() == 0
        assert page.locator("#key").count() == 0  # no key is ever asked for
