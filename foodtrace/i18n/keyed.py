"""An error whose message is a keyed text (``i18n.refusals``): said in English when raised (what API clients
and logs have always read) and again in the reader's language by ``localize``."""

from __future__ import annotations

from typing import Any, TypeVar

from foodtrace.errors import FoodtraceError
from foodtrace.i18n.refusals import say_refusal

E = TypeVar("E", bound=FoodtraceError)


def keyed(cls: type[E], key: str, details: list[dict[str, Any]] | None = None, **args: Any) -> E:
    """``cls`` with message ``key`` (English now, the reader's language once localized) and ``details``
    (each made with ``refusal``)."""
    plain = {k: (list(v) if isinstance(v, tuple) else v) for k, v in args.items()}
    return cls(say_refusal(key, "en", plain), details, key=key, args=plain)


__all__ = ["keyed"]
