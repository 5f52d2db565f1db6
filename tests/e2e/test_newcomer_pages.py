"""What a newcomer saw in the pages: /favicon.ico answered from the package (not a 404) with the
security headers and a cache lifetime; the stall ledger's table headed by column names, not the form's
labels with their "optional"; the consumer page's slaughter time labelled as a time."""

from __future__ import annotations

import re


def test_favicon_is_served_from_the_package_cacheable_with_the_security_headers(client):
    client.headers.pop("Authorization")
    r = client.get("/favicon.ico")
    assert r.status_code == 200 and r.headers["content-type"] == "image/x-icon"
    assert r.content[:4] == b"\x00\x00\x01\x00" and len(r.content) < 10_000  # an ICO file, small
    assert re.fullmatch(r"public, max-age=\d+", r.headers["cache-control"])
    assert int(r.headers["cache-control"].rsplit("=", 1)[1]) >= 3600
    assert r.headers["x-content-type-options"] == "nosniff" and r.headers["x-frame-options"] == "DENY"
    assert "default-src 'none'" in r.headers["content-security-policy"]


def _ledger_heads(html: str) -> list[str]:
    table = re.search(r'<table id="ledger">(.*?)</thead>', html, re.S).group(1)
    return re.findall(r"<th>([^<]*)</th>", table)


def test_the_stall_ledger_table_is_headed_by_column_names(api):
    who = api.h("s_op_M1")
    zh = api.client.get("/stall?lang=zh", headers={"Cookie": who["Cookie"]})
    en = api.client.get("/stall?lang=en", headers={"Cookie": who["Cookie"]})
    assert zh.status_code == 200 and en.status_code == 200
    assert _ledger_heads(zh.text)[-1] == "金额（元）" and _ledger_heads(en.text)[-1] == "Amount (yuan)"
    assert not any("选填" in h for h in _ledger_heads(zh.text))
    assert not any("optional" in h.lower() for h in _ledger_heads(en.text))
    assert "金额（元，选填）" in zh.text  # the form's field keeps its label


def test_the_consumer_page_labels_the_slaughter_time_as_a_label(api):
    zh = api.client.get("/l/RCPT?lang=zh").text
    en = api.client.get("/l/RCPT?lang=en").text
    assert "屠宰时间: <time>" in zh and "Slaughtered: <time>" in en  # not the event's name ("slaughter: ")
