"""An error whose message is said in the reader's language: ``keyed(InvalidInput, "key", details, **args)``
is ``InvalidInput(<the English text of key>, details, key=key, args=args)`` (``i18n.refusals``: its message
said again in zh or en by ``localize``); its details are made with ``refusal``."""

from __future__ import annotations

from typing import Any, TypeVar

from foodtrace.errors import FoodtraceError
from foodtrace.i18n.refusals import say_refusal

E = TypeVar("E", bound=FoodtraceError)


def keyed(cls: type[E], key: str, details: list[dict[str, Any]] | None = None, /, **args: Any) -> E:
    """An error of class ``cls`` with message ``key`` (its English text now, any language later)."""
    plain = {k: (list(v) if isinstance(v, tuple) else v) for k, v in args.items()}
    return cls(say_refusal(key, "en", plain), details, key=key, args=plain)


__all__ = ["keyed"]
