"""The glossary (术语表): the one file of terms in Chinese and English (``glossary.toml`` beside this
module). The vocabularies' labels (``vocab.LABELS``) are its ``[terms]``; the i18n layer also shows
farm inputs (兽药、农药), what a test measures and the areas (行政区划) through it, in the reader's
language. The file is package data, read once when first asked for."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
import tomllib

FILE = Path(__file__).with_name("glossary.toml")
SECTIONS = ("terms", "inputs", "analytes", "areas")


@lru_cache(maxsize=1)
def glossary() -> dict[str, dict[str, tuple[str, str]]]:
    """Every section of the glossary: ``{section: {key: (zh, en)}}``."""
    data = tomllib.loads(FILE.read_text(encoding="utf-8"))
    return {name: {str(k): (v[0], v[1]) for k, v in data.get(name, {}).items()} for name in SECTIONS}


def terms() -> dict[str, tuple[str, str]]:
    """The vocabularies' terms: value -> (zh, en)."""
    return dict(glossary()["terms"])


def _lookup(section: str, name: str | None) -> tuple[str, str] | None:
    if not name:
        return None
    table = glossary()[section]
    found = table.get(name) or table.get(name.lower())
    if found:
        return found
    for zh, en in table.values():  # recorded in Chinese, or in English with other capitals
        if name == zh or name.lower() == en.lower():
            return zh, en
    return None


def term(section: str, name: str | None, lang: str = "zh") -> str:
    """``name`` (as recorded, in either language) in ``lang``; the name itself when the glossary lacks it."""
    found = _lookup(section, name)
    if found is None:
        return name or ""
    return found[1] if lang == "en" else found[0]


def area_name(code: str | None, lang: str = "zh") -> str:
    """An area code's name (行政区划名称), or the code when the glossary does not know it."""
    found = glossary()["areas"].get(code or "")
    if found is None:
        return code or ""
    return found[1] if lang == "en" else found[0]


__all__ = ["glossary", "terms", "term", "area_name", "FILE", "SECTIONS"]
