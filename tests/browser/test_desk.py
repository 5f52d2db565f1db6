"""The receiving desk in a real browser: a pasted QR link of an uncertified
lot is rejected with its reason, in Chinese and English."""

from __future__ import annotations

from foodtrace.config import Settings
from foodtrace.graph import open_store
from foodtrace.ingest.capture import capture
from tests.browser_support import serve
from tests.builders import commission, handoff, register
from tests.web_support import app_with_person, sign_in_here


def test_desk_rejects_an_uncertified_lot_with_its_reason(browser, tmp_path):
    url = f"sqlite:///{tmp_path / 'd.db'}"
    with open_store(url) as s:
        capture(s, [register("F1", "scale_farm", "Green Farm"), register("W1", "wholesaler"),
                    register("M1", "supermarket"), commission("PIG2", party="F1"),  # no quarantine certificate
                    handoff("PIG2", src="F1", dst="W1", qty=10)])
    app, login = app_with_person(Settings(store=url), "M1", "operator")  # a clerk of the receiving supermarket
    with serve(app) as base:
        for lang, (w, h), words in (("zh", (375, 812), "缺少"), ("en", (1280, 800), "no passing")):
            ctx = browser.new_context(viewport={"width": w, "height": h})
            page = ctx.new_page()
            page.goto(f"{base}/desk?lang={lang}")
            sign_in_here(page, login)
            page.fill("#receiver", "M1")
            page.fill("#code", f"{base}/l/PIG2")  # pasted from the supplier's QR code
            page.fill("#quantity", "5")
            page.fill("#document", "SH-001")
            page.click("#desk button[type=submit]")
            page.wait_for_selector("#verdict.reject")
            assert page.inner_text("#verdict") == ("拒绝入场" if lang == "zh" else "REJECT")
            reasons = page.locator("li.reason")
            assert reasons.count() >= 1
            missing = page.locator('li.reason[data-code="missing_certificate"]')
            assert missing.count() == 1 and words in missing.inner_text() and "PIG2" in missing.inner_text()
            page.screenshot(path=str(tmp_path / f"desk-{lang}.png"), full_page=True)
            ctx.close()


def test_desk_accepts_a_certified_lot_and_confirms_the_receipt(browser, tmp_path):
    from tests.builders import pork_chain

    url = f"sqlite:///{tmp_path / 'ok.db'}"
    with open_store(url) as s:
        capture(s, pork_chain() + [register("M2", "supermarket", "North Supermarket")])
    app, login = app_with_person(Settings(store=url), "M2", "operator")
    with serve(app) as base:
        ctx = browser.new_context(viewport={"width": 375, "height": 812})
        page = ctx.new_page()
        page.goto(f"{base}/desk?lang=en")
        sign_in_here(page, login)
        page.fill("#receiver", "M2")
        page.fill("#code", "WV")
        page.fill("#quantity", "5")
        page.fill("#document", "PZ-77")
        page.click("#desk button[type=submit]")
        page.wait_for_selector("#verdict.accept")
        assert page.inner_text("#verdict") == "ACCEPT"
        page.click("#confirm")
        page.wait_for_function("() => document.getElementById('confirmed').textContent.length > 0")
        assert "Recorded" in page.inner_text("#confirmed") and "M2-" in page.inner_text("#confirmed")
        page.screenshot(path=str(tmp_path / "desk-accept.png"), full_page=True)
        ctx.close()
    with open_store(url) as s:  # the handoff to M2 is recorded, with the receiver's new code
        held = [h for h in s.holders(["WV"])["WV"] if h.party == "M2"]
        assert held and held[0].quantity == 5 and held[0].document == "PZ-77"
