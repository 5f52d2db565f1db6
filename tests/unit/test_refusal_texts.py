"""The write door's refusals in zh and en (``i18n/refusals.py``): no English word in a Chinese text and
no Chinese in an English one; vocabulary arguments by their Chinese names in zh, codes in en; a
refusal said once stays said."""

from __future__ import annotations

import re
import string

import pytest

from foodtrace.errors import InvalidInput
from foodtrace.i18n.refusals import REFUSALS_TEXT, localize, refusal, say_refusal

_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


@pytest.mark.parametrize("key", sorted(REFUSALS_TEXT))
def test_each_text_is_in_one_language(key):
    zh, en = REFUSALS_TEXT[key]
    bare = re.sub(r"\{[^}]*\}|/api/v1/\w+", "", zh)
    assert not re.search(r"[A-Za-z]{2,}", bare), zh
    assert not _CJK.search(en), en
    assert _fields(zh) <= _fields(en) | {"choices", "value", "role"}


def test_vocabulary_arguments_are_named_in_chinese_and_kept_as_codes_in_english():
    d = refusal(0, "issuer", "authority_wrong_kind", party_kind="wholesaler", cert_kind="compliance",
                kinds=("scale_farm", "vegetable_base"))
    assert d["reason"] == "a wholesaler may not issue compliance; only scale_farm / vegetable_base"
    zh = say_refusal("authority_wrong_kind", "zh", d["args"])
    assert zh.startswith("批发商不得开具承诺达标合格证，只有规模养殖场、") and not re.search(r"[a-z_]{3,}", zh)
    held = say_refusal("custody_holds_only", "zh", {"party": "W1", "held": "8", "unit": "kg", "code": "L-1"})
    assert held == "W1 仅持有批次 L-1 8 千克"  # party ids and codes as they are


def test_a_refusal_said_once_stays_said():
    exc = InvalidInput("1 event(s) may not be recorded; nothing was stored",
                       [refusal(0, "lot.code", "custody_not_held", party="W1", code="L-1")],
                       key="door_refused", args={"n": 1})
    localize(exc, "zh")
    assert exc.message == "1 条记录不能存入，未存入任何记录" and exc.details[0]["reason"] == "W1 未持有批次 L-1"
    assert "args" not in exc.details[0] and exc.details[0]["key"] == "custody_not_held"
    localize(exc, "en")  # a second reader does not undo the first
    assert exc.details[0]["reason"] == "W1 未持有批次 L-1" and exc.lang == "zh"
    plain = InvalidInput("bad", [{"position": 1, "field": "x", "reason": "bad x"}])
    assert localize(plain, "zh").details == [{"position": 1, "field": "x", "reason": "bad x"}]


def test_the_stores_refusals_of_repeated_ids_and_retractions_are_said_in_chinese():
    twice = refusal(1, "event_id", "store_twice_in_batch", event="E-1")
    assert twice["reason"] == "event E-1 appears twice in the batch with other content"
    exc = InvalidInput("the batch was not stored", [twice, refusal(2, "retracts[0]", "store_retract_self"),
                                                    refusal(3, "retracts[0]", "store_already_retracted", event="E-2"),
                                                    refusal(4, "retracts[1]", "store_retract_unknown", event="E-3"),
                                                    refusal(4, "corrective_event_ids[0]", "store_corrective_retracted",
                                                            event="E-4")], key="store_not_stored")
    localize(exc, "zh")
    assert exc.message == "本批记录未存入"
    assert [d["reason"] for d in exc.details] == [
        "记录 E-1 在本批记录中出现两次，且内容不同", "记录不能撤销其自身", "记录 E-2 已被撤销",
        "没有编号为 E-3 的记录", "更正记录 E-4 已被撤销"]


def test_the_tables_of_texts_never_share_a_key():
    """The refusals' own texts, the services', the inputs' and the request values' tables are merged into one:
    a key in two of them would let one text silently replace the other."""
    import ast
    import inspect

    from foodtrace.i18n import refusals
    from foodtrace.i18n.input_errors import INPUT_ERRORS
    from foodtrace.i18n.inputs import INPUT_TEXT
    from foodtrace.i18n.service_errors import SERVICE_ERRORS

    tree = ast.parse(inspect.getsource(refusals))
    own = next(n.value for n in ast.walk(tree) if isinstance(n, ast.AnnAssign)
               and getattr(n.target, "id", None) == "REFUSALS_TEXT")
    base = [k.value for k in own.keys if isinstance(k, ast.Constant)]  # ``**INPUT_TEXT`` has no key here
    tables = {"refusals": base, "inputs": list(INPUT_TEXT), "service_errors": list(SERVICE_ERRORS),
              "input_errors": list(INPUT_ERRORS)}
    seen: dict[str, str] = {}
    for name, keys in tables.items():
        assert len(keys) == len(set(keys)), name
        for k in keys:
            assert k not in seen, f"{k!r} in both {seen[k]} and {name}"
            seen[k] = name
    assert set(seen) == set(REFUSALS_TEXT)


def test_every_code_error_has_its_texts_and_says_its_english_as_the_model_does():
    """``model.codes.CodeError`` carries a key of ``CODE_ERRORS`` and its arguments: its English message is
    the English text of that key; its Chinese has no English word (GTIN, AI, SB/T named in Chinese)."""
    from foodtrace.model.codes import CODE_ERRORS, CodeError, normalise_gtin, parse_element_string, sbt_code

    for key, english in CODE_ERRORS.items():
        assert REFUSALS_TEXT[key][1] == english, key
    raised = []
    for call in (lambda: normalise_gtin("123"), lambda: normalise_gtin("09520123456787"),
                 lambda: parse_element_string("(01)0952(8"), lambda: parse_element_string("(00)12345"),
                 lambda: sbt_code("3201", "2101", __import__("datetime").date(2025, 3, 1), 1)):
        with pytest.raises(CodeError) as info:
            call()
        raised.append(info.value)
    for exc in raised:
        assert str(exc) == say_refusal(exc.key, "en", exc.args_of_key)
        zh = say_refusal(exc.key, "zh", exc.args_of_key)
        assert _CJK.search(zh) and not re.search(r"[A-Za-z]{2,}", zh), zh
    assert [e.key for e in raised] == ["code_gtin_length", "code_gtin_check_digit", "code_element_string_form",
                                       "code_key_length", "code_sbt_parts"]
    assert say_refusal("code_sbt_parts", "zh", {}) == "追溯码须由 6 位行政区划代码、4 位节点代码和小于 10,000,000 的流水号组成"
    assert say_refusal("code_gtin_check_digit", "zh", raised[1].args_of_key) == \
        "全球贸易项目代码“09520123456787”的校验码有误（应为 8）"
    import pickle

    again = pickle.loads(pickle.dumps(raised[0]))
    assert (again.key, again.args_of_key, str(again)) == (raised[0].key, raised[0].args_of_key, str(raised[0]))
