"""User-facing text in zh-CN and en, one table per area (``core``, ``rules``, ``pages``, ``report``, ``ledgers``);
labels of vocabularies and event types live in the model (``model.registry.ALL_LABELS``)."""

from __future__ import annotations

from foodtrace.i18n.core import CORE_TEXT
from foodtrace.i18n.ledgers import LEDGER_TEXT
from foodtrace.i18n.pages import PAGES_TEXT
from foodtrace.i18n.report import REPORT_TEXT
from foodtrace.i18n.rules import RULES_TEXT
from foodtrace.model.registry import ALL_LABELS as LABELS

TEXT: dict[str, tuple[str, str]] = {**CORE_TEXT, **RULES_TEXT, **PAGES_TEXT, **LEDGER_TEXT}


def t(key: str, lang: str = "zh") -> str:
    zh, en = TEXT.get(key) or REPORT_TEXT.get(key) or LABELS.get(key) or (key, key)
    return en if lang == "en" else zh


def label(value: str | None, lang: str = "zh") -> str:
    if value is None:
        return "?"
    zh, en = LABELS.get(value, (value, value))
    return en if lang == "en" else zh


def pick_lang(explicit: str | None, accept_language: str | None = None, default: str = "zh") -> str:
    """``explicit`` (zh/en) wins; then the browser's first zh/en preference; then ``default``."""
    if explicit in ("zh", "en"):
        return explicit
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("zh"):
            return "zh"
        if tag.startswith("en"):
            return "en"
    return default

