"""The inspector console after a search for a code nobody registered, following a lot it showed: the old lot's
graph, its recall form and its CSV button go (they would be read as the new code's), and the refusal is said in
the page's language, naming the code — not the API's English."""

from __future__ import annotations

import re

import pytest

from foodtrace.config import Settings
from foodtrace.graph import open_store
from foodtrace.ingest.capture import capture
from tests.browser_support import serve
from tests.builders import pork_chain
from tests.web_support import app_with_person, sign_in_here

SAID = {"zh": "没有追溯码为“NOPE-1”的批次", "en": "no lot with trace code 'NOPE-1'"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_unknown_code_clears_the_previous_lot(browser, tmp_path, lang):
    url = f"sqlite:///{tmp_path / 'c.db'}"
    with open_store(url) as s:
        capture(s, pork_chain())
    app, login = app_with_person(Settings(store=url), "REG", "inspector")
    errors: list[str] = []
    with serve(app) as base:
        ctx = browser.new_context(viewport={"width": 375, "height": 812}, locale="en-US" if lang == "zh" else "zh-CN")
        page = ctx.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{base}/console?lang={lang}")
        sign_in_here(page, login)
        page.fill("#code", "CARC")
        page.click("#search button[type=submit]")
        page.wait_for_selector("#graph[data-ready]")
        assert page.is_visible("#recall-box") and not page.is_disabled("#csv")
        page.fill("#code", "NOPE-1")
        page.click("#search button[type=submit]")
        page.wait_for_selector("#error:not(:empty)")
        said = page.inner_text("#error")
        assert SAID[lang] in said, said
        if lang == "zh":
            assert not re.search(r"[A-Za-z]{2,}", said.replace("NOPE", "")), said
        else:
            assert not re.search(r"[\u4e00-\u9fff]", said), said
        assert not page.is_visible("#graph-box") and not page.is_visible("#recall-box")
        assert page.is_disabled("#csv")
        assert page.get_attribute("#code", "aria-invalid") == "true"
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        ctx.close()
    assert not errors, errors


@pytest.mark.parametrize("lang,said", [("zh", "召回原因：不能为空"), ("en", "Reason: must not be empty")])
def test_a_recall_without_a_reason_is_refused_next_to_its_form(browser, tmp_path, lang, said):
    url = f"sqlite:///{tmp_path / 'c.db'}"
    with open_store(url) as s:
        capture(s, pork_chain())
    app, login = app_with_person(Settings(store=url), "REG", "inspector")
    with serve(app) as base:
        ctx = browser.new_context(viewport={"width": 375, "height": 812}, locale="en-US" if lang == "zh" else "zh-CN")
        page = ctx.new_page()
        page.goto(f"{base}/console?lang={lang}")
        sign_in_here(page, login)
        page.fill("#code", "CARC")
        page.click("#search button[type=submit]")
        page.wait_for_selector("#graph[data-ready]")
        page.fill("#reason", "   ")  # blank to the eye; the browser's `required` lets it through
        page.click("#recall button[type=submit]")
        page.wait_for_selector("#recall-error:not(:empty)")
        assert said in page.inner_text("#recall-error")
        assert page.get_attribute("#reason", "aria-invalid") == "true"
        assert page.evaluate("() => document.activeElement.id") == "reason"
        assert page.inner_text("#recall-preview") == ""
        ctx.close()
    with open_store(url) as s:
        assert not list(s.events_by_type(["recall"]))
