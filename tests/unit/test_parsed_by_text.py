"""``graph.parsed.ParsedByText``: a parse remembered by its text — the same text gives the same value without
parsing again, another text is parsed, and the memory is bounded."""

from __future__ import annotations

from foodtrace.graph.parsed import ParsedByText


def test_same_text_parsed_once_other_text_parsed_bounded():
    calls: list[str] = []

    def parse(text: str) -> dict:
        calls.append(text)
        return {"text": text}

    parsed = ParsedByText(parse, max_entries=3)
    first = parsed('{"id": "P1", "name": "A"}')
    assert parsed('{"id": "P1", "name": "A"}') is first and len(calls) == 1
    assert parsed('{"id": "P1", "name": "B"}') == {"text": '{"id": "P1", "name": "B"}'}  # registered again
    assert len(calls) == 2
    for i in range(5):
        parsed(str(i))
    assert len(parsed) <= 3
