"""Signing out of a page read in one language lands on the sign-in page in that language, not the browser's."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import ORIGIN


@pytest.mark.parametrize("lang,browser,said", [("zh", "en-US", "已退出登录"), ("en", "zh-CN", "signed out")])
def test_sign_out_keeps_the_pages_language(api, lang, browser, said):
    sid, csrf = api.session("s_op_M1")
    page = api.client.get(f"/desk?lang={lang}", headers={"Cookie": f"ft_session={sid}", "Accept-Language": browser})
    assert page.status_code == 200 and f'name="lang" value="{lang}"' in page.text
    r = api.client.post("/signout", data={"csrf_token": csrf, "lang": lang}, follow_redirects=False,
                        headers={"Cookie": f"ft_session={sid}", "Origin": ORIGIN, "Accept-Language": browser})
    assert r.status_code == 303 and r.headers["location"] == f"/signin?done=1&lang={lang}"
    landed = api.client.get(r.headers["location"], headers={"Accept-Language": browser})
    assert said in landed.text
