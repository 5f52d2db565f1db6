"""The receiving desk in a real browser: a pasted QR link of an uncertified
lot is rejected with its reason, in Chinese and English."""

from __future__ import annotations

from foodtrace.config import Settings
from foodtrace.graph import open_store
from foodtrace.ingest.capture import capture
from tests.browser_support import serve


def shot_dir(tmp_path):
    """Where screenshots go: FOODTRACE_SCREENSHOTS (e.g. docs/screenshots, to refresh the guide's), else the test's tmp_path."""
    import os
    from pathlib import Path

    return Path(os.environ.get("FOODTRACE_SCREENSHOTS") or tmp_path)
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
            assert not page.is_visible("#confirm") and page.is_visible("#refuse")  # no green button on a refusal
            assert words in page.inner_text("#announce")  # the verdict is read out (aria-live)
            page.screenshot(path=str(shot_dir(tmp_path) / f"desk-{lang}.png"), full_page=True)
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
        assert page.is_visible("#confirm") and not page.is_visible("#refuse")
        checked = page.locator("#checked li")
        assert checked.count() >= 5 and "animal quarantine certificate" in page.inner_text("#checked")
        page.click("#confirm")
        page.wait_for_function("() => document.getElementById('confirmed').textContent.length > 0")
        assert "Receipt recorded" in page.inner_text("#confirmed") and "M2-" in page.inner_text("#confirmed")
        page.screenshot(path=str(shot_dir(tmp_path) / "desk-accept.png"), full_page=True)
        ctx.close()
    with open_store(url) as s:  # the handoff to M2 is recorded, with the receiver's new code
        held = [h for h in s.holders(["WV"])["WV"] if h.party == "M2"]
        assert held and held[0].quantity == 5 and held[0].document == "PZ-77"


def test_desk_checks_three_lots_in_a_row_and_never_confirms_a_refused_one(browser, tmp_path):
    """Refused, accepted, refused again — without reloading: each check resets the buttons; a refusal
    offers only "record the refusal" (not green) and records a refusal; long codes are shortened."""
    from tests.builders import pork_chain

    long_code = "3301065104202501020000006"
    url = f"sqlite:///{tmp_path / 'r.db'}"
    with open_store(url) as s:
        capture(s, pork_chain() + [register("M3", "supermarket", "South Supermarket"),
                                   commission(long_code, party="F1"), handoff(long_code, src="F1", dst="W1", qty=10)])
    app, login = app_with_person(Settings(store=url), "M3", "operator")
    with serve(app) as base:
        for lang, (w, h) in (("zh", (375, 812)), ("en", (1280, 800))):
            ctx = browser.new_context(viewport={"width": w, "height": h})
            page = ctx.new_page()
            page.goto(f"{base}/desk?lang={lang}")
            sign_in_here(page, login)
            page.fill("#receiver", "M3")
            page.fill("#document", "SH-9")

            def check(code, qty):
                page.fill("#code", code)
                page.fill("#quantity", qty)
                page.click("#desk button[type=submit]")
                page.wait_for_selector("#result:not([hidden])")

            for i, (code, qty, accept) in enumerate(((long_code, "2", False), ("WV", "1", True), ("NOPE", "1", False))):
                check(code, qty)
                assert page.is_visible("#confirm") is accept and page.is_visible("#refuse") is not accept
                assert not page.is_visible("#confirmed")
                if code == long_code:
                    info = page.inner_text("#lot-info")
                    assert long_code not in info and "330106…000006" in info
                    assert page.get_attribute("#lot-info abbr.code", "title").endswith(long_code)
                    assert ("生猪" if lang == "zh" else "live pigs") in info and ("头" if lang == "zh" else "head") in info
                    page.screenshot(path=str(shot_dir(tmp_path) / f"desk-refused-{lang}.png"), full_page=True)
                if code == "NOPE":
                    page.select_option("#unit", "kg")  # an unknown code has no unit of its own
                    check(code, qty)
                button = "#confirm" if accept else "#refuse"
                assert page.eval_on_selector(button, "b => getComputedStyle(b).backgroundColor") != "rgb(28, 124, 50)" \
                    or accept  # only the receipt button is green
                page.click(button)
                page.wait_for_selector("#confirmed:not([hidden])")
                done = page.inner_text("#confirmed")
                if accept:
                    assert ("已确认收货" if lang == "zh" else "Receipt recorded") in done
                else:
                    assert ("已登记拒收" if lang == "zh" else "Refusal recorded") in done
                assert not page.is_visible("#confirm") and not page.is_visible("#refuse")
                assert page.evaluate("() => document.documentElement.scrollWidth") <= w
            page.screenshot(path=str(shot_dir(tmp_path) / f"desk-{lang}-done.png"), full_page=True)
            ctx.close()
    with open_store(url) as s:  # two refusals and one receipt per language, nothing else
        kinds = [se.event.type for se in s.iter_log()][-6:]
        assert sorted(kinds) == ["entry_refusal"] * 4 + ["handoff"] * 2
