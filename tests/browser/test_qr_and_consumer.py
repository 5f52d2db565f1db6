"""QR codes scanned in a real browser: a generated QR PNG decoded back to its
URL (zxing-cpp) and opened; the consumer page at phone and desktop size, in
Chinese and English; the report-a-problem form without JavaScript."""

from __future__ import annotations

from foodtrace.api.app import create_app
from foodtrace.config import Settings
from foodtrace.graph import open_store
from foodtrace.ingest.capture import capture
from foodtrace.services.tracing.qr import qr_png, qr_url
from tests.browser_support import free_port, serve
from tests.builders import pork_chain
from tests.guards import require_module


def test_scanning_a_receipt_qr_opens_its_farm_and_passed_certificate(browser, tmp_path):
    zxingcpp = require_module("zxingcpp")
    from PIL import Image

    url = f"sqlite:///{tmp_path / 'q.db'}"
    with open_store(url) as s:
        capture(s, pork_chain())
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with open_store(url) as s:
        link = qr_url(s, "RCPT", base)
    png = tmp_path / "label.png"
    png.write_bytes(qr_png(link))
    [code] = zxingcpp.read_barcodes(Image.open(png))
    assert code.text == f"{base}/l/RCPT"
    with serve(create_app(Settings(store=url, port=port)), port=port) as served:
        assert served == base
        for size, locale, name in (((375, 812), "zh-CN", "phone-zh"), ((1280, 800), "en-US", "desktop-en")):
            ctx = browser.new_context(viewport={"width": size[0], "height": size[1]}, locale=locale)
            page = ctx.new_page()
            page.goto(code.text)
            body = page.inner_text("body")
            assert "Green Farm" in body
            cert = page.locator(".cert.pass", has_text="动物检疫合格证明" if locale == "zh-CN" else "animal quarantine")
            assert cert.count() == 1 and cert.is_visible()
            assert ("合格" if locale == "zh-CN" else "pass") in cert.inner_text()
            timeline = page.locator(".timeline li")
            assert timeline.count() >= 4 and "City Slaughterhouse" in page.locator(".timeline").inner_text()
            # mobile first: nothing wider than the screen
            assert page.evaluate("document.documentElement.scrollWidth") <= size[0]
            page.screenshot(path=str(tmp_path / f"consumer-{name}.png"), full_page=True)
            ctx.close()


def test_report_a_problem_without_javascript(browser, tmp_path):
    url = f"sqlite:///{tmp_path / 'c.db'}"
    with open_store(url) as s:
        capture(s, pork_chain())
    ctx = browser.new_context(viewport={"width": 375, "height": 812}, locale="en-US", java_script_enabled=False)
    page = ctx.new_page()
    with serve(create_app(Settings(store=url))) as base:
        page.goto(f"{base}/l/RCPT")
        assert "Report it" in page.inner_text("body")
        page.click("summary")
        page.fill("#description", "The pork smelled off")
        page.click("button[type=submit]")
        assert "Thank you for your report" in page.inner_text("body")
        page.screenshot(path=str(tmp_path / "thanks.png"), full_page=True)
    ctx.close()
    from foodtrace.services.safety.complaints import list_complaints

    with open_store(url) as s:
        [c] = list_complaints(s, lot="RCPT")
    assert c.description == "The pork smelled off" and c.channel == "online"
