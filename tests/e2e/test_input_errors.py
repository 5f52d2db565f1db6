"""Values a request's schema refuses (pydantic's errors) are said in the reader's language, name the field,
and never show pydantic's English or a regular expression; API clients that ask for no language keep
reading English."""

from __future__ import annotations

import re

import pytest

CASES = [({"code": "WV", "quantity": 0, "unit": "千克"}, "quantity", "须大于 0", "must be greater than 0"),
         ({"code": "W V", "quantity": 1, "unit": "千克"}, "code", "不能含有空格或不可见字符",
          "must not contain spaces or invisible characters"),
         ({"code": "", "quantity": 1, "unit": "千克"}, "code", "不能为空", "must not be empty"),
         ({"code": "WV", "quantity": 1e300, "unit": "千克"}, "quantity", "不能大于 1000000000000000",
          "must be at most 1000000000000000"),
         ({"code": "WV", "unit": "千克"}, "quantity", "必填", "field required"),
         ({"code": "WV", "quantity": "many", "unit": "千克"}, "quantity", "须为数字", "must be a number")]


@pytest.mark.parametrize("body,field,zh,en", CASES)
def test_a_refused_value_is_said_in_the_readers_language(api, body, field, zh, en):
    url = "/api/v1/stall/purchases"
    said = {}
    for lang, headers in (("zh", {"Accept-Language": "zh-CN"}), ("en", {"Accept-Language": "en"}), ("api", {})):
        r = api.client.post(url, json=body, headers={**api.h("op_M1"), **headers})
        assert r.status_code == 422, r.text
        err = r.json()["error"]
        assert err["code"] == "invalid_input"
        mine = [d for d in err["details"] if d["field"] == field]
        assert mine, err
        said[lang] = (err["message"], mine[0]["reason"])
        text = err["message"] + " " + " ".join(d["reason"] for d in err["details"])
        assert "Input should" not in text and "\\x" not in text and "^[" not in text, text
        assert "key" in mine[0] and "args" not in mine[0]
    assert said["zh"] == ("提交的内容有误", zh)
    assert not re.search(r"[A-Za-z]{2,}", said["zh"][1])
    assert said["en"] == ("the request is not valid", en) == said["api"]
