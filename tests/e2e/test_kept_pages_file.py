"""The consumer page kept in the store's file with its view (``foodtrace db views``: ``view_fill.fill_views`` with
``pages.file_page``): a new server answers the first scan with the page as kept — the very bytes it renders
from the view, the form's token its own — in the language and zone it was kept for; another language is
rendered from the view; a recall appended by another process changes the page at once (the row goes in the
append's transaction); a damaged page is built again, never a 500."""

from __future__ import annotations

import re
import sqlite3
import zlib

import pytest

from foodtrace.api.filed_page import packed, page_zdict, unpacked
from foodtrace.api.routes.pages import file_page
from foodtrace.graph import open_store
from foodtrace.services.safety.recall import start_recall
from foodtrace.services.safety.rules.config import load_rules
from foodtrace.services.tracing.consumer import persisted
from foodtrace.services.tracing.view_fill import fill_views
from tests.e2e.conftest import make_settings
from tests.e2e.kept_server import kept_path_only, server

TOKEN = re.compile(r'name="csrf_token" value="[^"]*"')




@pytest.fixture
def filled(api, tmp_path):
    """The api fixture's file with the receipt's view and its page (zh, the default) kept by the fill."""
    settings = make_settings(tmp_path)
    with open_store(settings.store, settings) as s:
        assert fill_views(s, rules=load_rules(), page=file_page(settings)) == 1
    with sqlite3.connect(tmp_path / "api.db") as con:
        (body,) = con.execute("SELECT body FROM kept_views WHERE key LIKE 'RCPT%'").fetchone()
    page = persisted().decode(body).page  # the API's bytes: kept and checked by the services, inflated by the API
    assert unpacked(page, "zh", settings.tz)[0] == "RCPT" and unpacked(page, "en", settings.tz) is None
    return tmp_path


def _page_without_token(text: str) -> str:
    assert len(TOKEN.findall(text)) == 1
    return TOKEN.sub("", text)


def test_the_first_scan_is_the_page_kept_the_same_bytes_as_rendered(filled):
    with server(filled) as c:
        store = kept_path_only(c)
        kept = c.get("/l/RCPT")
        assert kept.status_code == 200 and "Green Farm" in kept.text and 'lang="zh-CN"' in kept.text
        assert store._writer is None  # nothing was built
        token = TOKEN.search(kept.text).group(0)
        assert token != 'name="csrf_token" value=""' and "\x00" not in kept.text
        english = c.get("/l/RCPT?lang=en")  # not kept in English: rendered from the view
        assert english.status_code == 200 and 'lang="en"' in english.text
    with sqlite3.connect(filled / "api.db") as con:  # the same receipt, its page rendered by a server
        con.execute("DELETE FROM kept_views")
        con.execute("DELETE FROM kept_view_deps")
    with server(filled) as c:
        built = c.get("/l/RCPT")
        assert built.status_code == 200
    assert _page_without_token(kept.text) == _page_without_token(built.text)


def test_a_recall_by_another_process_changes_the_kept_page_at_once(filled):
    with server(filled) as c:
        c.app.state.store.status(catch_up=True)
        assert "v-pass" in c.get("/l/RCPT").text or "v-incomplete" in c.get("/l/RCPT").text
        with open_store(make_settings(filled).store) as cli:
            start_recall(cli, ["PIG"], "clenbuterol found")
        page = c.get("/l/RCPT")
        assert page.status_code == 200 and "v-recalled" in page.text and "clenbuterol found" in page.text
    with server(filled) as c:  # a server started after it: the row it would read is gone
        assert "v-recalled" in c.get("/l/RCPT").text


def _cut_end(body: bytes) -> bytes:
    return body[:-5]  # the JSON's stream (last in the row) cut short


def _flip_json(body: bytes) -> bytes:
    return body[:-20] + bytes([body[-20] ^ 0x55]) + body[-19:]  # a byte of the JSON's stream changed


def _flip_page(body: bytes) -> bytes:
    return body[:40] + bytes([body[40] ^ 0x55]) + body[41:]  # a byte of the page's stream changed


