"""HEAD is answered as GET without a body (RFC 9110 §9.3.2): link previews, feed readers and uptime checks ask
a QR code's page, the warnings and their feed with HEAD first; a 405 there reads as a dead link."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("path", ["/l/RCPT?lang=zh", "/warnings?lang=en", "/warnings.atom", "/signin", "/api/v1/public/lots/RCPT"])
def test_head_is_get_without_a_body(api, path):
    get = api.client.get(path, headers={"Accept": "text/html"})
    head = api.client.head(path, headers={"Accept": "text/html"})
    assert get.status_code == head.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert ("content-security-policy" in head.headers) == ("content-security-policy" in get.headers)


def test_head_of_an_unknown_code_is_404_and_of_a_form_post_405(api):
    assert api.client.head("/l/NOPE-1", headers={"Accept": "text/html"}).status_code == 404
    assert api.client.head("/signout").status_code == 405
