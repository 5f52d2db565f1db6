"""The consumer page's verdict, the warnings page and the label sheet in a
real browser (Debian Chromium), at phone and desktop size, in Chinese and
English, on the demo district: the rogue beef, the failed clenbuterol pig, a
lot made from it (recalled) and a lawful receipt.

``FOODTRACE_SCREENSHOTS=docs/screenshots`` writes the screenshots there (the
ones the user guide shows); otherwise they go to the test's tmp directory.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from foodtrace.api.app import create_app
from foodtrace.config import Settings
from foodtrace.demo.load import load_demo
from foodtrace.graph import open_store
from foodtrace.services.safety.recall import recall_report
from tests.browser_support import serve

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
VERDICT = {"zh": {"pass": "检验检疫合格", "fail": "不合格", "recalled": "已召回"},
           "en": {"pass": "Inspected and passed", "fail": "Failed inspection", "recalled": "Recalled"}}
WHY = {"zh": {"rogue": "未在定点屠宰厂屠宰", "pig": "瘦肉精检测结果为不合格", "made": "已被监管部门召回"},
       "en": {"rogue": "not slaughtered at a designated slaughterhouse", "pig": "clenbuterol test: failed",
              "made": "has been recalled by the regulator"}}


@pytest.fixture(scope="module")
def district(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('verdicts') / 'demo.db'}"
    with open_store(url) as s:
        d = load_demo(s, events=3000, seed=7)
        rogue = next(p for p in d.planted if p["kind"] == "undesignated_slaughter")["retail_lot"]
        pig = d.recall["lots"][0]
        made = [c for c in recall_report(s, d.recall["recall_id"]).exposure.affected if c != pig][-1]
    lots = {"pass": d.sample_receipt, "rogue": rogue, "pig": pig, "made": made}
    with serve(create_app(Settings(store=url, base_url="https://trace.example.cn", public_burst=10_000))) as base:
        yield base, lots


def _shots(tmp_path) -> Path:
    out = Path(os.environ.get("FOODTRACE_SCREENSHOTS") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    return out


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("size", sorted(SIZES))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_verdict_first_on_the_consumer_page(browser, district, tmp_path, lang, size):
    base, lots = district
    ctx = browser.new_context(viewport=SIZES[size], locale="zh-CN" if lang == "zh" else "en-US")
    page = ctx.new_page()
    out = _shots(tmp_path)
    try:
        for name, code, verdict in (("pass", lots["pass"], "pass"), ("rogue", lots["rogue"], "fail"),
                                    ("pig", lots["pig"], "recalled"), ("made", lots["made"], "recalled")):
            page.goto(f"{base}/l/{code}?lang={lang}")
            first = page.locator("main > section").first
            assert first.get_attribute("id") == "verdict"  # the verdict opens the page
            assert f"v-{verdict}" in first.get_attribute("class")
            assert VERDICT[lang][verdict] in first.locator("h2").inner_text()
            assert first.bounding_box()["y"] < SIZES[size]["height"] / 2  # seen without scrolling
            if name != "pass":
                assert first.get_attribute("role") == "alert"
                assert WHY[lang][name] in first.inner_text()
                color = first.evaluate("e => getComputedStyle(e).backgroundColor")
                assert color != "rgb(255, 255, 255)"  # not the calm white of a lawful lot
            else:
                assert "浙江省杭州市" in page.inner_text(".area") or "杭州市, 浙江省" in page.inner_text(".area")
            if verdict == "recalled":  # its notice on /warnings
                page.click("a.notice")
                assert page.url.split("#")[0].endswith(f"/warnings?lang={lang}")
                assert page.locator("article.recall").first.is_visible()
                page.go_back()
            body = page.inner_text("body")
            assert "+0800" not in body and "+08:00" not in body
            assert _fits(page), f"{name} overflows at {size}"
            page.screenshot(path=str(out / f"consumer-{name}-{lang}-{size}.png"), full_page=True)
    finally:
        ctx.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_warnings_page_and_label_sheet(browser, district, tmp_path, lang):
    base, lots = district
    out = _shots(tmp_path)
    ctx = browser.new_context(viewport=SIZES["phone"], locale="zh-CN" if lang == "zh" else "en-US")
    page = ctx.new_page()
    try:
        page.goto(f"{base}/warnings?lang={lang}")
        kinds = page.locator("article").evaluate_all("a => a.map(e => e.className)")
        assert kinds.count("warning") == 2 and kinds.count("recall") == 1
        assert _fits(page)
        page.screenshot(path=str(out / f"warnings-{lang}-phone.png"), full_page=True)
        page.goto(f"{base}/l/NO-SUCH?lang={lang}")
        assert page.locator("input#code").input_value() == "NO-SUCH"
        page.fill("input#code", lots["pass"])
        page.click("button[type=submit]")
        assert page.locator("#verdict.v-pass").is_visible()
    finally:
        ctx.close()
    ctx = browser.new_context(viewport=SIZES["desktop"])
    page = ctx.new_page()
    try:
        page.goto(f"{base}/labels?codes={lots['pass']},{lots['rogue']},{lots['made']}&lang={lang}")
        assert page.locator(".label").count() == 1 and page.locator(".withheld li").count() == 2
        for box in page.locator(".label .text").all():  # the text stays inside its label
            assert box.evaluate("e => e.scrollHeight <= e.clientHeight + 1 && e.scrollWidth <= e.clientWidth + 1")
        page.screenshot(path=str(out / f"labels-{lang}.png"), full_page=True)
    finally:
        ctx.close()
