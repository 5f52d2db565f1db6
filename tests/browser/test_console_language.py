"""The inspector console speaks the reader's language in what the newcomer saw mixed: a closed case's
status and the summary of a case opened from a failed test (supervision records), and a recall
previewed from a receipt's code, whose holders table lists the shop that sold it under headers that
read naturally."""

from __future__ import annotations

import re

from foodtrace.config import Settings
from foodtrace.graph import open_store
from foodtrace.ingest.capture import capture
from tests.browser_support import serve
from tests.builders import actor, cert, pork_chain, with_id
from tests.web_support import app_with_person, sign_in_here

ENGLISH_WORD = re.compile(r"(?<![\w-])[A-Za-z]{2,}(?![\w-])")
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_case_status_summary_and_the_holders_of_a_receipt_in_each_language(browser, tmp_path):
    url = f"sqlite:///{tmp_path / 'c.db'}"
    with open_store(url) as s:
        capture(s, pork_chain() + [with_id(cert(["CARC"], "clenbuterol_test", issuer="S1", result="fail",
                                                number="CL-9"), "test-9")])
    app, login = app_with_person(Settings(store=url), "REG", "inspector")
    from foodtrace.services.supervision import open_case, update_case

    with open_store(url) as s:
        open_case(s, actor("inspector", "REG"), "failed_test", refs=["test-9"], case_id="AJ-9")
        update_case(s, actor("inspector", "REG"), "AJ-9", "closed", fine_yuan=5000)
    for lang in ("zh", "en"):
        ctx = browser.new_context(viewport={"width": 1280, "height": 860}, locale="zh-CN")
        page = ctx.new_page()
        with serve(app) as base:
            page.goto(f"{base}/console?lang={lang}")
            sign_in_here(page, login)
            page.fill("#code", "RCPT")  # a receipt's code, as a consumer's complaint gives it
            page.click("#search button[type=submit]")
            page.wait_for_selector("#supervision li.record")
            opened = page.locator('#supervision li.record[data-type="enforcement_case"]').inner_text()
            update = page.locator('#supervision li.record[data-type="case_update"]').inner_text()
            if lang == "zh":
                assert "瘦肉精检测 CL-9 不合格" in opened and update.endswith("办结")
                assert not ENGLISH_WORD.findall(opened + update), (opened, update)
            else:
                assert "clenbuterol test CL-9 failed" in opened and update.endswith("closed")
                assert not CJK.search(opened + update), (opened, update)
            page.fill("#reason", "变质" if lang == "zh" else "spoiled")
            page.click("#recall button[type=submit]")
            page.wait_for_selector("#recall-confirm")
            heads = page.locator("#recall-preview table th").all_inner_texts()
            assert heads == (["主体", "收到数量", "可能仍持有", "批次数"] if lang == "zh"
                             else ["Party", "Received", "Possibly still held", "Lots"])
            rows = page.locator("#recall-preview tr.holder").all_inner_texts()
            assert len(rows) == 1 and "M1" in rows[0] and "40" in rows[0]  # the supermarket, not the consumer
        ctx.close()