@pytest.mark.parametrize("damage", [_cut_end, _flip_json, _flip_page])
def test_a_damaged_row_is_built_again_not_a_500(filled, damage):
    with sqlite3.connect(filled / "api.db") as con:
        (body,) = con.execute("SELECT body FROM kept_views").fetchone()
        con.execute("UPDATE kept_views SET body = ?", (damage(body),))
    with server(filled) as c:
        c.app.state.store.status(catch_up=True)
        api = c.get("/api/v1/public/lots/RCPT")  # the JSON first: a damaged stream is found when the row is read
        assert api.status_code == 200 and api.json()["code"] == "RCPT"
        page = c.get("/l/RCPT")
        assert page.status_code == 200 and "Green Farm" in page.text and "\x00" not in page.text


def test_a_view_read_with_its_page_inflates_its_json_when_asked(filled):
    with sqlite3.connect(filled / "api.db") as con:
        (body,) = con.execute("SELECT body FROM kept_views").fetchone()
    view = persisted().decode(body)
    assert view._json is None and view._zjson  # the page served as kept: the JSON not inflated yet
    with server(filled) as c:
        assert c.get("/api/v1/public/lots/RCPT").content == view.json  # the same bytes the server sends
    assert view._zjson is None and view.json.startswith(b"{")


def test_the_page_served_is_the_one_in_the_file(filled):
    p = persisted()
    with sqlite3.connect(filled / "api.db") as con:
        (body,) = con.execute("SELECT body FROM kept_views").fetchone()
        view = p.decode(body)
        tz = make_settings(filled).tz
        code, html = unpacked(view.page, "zh", tz)
        view.page = packed("zh", tz, code, html.replace(b"<main>", b"<main><!-- kept in the file -->"))
        con.execute("UPDATE kept_views SET body = ?", (p.encode(view),))
    with server(filled) as c:
        c.app.state.store.status(catch_up=True)
        assert "<!-- kept in the file -->" in c.get("/l/RCPT").text
        assert "<!-- kept in the file -->" not in c.get("/l/RCPT?lang=en").text  # rendered from the view


def test_a_page_the_api_cannot_inflate_is_rendered_from_the_view(filled):
    """Bytes the row's CRC-32 holds but the API cannot read (not a zlib stream of this build's dictionary): the
    page is rendered from the view's JSON, not served broken, not a 500."""
    p = persisted()
    with sqlite3.connect(filled / "api.db") as con:
        (body,) = con.execute("SELECT body FROM kept_views").fetchone()
        view = p.decode(body)
        junk = bytearray(view.page)
        junk[len(junk) // 2] ^= 0x55
        view.page = bytes(junk)
        con.execute("UPDATE kept_views SET body = ?", (p.encode(view),))
    assert p.decode(p.encode(view)).page == bytes(junk)  # the row itself is whole
    with server(filled) as c:
        c.app.state.store.status(catch_up=True)
        page = c.get("/l/RCPT")
        assert page.status_code == 200 and "Green Farm" in page.text and 'lang="zh-CN"' in page.text
        assert c.get("/api/v1/public/lots/RCPT").json()["code"] == "RCPT"


def test_the_json_is_found_without_the_page(filled):
    """The row: ``P``, its head (CRC-32, the page's length), the page as the API made it, the JSON's stream —
    the services slice the JSON out without inflating the page (they cannot: its dictionary is the API's)."""
    with sqlite3.connect(filled / "api.db") as con:
        (body,) = con.execute("SELECT body FROM kept_views").fetchone()
    view = persisted().decode(body)
    assert body.startswith(b"P") and body.endswith(view._zjson) and view.page in body
    assert view._zjson[:1] == b"\x78"  # the JSON: a zlib stream; the page: raw deflate (the row's CRC covers it)
    assert view.page[:1] != b"\x78" and zlib.decompressobj(-15, zdict=page_zdict()).decompress(view.page).startswith(b"zh\x1f")
