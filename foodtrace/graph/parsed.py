"""Values parsed from the store's stored text, remembered by that text: the same text is the same value
(a stored event body, a party's registration), so this is exact and needs no invalidation — a party
registered again is stored as a new text. Bounded: emptied when full. Both stores use it: a consumer's
view and a trace name the same few parties again and again."""

from __future__ import annotations

from typing import Callable, Generic, TypeVar

T = TypeVar("T")


class ParsedByText(Generic[T]):
    """``parse(text)``, remembered by ``text`` (at most ``max_entries`` texts)."""

    __slots__ = ("_parse", "_seen", "max_entries")

    def __init__(self, parse: Callable[[str], T], max_entries: int = 20_000):
        self._parse, self._seen, self.max_entries = parse, {}, max_entries

    def __call__(self, text: str) -> T:
        value = self._seen.get(text)
        if value is None:
            value = self._parse(text)
            if len(self._seen) >= self.max_entries:
                self._seen.clear()
            self._seen[text] = value
        return value

    def __len__(self) -> int:
        return len(self._seen)


__all__ = ["ParsedByText"]
