"""QR codes scanned in a real browser: a generated QR PNG decoded back to its
URL (zxing-cpp) and opened; the consumer page at phone and desktop size, in
Chinese and English; the report-a-problem form without JavaScript, after its page expired (what
was typed comes back), and posted from another site (refused)."""

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
            cert = page.locator(".cert.pass", has_text="动物检疫合格证明（动物）" if locale == "zh-CN"
                                else "animal quarantine certificate (live animals)")
            assert cert.count() == 1 and cert.is_visible()
            # 两证: the carcass's quarantine certificate is shown too
            assert page.locator(".cert.pass", has_text="（产品）" if locale == "zh-CN" else "(products)").count() == 1
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


def test_an_expired_report_form_comes_back_with_what_was_typed(browser, tmp_path):
    url = f"sqlite:///{tmp_path / 'e.db'}"
    with open_store(url) as s:
        capture(s, pork_chain())
    ctx = browser.new_context(viewport={"width": 375, "height": 812}, locale="zh-CN")
    page = ctx.new_page()
    with serve(create_app(Settings(store=url))) as base:
        page.goto(f"{base}/l/RCPT")
        page.click("summary")
        page.fill("#description", "猪肉有异味，包装破损")
        page.fill("#contact", "13800000000")
        page.evaluate("document.querySelector('input[name=csrf_token]').value = '1.expired'")  # as if stale
        page.click("button[type=submit]")
        assert "页面已过期，未能提交" in page.inner_text("body")
        assert page.input_value("#description") == "猪肉有异味，包装破损"
        assert page.input_value("#contact") == "13800000000"
        page.click("button[type=submit]")  # the page that came back carries a fresh token
        assert "感谢您的反馈" in page.inner_text("body")
    ctx.close()
    from foodtrace.services.safety.complaints import list_complaints

    with open_store(url) as s:
        [c] = list_complaints(s, lot="RCPT")
    assert c.description == "猪肉有异味，包装破损" and c.status == "received"


def test_a_form_on_another_site_cannot_file_a_complaint(browser, tmp_path):
    """Another site's page (another origin: another port) posts a ready-made complaint, even with
    a token it fetched from our page: the browser says where the post comes from, and it is refused."""
    import html

    from starlette.applications import Starlette
    from starlette.responses import HTMLResponse
    from starlette.routing import Route

    url = f"sqlite:///{tmp_path / 'x.db'}"
    with open_store(url) as s:
        capture(s, pork_chain())
    ctx = browser.new_context(locale="en-US")
    page = ctx.new_page()
    with serve(create_app(Settings(store=url))) as base:
        page.goto(f"{base}/l/RCPT")
        token = page.get_attribute("input[name=csrf_token]", "value")

        def evil(request):
            return HTMLResponse(f'<form method="post" action="{base}/complaint/RCPT">'
                                f'<input name="description" value="this shop poisons people">'
                                f'<input name="csrf_token" value="{html.escape(token)}">'
                                f'<button type="submit">win a prize</button></form>')

        with serve(Starlette(routes=[Route("/", evil)])) as other:
            page.goto(other)
            page.click("button[type=submit]")
            body, content = page.inner_text("body"), page.content()
    ctx.close()
    assert "can only be sent from the product page" in body and "poisons" not in content
    from foodtrace.services.safety.complaints import list_complaints

    with open_store(url) as s:
        assert list_complaints(s) == []
