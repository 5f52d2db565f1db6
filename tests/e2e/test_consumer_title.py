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
