"""An error whose message is said in the reader's language: ``keyed(InvalidInput, "key", details, **args)``
is ``InvalidInput(<the English text of key>, details, key=key, args=args)`` (``i18n.refusals``: its message
said again in zh or en by ``localize``); its details are made with ``refusal``."""

from __future__ import annotations

from typing import Any, TypeVar

from foodtrace.errors import FoodtraceError
from foodtrace.i18n.refusals import REFUSALS_TEXT, say_refusal

E = TypeVar("E", bound=FoodtraceError)


def keyed(cls: type[E], key: str, details: list[dict[str, Any]] | None = None, /, **args: Any) -> E:
    """An error of class ``cls`` with message ``key`` (its English text now, any language later)."""
    plain = {k: (list(v) if isinstance(v, tuple) else v) for k, v in args.items()}
    return cls(say_refusal(key, "en", plain), details, key=key, args=plain)


def _joined(key: str, note: str) -> str:
    """The key of ``key``'s text followed by ``note``'s (made once, from the two texts)."""
    both = f"{key}+{note}"
    if both not in REFUSALS_TEXT:
        (zh, en), (note_zh, note_en) = REFUSALS_TEXT[key], REFUSALS_TEXT[note]
        REFUSALS_TEXT[both] = (zh + note_zh, en + note_en)
    return both


def noted(exc: FoodtraceError, note: str) -> None:
    """``exc``'s message followed by the text of ``note`` (a key without arguments, such as "(positions are
    line numbers)"), in the language its message will be said in; once."""
    if exc.key and exc.key.endswith(f"+{note}"):
        return
    if exc.key in REFUSALS_TEXT and not exc.lang:
        exc.key = _joined(exc.key, note)
        exc.message = say_refusal(exc.key, "en", exc.args_of_key)
    elif (text := say_refusal(note, exc.lang or "en", {})) not in exc.message:
        exc.message += text


def noted_detail(d: dict[str, Any], note: str) -> None:
    """A detail's reason followed by the text of ``note``, in the language it will be said in."""
    if d.get("key") in REFUSALS_TEXT and "args" in d:
        d["key"] = _joined(d["key"], note)
        d["reason"] = say_refusal(d["key"], "en", d["args"])
    else:
        d["reason"] = f"{d.get('reason', '')}{say_refusal(note, 'en', {})}"


__all__ = ["keyed", "noted", "noted_detail"]
