"""The receiving desk's own mistakes, in a real browser: a quantity of 0 (the browser's min="0" lets it
through) is refused by the gate; the refusal names the field by its label in the page's language (whatever
the browser's), marks it and puts the cursor in it. The verdict read out (aria-live) is punctuated in the
page's language."""

from __future__ import annotations

import re

import pytest

from foodtrace.config import Settings
from foodtrace.graph import open_store
from foodtrace.ingest.capture import capture
from tests.browser_support import serve
from tests.builders import pork_chain
from tests.web_support import app_with_person, sign_in_here

LABEL = {"zh": "数量", "en": "Quantity"}
REASON = {"zh": "须大于 0", "en": "must be greater than 0"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_zero_quantity_is_refused_by_its_label(browser, tmp_path, lang):
    url = f"sqlite:///{tmp_path / 'd.db'}"
    with open_store(url) as s:
        capture(s, pork_chain())
    app, login = app_with_person(Settings(store=url), "M1", "operator")
    with serve(app) as base:
        ctx = browser.new_context(viewport={"width": 375, "height": 812}, locale="en-US" if lang == "zh" else "zh-CN")
        page = ctx.new_page()
        page.goto(f"{base}/desk?lang={lang}")
        sign_in_here(page, login)
        page.fill("#receiver", "M1")
        page.fill("#code", "RL")
        page.fill("#quantity", "0")
        page.click("#desk button[type=submit]")
        page.wait_for_selector("#error:not(:empty)")
        said = page.inner_text("#error")
        assert LABEL[lang] in said and REASON[lang] in said, said
        assert "query." not in said and "Input should" not in said
        if lang == "zh":
            assert not re.search(r"[A-Za-z]{2,}", said), said
        else:
            assert not re.search(r"[\u4e00-\u9fff]", said), said
        assert page.get_attribute("#quantity", "aria-invalid") == "true"
        assert page.evaluate("() => document.activeElement.id") == "quantity"
        page.fill("#quantity", "5")
        page.click("#desk button[type=submit]")
        page.wait_for_selector("#verdict.accept")
        assert page.get_attribute("#quantity", "aria-invalid") is None
        announce = page.inner_text("#announce")
        assert announce.endswith("。") if lang == "zh" else announce.endswith("."), announce
        ctx.close()
