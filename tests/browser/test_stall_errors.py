"""A stall keeper's mistakes on the /stall phone form, in a real browser: a quantity of 0 and a code with a
space in it pass the browser's own checks and are refused by the server. The refusal names the field by its
label on the page, says why in the page's language (not the browser's: the phone asks for English, the page
is in Chinese, and the other way round), never shows pydantic's English or a regular expression, marks the
field and puts the cursor in it, and keeps what was typed."""

from __future__ import annotations

import re

import pytest

from foodtrace.config import Settings
from foodtrace.graph import open_store
from foodtrace.ingest.capture import capture
from tests.browser_support import serve
from tests.builders import pork_chain, register
from tests.web_support import app_with_person, sign_in_here

EXPECT = {"zh": {"quantity": "数量", "positive": "大于 0", "code": "追溯码", "space": "空格"},
          "en": {"quantity": "Quantity", "positive": "greater than 0", "code": "trace code", "space": "spaces"}}
BROWSER_LOCALE = {"zh": "en-US", "en": "zh-CN"}  # the phone's language is the other one


def _other_script(lang: str, text: str) -> list[str]:
    if lang == "zh":  # English words on a Chinese page (codes and the unit kg aside)
        return [w for w in re.findall(r"[A-Za-z]{2,}", text) if w not in ("kg",)]
    return re.findall(r"[\u4e00-\u9fff]+", text)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_refused_purchase_names_the_field_in_the_pages_language(browser, tmp_path, lang):
    url = f"sqlite:///{tmp_path / 'stall.db'}"
    with open_store(url) as s:
        capture(s, pork_chain() + [register("ST1", "small_stall", "Wang's pork stall")])
    app, login = app_with_person(Settings(store=url), "ST1", "operator", "wang.stall")
    errors: list[str] = []
    with serve(app) as base:
        ctx = browser.new_context(viewport={"width": 375, "height": 812}, locale=BROWSER_LOCALE[lang])
        page = ctx.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{base}/stall?lang={lang}")
        sign_in_here(page, login)
        want = EXPECT[lang]

        page.fill("#code", "WV")
        page.fill("#quantity", "0")  # min="0" lets it through; the server wants more than nothing
        page.click("#buy button[type=submit]")
        page.wait_for_selector("#buy-result.error")
        said = page.inner_text("#buy-result")
        assert want["quantity"] in said and want["positive"] in said, said
        assert not _other_script(lang, said), said
        assert "Input should" not in said and "quantity:" not in said
        assert page.get_attribute("#quantity", "aria-invalid") == "true"
        assert page.evaluate("() => document.activeElement.id") == "quantity"
        assert page.input_value("#quantity") == "0" and page.input_value("#code") == "WV"

        page.fill("#quantity", "20")
        page.fill("#code", "W V")  # a space typed in the middle of the code
        page.click("#buy button[type=submit]")
        page.wait_for_selector("#code[aria-invalid=true]")
        assert page.get_attribute("#quantity", "aria-invalid") is None  # the quantity is right now
        said = page.inner_text("#buy-result")
        assert want["code"] in said and want["space"] in said, said
        assert "\\x" not in said and "^[" not in said and not _other_script(lang, said), said
        assert page.get_attribute("#code", "aria-invalid") == "true"
        assert page.evaluate("() => document.activeElement.id") == "code"
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        ctx.close()
    assert not errors, errors


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_rejected_lot_is_punctuated_in_the_pages_language(browser, tmp_path, lang):
    from tests.builders import cert

    url = f"sqlite:///{tmp_path / 'stall.db'}"
    chain = [e for e in pork_chain() if e.get("kind") != "product_quarantine"]  # no quarantine of the meat …
    chain.append(cert(["CARC"], "clenbuterol_test", issuer="S1", result="fail", number="CL-9"))  # … and a failed test
    with open_store(url) as s:
        capture(s, chain + [register("ST1", "small_stall", "Wang's pork stall")])
    app, login = app_with_person(Settings(store=url), "ST1", "operator", "wang.stall")
    with serve(app) as base:
        ctx = browser.new_context(viewport={"width": 375, "height": 812}, locale=BROWSER_LOCALE[lang])
        page = ctx.new_page()
        page.goto(f"{base}/stall?lang={lang}")
        sign_in_here(page, login)
        page.fill("#code", "WV")
        page.fill("#quantity", "20")
        page.click("#buy button[type=submit]")
        page.wait_for_selector("#buy-result.error")
        said = page.inner_text("#buy-result")
        if lang == "zh":
            assert said.startswith("拒绝入场：") and "；" in said and ": " not in said and "; " not in said, said
        else:
            assert said.startswith("REJECT: ") and "; " in said and "；" not in said and "：" not in said, said
        ctx.close()
