"""The consumer page's title says the verdict first: a tab, a bookmark, a shared link's preview and a screen
reader's first words tell a recalled or failed lot from a lawful one, in the page's language."""

from __future__ import annotations

import html
import re

import pytest

from tests.builders import cert


def _title(page: str) -> str:
    return html.unescape(re.search(r"<title>(.*?)</title>", page, re.S).group(1))


@pytest.mark.parametrize("lang,passed,failed", [("zh", "检验检疫合格", "不合格"), ("en", "Inspected and passed", "Failed inspection")])
def test_the_title_says_the_verdict(api, lang, passed, failed):
    c = api.client
    for _ in range(2):  # built, then kept
        assert _title(c.get(f"/l/RCPT?lang={lang}").text).startswith(f"{passed} · RCPT")
    r = c.post("/api/v1/events", json=[cert(["CARC"], "clenbuterol_test", issuer="S1", result="fail",
                                             number="CL-X")], headers=api.h("op_S1"))
    assert r.status_code in (200, 201), r.text
    for _ in range(2):
        assert _title(c.get(f"/l/RCPT?lang={lang}").text).startswith(f"{failed} · RCPT")


@pytest.mark.parametrize("lang,title", [("zh", "未找到追溯码 NOPE-1 · 食品追溯"), ("en", "Trace code NOPE-1 not found · Food traceability")])
def test_an_unknown_codes_page_is_titled_by_what_happened(api, lang, title):
    r = api.client.get(f"/l/NOPE-1?lang={lang}", headers={"Accept": "text/html"})
    assert r.status_code == 404
    assert _title(r.text) == title
