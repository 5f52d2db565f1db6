"""The check-digit check's filter (``check_digits._ANY_MARK``, one regex) says of a stored body exactly what
looking for each of ``_MARKS`` in it says: a body it lets pass names no Digital Link, element string nor GTIN."""

from __future__ import annotations

import random

from foodtrace.services.capture.check_digits import _ANY_MARK, _MARKS


def test_one_pass_finds_what_each_mark_finds():
    rnd = random.Random(5)
    pieces = [*_MARKS, '"', "http://", "HTTPS:/", '"Http://', '"gtin": "', "(", '"gtin"', "x", "码", ":", "{", "}"]
    bodies = ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 8))) for _ in range(20_000)]
    bodies += [f'{{"a":{m!r}}}' for m in _MARKS] + ['{"lot":{"code":"(01)09506000134352(10)A1"}}', ""]
    assert any(_ANY_MARK.search(b) for b in bodies) and not all(_ANY_MARK.search(b) for b in bodies)
    for b in bodies:
        assert (_ANY_MARK.search(b) is not None) == any(m in b for m in _MARKS), b
