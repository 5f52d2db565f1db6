"""The glossary (model/glossary.toml): every vocabulary term has a Chinese and an English label, in
the right script, and the i18n layer and the vocabularies take their words from it."""

from __future__ import annotations

import re

import pytest

from foodtrace import i18n
from foodtrace.model import vocab
from foodtrace.model.glossary import area_name, glossary, term
from foodtrace.model.registry import ALL_LABELS, EVENT_LABELS

CJK = re.compile(r"[\u3400-\u9fff\uff08\uff09\u3001\u3002\uff0c]")
# Latin words allowed in Chinese text: codes and names of standards and systems
LATIN_WORD = re.compile(r"(?<![A-Za-z])[a-z]{2,}(?![A-Za-z])")


def _vocabularies() -> list[type[vocab.Vocab]]:
    return [v for v in vars(vocab).values() if isinstance(v, type) and issubclass(v, vocab.Vocab) and v is not vocab.Vocab]


def test_every_vocabulary_value_has_a_chinese_and_an_english_term():
    terms = glossary()["terms"]
    missing = [(v.__name__, m.value) for v in _vocabularies() for m in v if m.value not in terms]
    assert not missing, f"not in the glossary: {missing}"
    for v in _vocabularies():
        for m in v:
            zh, en = terms[m.value]
            assert zh and en, m.value
            assert m.label("zh") == zh and m.label("en") == en


@pytest.mark.parametrize("section", ["terms", "inputs", "analytes", "areas"])
def test_each_term_is_chinese_in_chinese_and_english_in_english(section):
    for key, (zh, en) in glossary()[section].items():
        assert CJK.search(zh), (key, zh)
        assert not LATIN_WORD.search(zh), (key, zh)  # no English word inside Chinese text
        assert not CJK.search(en), (key, en)


def test_event_labels_too():
    for typ, (zh, en) in EVENT_LABELS.items():
        assert CJK.search(zh) and not LATIN_WORD.search(zh), (typ, zh)
        assert not CJK.search(en), (typ, en)


def test_the_i18n_layer_and_the_model_use_the_glossary():
    terms = glossary()["terms"]
    for key, (zh, en) in terms.items():
        assert ALL_LABELS[key] == (zh, en) == vocab.LABELS[key]
        assert i18n.label(key, "zh") == zh and i18n.label(key, "en") == en
    assert i18n.label("small_shop") == "食品小经营店" and i18n.label("small_stall") == "食品小摊点"
    assert i18n.label("product_quarantine") == "动物检疫合格证明（产品）"


def test_inputs_and_areas_are_shown_in_the_readers_language():
    assert term("inputs", "florfenicol", "zh") == "氟苯尼考" and term("inputs", "氟苯尼考", "en") == "florfenicol"
    assert term("inputs", "Abamectin", "zh") == "阿维菌素"
    assert term("inputs", "an unknown drug", "zh") == "an unknown drug"  # shown as recorded
    assert area_name("330106") == "杭州市西湖区" and area_name("330106", "en") == "Xihu District, Hangzhou"
    assert area_name("999999") == "999999"


def test_office_wording_of_states():
    assert i18n.t("open") == "办理中" and i18n.t("closed") == "已办结"
