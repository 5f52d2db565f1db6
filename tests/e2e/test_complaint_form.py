"""The consumer page's report form over HTTP, as a shopper fills it in: text pasted from a chat app carries
invisible characters (a zero-width space, a direction mark) that the shopper cannot see and so cannot remove —
the report is filed without them; a contact longer than the form allows is refused by name (never cut short
and stored); each refusal names its field in the page's language, marks that field and keeps what was typed."""

from __future__ import annotations

import html
import re

import pytest

from foodtrace.services.safety.complaints import list_complaints

ORIGIN = {"origin": "http://testserver", "accept": "text/html"}


def token_of(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _post(c, lang: str, description: str, contact: str = ""):
    token = token_of(c.get(f"/l/RCPT?lang={lang}").text)
    return c.post(f"/complaint/RCPT?lang={lang}", data={"description": description, "contact": contact,
                                                       "csrf_token": token}, headers=ORIGIN, follow_redirects=False)


def test_invisible_characters_pasted_with_the_text_are_dropped_not_refused(api):
    r = _post(api.client, "zh", "猪肉\u200b有异味\u200e，\u202e买于周一", "138\u200b0000\ufeff0000")
    assert r.status_code == 303, r.text
    [filed] = list_complaints(api.store)
    assert filed.description == "猪肉有异味，买于周一"
    [event] = [se.event for se in api.store.events_by_type(["complaint"])]
    assert event.complainant == "13800000000"


@pytest.mark.parametrize("lang,label", [("zh", "联系方式"), ("en", "contact")])
def test_a_too_long_contact_is_refused_by_name_and_kept(api, lang, label):
    r = _post(api.client, lang, "smells off", "1" * 201)
    assert r.status_code == 422
    error = html.unescape(re.search(r'<p class="error"[^>]*>(.*?)</p>', r.text, re.S).group(1))
    assert label in error and "200" in error, error
    assert re.search(r'<input[^>]*id="contact"[^>]*aria-invalid="true"', r.text)
    assert re.search(r'<textarea[^>]*id="description"', r.text) and 'smells off</textarea>' in r.text
    assert 'value="' + "1" * 201 + '"' in r.text
    assert list_complaints(api.store) == []  # nothing stored, nothing cut short


@pytest.mark.parametrize("lang,label", [("zh", "问题描述"), ("en", "describe the problem")])
def test_an_empty_description_marks_its_field(api, lang, label):
    r = _post(api.client, lang, "   ", "13800000000")
    assert r.status_code == 422
    error = html.unescape(re.search(r'<p class="error"[^>]*>(.*?)</p>', r.text, re.S).group(1))
    assert label in error, error
    assert re.search(r'<textarea[^>]*id="description"[^>]*aria-invalid="true"', r.text)
    assert not re.search(r'<input[^>]*id="contact"[^>]*aria-invalid', r.text)
    assert 'value="13800000000"' in r.text


def test_line_breaks_count_once_as_the_form_counted_them(api):
    """A browser counts a line break as one character against maxlength but sends it as CR LF; 480 letters
    on 16 lines (495 as the form counted) are filed, with the line breaks as typed."""
    text = "\r\n".join(["味" * 30] * 16)
    assert len(text) == 510 and len(text.replace("\r\n", "\n")) == 495
    r = _post(api.client, "zh", text)
    assert r.status_code == 303, r.text[:300]
    [filed] = list_complaints(api.store)
    assert filed.description == text.replace("\r\n", "\n")
