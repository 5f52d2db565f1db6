"""Whether two embedded stores hold the same log and projections, the record time aside (stamped when each
ingest ran): every event's seq, id, type, event time, party, digest and body (its ``record_time`` taken
out), and every row of ``links``, ``report_facts``, ``lots``, ``lot_events``, ``parties``, ``retractions``.

    python scripts/compare_stores.py /tmp/a/ingest.db /tmp/b/ingest.db     # exit 0: the same

Used to prove that an ingest change stores what the code before it stored (docs/performance.md)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys

TABLES = {
    "links": "SELECT parent, child, seq, quantity FROM links ORDER BY rowid",
    "report_facts": "SELECT seq, t, type, party, fact FROM report_facts ORDER BY seq",
    "lots": "SELECT rowid, * FROM lots ORDER BY rowid",
    "lot_events": "SELECT code, seq FROM lot_events ORDER BY code, seq",
    "parties": "SELECT id, body, seq FROM parties ORDER BY id",
    "retractions": "SELECT * FROM retractions ORDER BY seq",
}


def fingerprints(path: str) -> dict[str, tuple[int, str]]:
    """(rows, SHA-256 of the rows) of each compared table."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    out = {}
    h, n = hashlib.sha256(), 0
    for seq, eid, typ, when, party, digest, body in conn.execute(
            "SELECT seq, event_id, type, event_time, party, digest, body FROM events ORDER BY seq"):
        parsed = json.loads(body)
        parsed.pop("record_time", None)
        # the body's text with only the record time cut out: key order and number forms kept
        h.update(repr((seq, eid, typ, when, party, digest, list(parsed.items()),
                       _without_record_time(body))).encode())
        n += 1
    out["events"] = (n, h.hexdigest())
    for name, q in TABLES.items():
        h, n = hashlib.sha256(), 0
        for row in conn.execute(q):
            h.update(repr(row).encode())
            n += 1
        out[name] = (n, h.hexdigest())
    conn.close()
    return out


def _without_record_time(body: str) -> str:
    start = body.find('"record_time":"')
    if start < 0:
        return body
    end = body.index('"', start + len('"record_time":"')) + 1
    return body[:start] + body[end:]


def main() -> int:
    a, b = fingerprints(sys.argv[1]), fingerprints(sys.argv[2])
    same = True
    for name in a:
        mark = "same" if a[name] == b[name] else "DIFFERENT"
        same &= a[name] == b[name]
        print(f"{name:13} {a[name][0]:>9,} / {b[name][0]:>9,} rows  {mark}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
