"""Every public page and every message template in the reader's language: no
English words in Chinese output, no Chinese in English output — outside proper
names (businesses, places), codes and text a page marks as quoted in its own
language (``lang="…"``, e.g. a warning the office published in Chinese only).

Pages are rendered from a demo district (the real app over a real SQLite file):
the consumer page of a lawful receipt, the rogue beef, the recalled pig and an
unknown code, the complaint form's refusal and thank-you pages, /warnings and
its feed, the label sheet (printable and refused), and the 404, 405 and 429
pages.
"""

from __future__ import annotations

from html.parser import HTMLParser
import re

from fastapi.testclient import TestClient
import pytest

from foodtrace.api.app import create_app
from foodtrace.config import Settings
from foodtrace.demo.load import load_demo
from foodtrace.graph import open_store
from foodtrace.i18n import TEXT
from foodtrace.model.registry import ALL_LABELS
from foodtrace.services.tracing.areas import area_name

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# a word of Latin letters that is not part of a code (RC2025-…, XF2025-01) or a {placeholder}
LATIN_WORD = re.compile(r"(?<![\w{/.-])[A-Za-z]{2,}(?![\w}/-])")
# names that are the same in every language: standards, formats, settings, the other language's name
CODES = {"API", "CSV", "Atom", "FOODTRACE_BASE_URL", "GS1", "EPCIS", "SB", "English"}
BOTH_LANGUAGES = {"other_lang"}  # the switch names the other language in that language


def mixed(text: str, lang: str, names: set[str] = frozenset()) -> list[str]:
    """The words of ``text`` in the wrong script for ``lang`` (proper names in ``names`` removed)."""
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, " ")
    text = re.sub(r"\{[^}]*\}", " ", text)
    text = re.sub(r"https?://[\w.:\[\]/?=&#%-]+", " ", text)  # an address is a code
    if lang == "en":
        return HAN.findall(text)
    return [w for w in LATIN_WORD.findall(text) if w not in CODES]


@pytest.mark.parametrize("key", sorted(TEXT))
def test_every_message_template_is_in_one_script_per_language(key):
    if key in BOTH_LANGUAGES:
        return
    zh, en = TEXT[key]
    assert not mixed(zh, "zh"), f"English in the Chinese text of {key!r}: {zh}"
    assert not mixed(en, "en"), f"Chinese in the English text of {key!r}: {en}"


def test_every_vocabulary_and_event_label_is_in_one_script_per_language():
    wrong = {k: v for k, v in ALL_LABELS.items() if mixed(v[0], "zh") or mixed(v[1], "en")}
    assert not wrong


class _Visible(HTMLParser):
    """The text a reader sees: no <style>/<script>, no subtree quoted in another language."""

    def __init__(self, lang: str):
        super().__init__()
        self.lang, self.skip, self.out = lang, [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            return
        quoted = a.get("lang") and not a["lang"].startswith(self.lang)
        if tag in ("style", "script") or quoted or (self.skip and tag not in VOID):
            self.skip.append(tag) if tag not in VOID else None

    def handle_endtag(self, tag):
        if self.skip and self.skip[-1] == tag:
            self.skip.pop()

    def handle_data(self, data):
        if not self.skip:
            self.out.append(data)


VOID = {"meta", "br", "input", "link", "img", "hr"}


def visible(html: str, lang: str) -> str:
    p = _Visible(lang)
    p.feed(html)
    return " ".join(p.out)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('lang') / 'demo.db'}"
    with open_store(url) as s:
        d = load_demo(s, events=3000, seed=7)
    names = {p["name"] for p in d.parties.values() if p.get("name")}
    for p in d.parties.values():
        for lang in ("zh", "en"):
            names.update((area_name(p.get("area_code"), lang) or "").split(", "))
    return url, d, {n for n in names if n}


def _pages(c: TestClient, d, lang: str) -> dict[str, str]:
    rogue = next(p for p in d.planted if p["kind"] == "undesignated_slaughter")
    failed = next(p for p in d.planted if p["kind"] == "failed_test")
    html = {"accept": "text/html"}
    q = f"lang={lang}"
    pages = {
        "receipt": c.get(f"/l/{d.sample_receipt}?{q}", headers=html),
        "rogue beef": c.get(f"/l/{rogue['retail_lot']}?{q}", headers=html),
        "recalled": c.get(f"/l/{failed['lot']}?{q}", headers=html),
        "404": c.get(f"/l/NO-SUCH-CODE?{q}", headers=html),
        "404 page": c.get(f"/nowhere?{q}", headers=html),
        "405": c.put(f"/l/{d.sample_receipt}?{q}", headers=html),
        "warnings": c.get(f"/warnings?{q}", headers=html),
        "feed": c.get(f"/warnings.atom?{q}"),
        "labels": c.get(f"/labels?codes={d.sample_receipt},{rogue['retail_lot']}&{q}", headers=html),
    }
    page = pages["receipt"].text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    own = {**html, "origin": "http://testserver"}
    pages["blank report"] = c.post(f"/complaint/{d.sample_receipt}?{q}", data={"description": " ", "csrf_token": token},
                                   headers=own)
    pages["thanks"] = c.post(f"/complaint/{d.sample_receipt}?{q}", data={"description": "x", "csrf_token": token},
                             headers=own)
    return {k: r.text for k, r in pages.items()}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_public_page_is_in_the_readers_language(demo, lang):
    url, d, names = demo
    with TestClient(create_app(Settings(store=url, base_url="https://trace.example.cn", complaints_per_hour=50,
                                        public_burst=10_000))) as c:
        pages = _pages(c, d, lang)
    for name, html in pages.items():
        wrong = mixed(visible(html, lang), lang, names)
        assert not wrong, f"{name} ({lang}): {wrong[:10]}"
    assert "检验检疫合格" in pages["receipt"] if lang == "zh" else "Inspected and passed" in pages["receipt"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_429_page_and_the_refused_label_sheet_are_in_the_readers_language(demo, lang):
    url, d, names = demo
    with TestClient(create_app(Settings(store=url, public_burst=1, public_rate_per_minute=1))) as c:
        c.get(f"/l/{d.sample_receipt}?lang={lang}", headers={"accept": "text/html"})
        r = c.get(f"/l/{d.sample_receipt}?lang={lang}", headers={"accept": "text/html"})
    assert r.status_code == 429 and "retry-after" in r.headers
    assert not mixed(visible(r.text, lang), lang, names)
    assert ("访问过于频繁" if lang == "zh" else "Too many requests") in r.text
    with TestClient(create_app(Settings(store=url, public_burst=10_000))) as c:  # default base URL: loopback
        r = c.get(f"/labels?codes={d.sample_receipt}&lang={lang}", headers={"accept": "text/html"})
    assert 'class="unscannable"' in r.text and "<svg" not in r.text
    assert not mixed(visible(r.text, lang), lang, names)
