"""An error whose message is said in the reader's language: ``keyed(InvalidInput, "key", details, **args)``
is ``InvalidInput(<the English text of key>, details, key=key, args=args)`` (``i18n.refusals``: its message
said again in zh or en by ``localize``); its details are made with ``refusal``."""

from __future__ import annotations

from typing import Any, TypeVar

from foodtrace.errors import FoodtraceError
from foodtrace.i18n.refusals import known, say_refusal

E = TypeVar("E", bound=FoodtraceError)


def keyed(cls: type[E], key: str, details: list[dict[str, Any]] | None = None, /, **args: Any) -> E:
    """An error of class ``cls`` with message ``key`` (its English text now, any language later)."""
    plain = {k: (list(v) if isinstance(v, tuple) else v) for k, v in args.items()}
    return cls(say_refusal(key, "en", plain), details, key=key, args=plain)


def noted(exc: FoodtraceError, note: str) -> None:
    """``exc``'s message followed by the text of ``note`` (a key without arguments, such as "(positions are
    line numbers)"), in the language its message will be said in; once. A keyed message gets the joined key
    ``key+note`` (``refusals.say_refusal`` says its parts in turn)."""
    if exc.key and exc.key.endswith(f"+{note}"):
        return
    if known(exc.key) and not exc.lang:
        exc.key = f"{exc.key}+{note}"
        exc.message = say_refusal(exc.key, "en", exc.args_of_key)
    elif (text := say_refusal(note, exc.lang or "en", {})) not in exc.message:
        exc.message += text


def noted_detail(d: dict[str, Any], note: str) -> None:
    """A detail's reason followed by the text of ``note``, in the language it will be said in."""
    if known(d.get("key")) and "args" in d:
        d["key"] = f"{d['key']}+{note}"
        d["reason"] = say_refusal(d["key"], "en", d["args"])
    else:
        d["reason"] = f"{d.get('reason', '')}{say_refusal(note, 'en', {})}"


__all__ = ["keyed", "noted", "noted_detail"]
