"""A kept page's bytes (``api/filed_page.py``): made and read by the API alone; the language and zone told
from the stream's start; a damaged or cut stream raises (the page is then rendered from its view)."""

from __future__ import annotations

import zlib

import pytest

from foodtrace.api.filed_page import packed, page_zdict, unpacked

HTML = "<!doctype html><html lang=\"zh-CN\"><main>绿源农场 Green Farm</main></html>".encode()


def test_a_page_comes_back_in_its_language_and_zone_only():
    blob = packed("zh", "+08:00", "RCPT-1", HTML)
    assert unpacked(blob, "zh", "+08:00") == ("RCPT-1", HTML)
    assert unpacked(blob, "en", "+08:00") is None
    assert unpacked(blob, "zh", "UTC") is None
    assert unpacked(blob, "zh", "+08:0") is None  # a zone that is the start of the kept one


def test_the_dictionary_is_the_apis_template_and_makes_the_page_small():
    assert b"</html>" in page_zdict() or b"{%" in page_zdict()  # the template's text is in it
    plain = zlib.compress(b"zh\x1f+08:00\x1fRCPT-1\x1f" + HTML, 6)
    assert len(packed("zh", "+08:00", "RCPT-1", HTML)) < len(plain)


@pytest.mark.parametrize("damage", [lambda b: b[:-3], lambda b: b + b"x",
                                    lambda b: b[:-8] + bytes([b[-8] ^ 0x55]) + b[-7:]])
def test_a_damaged_page_raises(damage):
    """Damage after the stream's start raises (damage at its start may only read as another language: None —
    either way the page is rendered from its view; the row's CRC-32 finds both before)."""
    with pytest.raises(zlib.error):
        unpacked(damage(packed("zh", "+08:00", "RCPT-1", HTML)), "zh", "+08:00")
