"""The stall's phone form in a real browser at 375 px: the stall's operator signs in (no key anywhere),
a purchase by the supplier's code in 斤 with a price is accepted and recorded (converted to kg), the
day's sales are recorded, the stall's own ledger lists both and downloads as .xlsx; no script runs
inline (strict CSP) and no error reaches the console."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from foodtrace.config import Settings
from foodtrace.graph import open_store
from foodtrace.ingest.capture import capture
from tests.browser_support import serve
from tests.builders import pork_chain, register
from tests.web_support import app_with_person, sign_in_here


def test_a_stall_records_a_purchase_and_its_sales_from_a_phone(browser, tmp_path):
    url = f"sqlite:///{tmp_path / 'stall.db'}"
    with open_store(url) as s:
        capture(s, pork_chain() + [register("ST1", "small_stall", "Wang's pork stall")])
    app, login = app_with_person(Settings(store=url), "ST1", "operator", "wang.stall")
    errors: list[str] = []
    with serve(app) as base:
        ctx = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True)
        page = ctx.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "404" not in m.text else None)
        page.on("response", lambda r: errors.append(r.url) if r.status >= 400 and "favicon" not in r.url else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{base}/stall?lang=zh")  # zh first; the test browser asks for English
        assert "/signin" in page.url and page.locator("#key").count() == 0
        sign_in_here(page, login)
        assert page.url.endswith("/stall?lang=zh") and page.inner_text("h1") == "小商户进销台账"
        assert page.inner_text("#person") == "operator of ST1"
        assert page.locator("#key").count() == 0 and page.locator("input[type=password]").count() == 0
        page.fill("#code", f"{base}/l/WV")  # the supplier's QR link, as the scanner would fill it in
        page.fill("#supplier", "W1")
        page.fill("#quantity", "20")
        page.select_option("#unit", "斤")
        page.fill("#price", "14")
        page.click("#buy button[type=submit]")
        page.wait_for_selector("#buy-result.ok")
        text = page.inner_text("#buy-result")
        assert "准予入场" in text and "ST1-" in text
        receipt = text.rsplit("：", 1)[-1].strip()  # a Chinese colon on the Chinese page
        # the button is a thumb's size, and nothing is wider than the screen
        box = page.locator("#buy button[type=submit]").bounding_box()
        assert box["height"] >= 44 and box["width"] <= 375
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        page.fill("#sell-code", receipt)
        page.fill("#sell-quantity", "6")
        page.select_option("#sell-unit", "千克")
        page.fill("#sell-amount", "168")
        page.click("#sell button[type=submit]")
        page.wait_for_function("() => document.getElementById('sell-result').textContent.length > 0")
        assert page.get_attribute("#sell-result", "class") == "ok", page.inner_text("#sell-result")
        page.click("#show")
        page.wait_for_function("() => document.querySelectorAll('#ledger tbody tr').length == 2")
        rows = page.inner_text("#ledger tbody")
        assert "进货" in rows and "销售" in rows and "WV" in rows and "20 斤" in rows  # the ledger shows the quantity as written (stored as 10 kg)
        with page.expect_download() as got:
            page.click("#export")
        book = load_workbook(io.BytesIO(open(got.value.path(), "rb").read()))
        cells = [str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if c]
        assert any("WV" in c for c in cells) and any(receipt in c for c in cells)
        assert "ft_" not in page.content() and "Bearer" not in page.content()  # no key anywhere in the page
        assert page.evaluate("() => document.cookie") == ""  # the session id is out of the page's reach
        page.screenshot(path=str(tmp_path / "stall.png"), full_page=True)
        ctx.close()
    assert not errors, errors
    with open_store(url) as s:
        held = [h for h in s.holders(["WV"])["WV"] if h.party == "ST1"]
        assert held and held[0].quantity == 10  # 20 斤
        ev = s.get_events([held[0].event_id])[held[0].event_id].event
        assert ev.unit_price == 28 and ev.currency == "CNY"  # 14 yuan per 斤 is 28 per kg
