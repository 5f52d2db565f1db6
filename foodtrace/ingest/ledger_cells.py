"""One ledger cell as a value of the model, or the reason it is not one (in zh or en): times without
an offset are in the district's time zone and a date alone is its midnight; numbers may be written
with thousands separators or a currency sign; words and units as people write them
(``ledger_words``)."""

from __future__ import annotations

from datetime import date, datetime, time, tzinfo
import math
import re
from typing import Any

from foodtrace.ingest.ledger_words import VOCABS, say, unit, word
from foodtrace.model.common import HUGE, instant_in_range
from foodtrace.model.registry import ALL_LABELS


class CellError(ValueError):
    """The reason a cell is refused, already in the user's language."""


_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
                   r"(?:[ T]+(\d{1,2})\s*[:：时]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2}))?\s*秒?)?$")
_TOKEN = re.compile(r"^[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200f\u2028-\u202f\u205f\u3000\ufeff\u061c\u2066-\u2069]+$")


def text_of(value: Any) -> str:
    """A cell as text: whole numbers without ``.0`` (a code typed as a number), dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return str(value).strip()


def parse_time(value: Any, tz: tzinfo, lang: str) -> str:
    """An aware ISO 8601 time."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    else:
        moment = _time_text(text_of(value), lang)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    if not instant_in_range(moment):
        raise CellError(say("time_range", lang))
    return moment.isoformat()


def _time_text(s: str, lang: str) -> datetime:
    m = _DATE.match(s)
    try:
        if m:
            y, mo, d, hh, mi, ss = m.groups()
            return datetime(int(y), int(mo), int(d), int(hh or 0), int(mi or 0), int(ss or 0))
        if re.match(r"^\d{4}-\d{2}-\d{2}", s):
            return datetime.fromisoformat(s)
    except ValueError:
        pass
    raise CellError(say("bad_time", lang, value=s[:40]))


def parse_number(value: Any, lang: str, *, positive: bool = True) -> float:
    if isinstance(value, bool):
        raise CellError(say("not_number", lang, value=str(value)))
    if isinstance(value, (int, float)):
        x = float(value)
    else:
        s = re.sub(r"[,，\s]|^[¥￥]|元$", "", text_of(value))
        try:
            x = float(s)
        except ValueError:
            raise CellError(say("not_number", lang, value=text_of(value)[:40])) from None
    if not math.isfinite(x) or abs(x) > HUGE:
        raise CellError(say("too_large", lang))
    if positive and x <= 0:
        raise CellError(say("not_positive", lang))
    if x < 0:
        raise CellError(say("negative", lang))
    return x


def parse_code(value: Any, lang: str) -> str:
    s = text_of(value)
    if len(s) > 256:
        raise CellError(say("too_long", lang, max=256))
    if not _TOKEN.match(s):
        raise CellError(say("bad_code", lang))
    return s


def parse_codes(value: Any, lang: str) -> list[str]:
    return [parse_code(p, lang) for p in re.split(r"[;；,，、\s]+", text_of(value)) if p]


def parse_word(vocab: str, value: Any, lang: str) -> str:
    found = word(vocab, text_of(value))
    if found is None:
        choices = "、".join(ALL_LABELS[v][0] for v in VOCABS[vocab]) if lang != "en" else \
            ", ".join(ALL_LABELS[v][1] for v in VOCABS[vocab])
        raise CellError(say("unknown_word", lang, what=say(f"what_{vocab}", lang), value=text_of(value)[:40],
                            choices=choices))
    return found


def parse_unit(value: Any, lang: str) -> tuple[str, float]:
    found = unit(text_of(value))
    if found is None:
        raise CellError(say("unknown_unit", lang, value=text_of(value)[:40],
                            choices="千克、公斤、斤、克、吨、头、只、件、箱" if lang != "en" else "kg, head, piece"))
    return found


def parse_cell(kind: str, value: Any, tz: tzinfo, lang: str) -> Any:
    """A non-empty cell of a column of ``kind`` as the model's value."""
    if kind == "time":
        return parse_time(value, tz, lang)
    if kind == "number":
        return parse_number(value, lang)
    if kind == "money":
        return parse_number(value, lang, positive=False)
    if kind in ("party", "code"):
        return parse_code(value, lang)
    if kind == "codes":
        return parse_codes(value, lang)
    if kind in ("product", "cert_kind", "result", "action"):
        return parse_word(kind, value, lang)
    if kind == "unit":
        return parse_unit(value, lang)
    s = text_of(value)
    if len(s) > 500:
        raise CellError(say("too_long", lang, max=500))
    return s
