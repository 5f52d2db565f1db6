"""The ledger templates speak one language each: the Chinese template is Chinese throughout (its sheets,
headers, the example row, the note and the hidden sheet of drop-down lists, 词表), the English template
English throughout; codes (WS001, live_pig) are codes in both. A filled English template's example row
is skipped on import like the Chinese one's."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook
import pytest

from foodtrace.ingest.ledger_layouts import TEMPLATE_KINDS

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
ENGLISH_WORD = re.compile(r"(?<![\w-])[A-Za-z]{2,}(?![\w-])")  # WS001, PZ-0001 and live_pig are codes


def _texts(book) -> list[tuple[str, str]]:
    out = []
    for ws in book.worksheets:
        out.append((ws.title, ws.title))
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str):
                    out.append((f"{ws.title}!{c.coordinate}", c.value))
                if c.comment is not None:
                    out.append((f"{ws.title}!{c.coordinate} comment", c.comment.text))
    return out


def _template(api, kind: str, lang: str):
    r = api.client.get(f"/api/v1/public/templates/{kind}.xlsx?lang={lang}")
    assert r.status_code == 200
    return load_workbook(io.BytesIO(r.content))


@pytest.mark.parametrize("kind", TEMPLATE_KINDS)
def test_the_chinese_template_holds_no_english_and_the_english_no_chinese(api, kind):
    zh = _template(api, kind, "zh")
    english = [(where, text) for where, text in _texts(zh) if ENGLISH_WORD.search(text)]
    assert not english, english
    lists = zh.worksheets[1]
    assert lists.title == "词表" and lists.sheet_state == "hidden"
    assert [c.value for c in lists[1][:4]] == ["产品", "单位", "结果", "证明或检测类别"]
    en = _template(api, kind, "en")
    chinese = [(where, text) for where, text in _texts(en) if CJK.search(text)]
    assert not chinese, chinese
    assert en.worksheets[1].title == "Lists" and en.worksheets[1].sheet_state == "hidden"
    assert en.worksheets[0].data_validations.dataValidation[0].formula1.startswith("'Lists'!")


def test_a_filled_english_template_skips_its_example_row(api):
    book = _template(api, "sales", "en")
    ws = book.worksheets[0]
    assert [ws.cell(2, i).value for i in (5, 7)] == ["pork", "kg"]
    for col, value in enumerate(["2025-03-02", "W1", "X1", "WV", "pork", 8, "kg", 30, 240, "XS-9"], start=1):
        ws.cell(3, col, value)
    out = io.BytesIO()
    book.save(out)
    r = api.client.post("/api/v1/ledgers?lang=en", content=out.getvalue(), headers=api.h("op_W1"))
    assert r.status_code == 201, r.text
    assert r.json()["stored"] == 1 and r.json()["ledgers"] == {"sales": 1}
