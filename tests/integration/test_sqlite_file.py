"""The embedded store on a real SQLite file: reopen, and a second process."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from foodtrace.graph import open_store
from foodtrace.ingest.capture import capture
from foodtrace.services.tracing.trace import backward_trace
from tests.builders import pork_chain, retract, transform, with_id


def test_close_and_reopen_keeps_log_and_lineage(tmp_path):
    url = f"sqlite:///{tmp_path / 'ft.db'}"
    with open_store(url) as s:
        capture(s, pork_chain())
        capture(s, [with_id(transform(["X"], ["Y"]), "t-x"), with_id(retract("t-x"), "r-x")])
        before = (s.counts(), s.backward("RCPT"))
    with open_store(url) as s:
        assert (s.counts(), s.backward("RCPT")) == before
        assert s.backward("Y").lots == {"Y"}  # the retracted link stays out after a rebuild
        assert backward_trace(s, "RCPT").lot("PIG").made_by.party == "F1"


def test_wal_and_full_sync(tmp_path):
    with open_store(f"sqlite:///{tmp_path / 'ft.db'}") as s:
        assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_second_process_appends_and_the_first_sees_it(tmp_path):
    db = tmp_path / "ft.db"
    url = f"sqlite:///{db}"
    with open_store(url) as s:
        capture(s, pork_chain())
        assert s.forward("RL").lots == {"RL", "RCPT"}
        more = [transform(["RL"], ["MINCE"], kind="processing", party="M1"),
                with_id(transform(["WV"], ["SAUS"], kind="processing", party="W1"), "later-retracted")]
        code = textwrap.dedent(f"""
            import json, sys
            from foodtrace.graph import open_store
            from foodtrace.ingest.capture import capture
            with open_store({url!r}) as other:
                capture(other, json.loads(sys.argv[1]))
                capture(other, [{{"type": "error_declaration", "event_time": "2025-03-02T08:00:00+08:00",
                                  "party": "W1", "retracts": ["later-retracted"], "reason": "typo"}}])
        """)
        subprocess.run([sys.executable, "-c", code, json.dumps(more)], check=True)
        # no reopen: the running store catches up from the log on its next read
        assert s.forward("RL").lots == {"RL", "RCPT", "MINCE"}
        assert s.forward("WV").lots == {"WV", "RL", "RCPT", "MINCE"}
        assert s.get_lot("MINCE").created_by is not None
        assert s.counts()["retracted"] == 1


def test_unopenable_path_gives_a_clear_error(tmp_path):
    import pytest

    from foodtrace.errors import StoreUnavailable

    (tmp_path / "dir.db").mkdir()
    with pytest.raises(StoreUnavailable, match="cannot open"):
        open_store(f"sqlite:///{tmp_path / 'dir.db'}")


def test_a_lock_held_past_the_timeout_is_store_unavailable(tmp_path):
    import sqlite3

    import pytest

    from foodtrace.config import Settings
    from foodtrace.errors import StoreUnavailable
    from tests.builders import commission

    url = f"sqlite:///{tmp_path / 'lock.db'}"
    s = open_store(url, Settings(store_timeout_s=0.3))
    try:
        other = sqlite3.connect(tmp_path / "lock.db", isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another writer holds the lock
        with pytest.raises(StoreUnavailable, match="busy"):
            capture(s, [commission("P1")])
        other.execute("ROLLBACK")
        capture(s, [commission("P1")])  # and it works again once the lock is released
        assert s.get_lot("P1") is not None
    finally:
        s.close()
