"""Consumer views kept in the store's SQLite file (``graph.kept_views``): a view built once is written behind
and read back by another store object on the file with its memory cold; every kind of write — by any store
object on the file — deletes in its own transaction the rows built from what it touches, so the view read
after it is the view built afresh; a row of another build, a damaged row, a value whose build the log
overtook are never served."""

from __future__ import annotations

import sqlite3
import zlib

import pytest

from foodtrace.graph import kept_views
from foodtrace.graph.embedded import EmbeddedStore
from foodtrace.ingest.capture import capture
from foodtrace.services.safety.complaints import file_complaint
from foodtrace.services.safety.recall import start_recall
from foodtrace.services.safety.rules.config import load_rules
from foodtrace.services.tracing.consumer import READ_MODEL, kept_view, persisted, public_view, ready_view, view_key
from tests.builders import cert, pork_chain, register, retract, with_id


def _open(path, cache: int = 10_000) -> EmbeddedStore:
    return EmbeddedStore(str(path), read_cache=cache).open()


def _fresh(path, code: str = "RCPT"):
    """The view as a store that keeps nothing (in memory or from the file) builds it."""
    other = _open(path, cache=0)
    try:
        return public_view(other, code)
    finally:
        other.close()


def _rows(path) -> dict[str, int]:
    """key's code -> build of the rows in the file."""
    with sqlite3.connect(path) as con:
        return {k.split("\x1f")[0]: b for k, b in con.execute("SELECT key, build FROM kept_views")}


@pytest.fixture
def shared(tmp_path):
    """A file with the pork chain and the receipt's view kept in it (built by a store now closed)."""
    path = tmp_path / "shared.db"
    s = _open(path)
    capture(s, pork_chain() + pork_chain("b"))
    ready_view(s, "RCPT")
    ready_view(s, "bRCPT")
    s.flush_models()
    s.close()
    assert _rows(path) == {"RCPT": persisted().build, "bRCPT": persisted().build}
    return path


def test_a_view_kept_in_the_file_is_served_to_a_cold_store_without_a_build(shared):
    reader = _open(shared)
    try:
        reader.status(catch_up=True)
        assert not reader._caches.get(READ_MODEL)  # its memory is cold
        kept = kept_view(reader, "RCPT", load_rules())  # the event loop's path: no build, no wait
        assert kept is not None and kept.lot == _fresh(shared)
        assert kept_view(reader, "RCPT", load_rules()) is kept  # now in memory too
        assert kept_view(reader, "NOPE", load_rules()) is None
    finally:
        reader.close()


def _event_cases():
    return {
        "recall upstream": lambda s: start_recall(s, ["PIG"], "clenbuterol found"),
        "retraction": lambda s: capture(s, [retract("urn:t:mq1", party="S1")]),
        "new certificate upstream": lambda s: capture(s, [cert(["CARC"], "meat_quality", issuer="S1", number="Q2")]),
        "failed rapid test upstream": lambda s: capture(s, [cert(["PIG"], "lab_test", issuer="S1", result="fail")]),
        "complaint": lambda s: file_complaint(s, ["RCPT"], "smells off", channel="online", by="consumer"),
        "party re-registration": lambda s: capture(s, [register("F1", "scale_farm", "Blue Farm")]),
    }


@pytest.mark.parametrize("case", list(_event_cases()))
def test_a_write_by_another_store_object_changes_the_page_at_once(tmp_path, case):
    path = tmp_path / "exact.db"
    s = _open(path)
    capture(s, pork_chain() + pork_chain("b") + [with_id(cert(["CARC"], "meat_quality", issuer="S1", number="Q1"),
                                                          "urn:t:mq1")])
    before = ready_view(s, "RCPT").lot
    ready_view(s, "bRCPT")
    s.flush_models()
    s.close()
    reader, cli = _open(path), _open(path)  # the server (memory cold) and the command line, on one file
    try:
        reader.status(catch_up=True)
        _event_cases()[case](cli)
        assert set(_rows(path)) == {"bRCPT"}  # deleted in the write's own transaction; the other lot's stays
        after = public_view(reader, "RCPT")
        assert after == _fresh(path)
        assert (after == before) == (case == "complaint")  # a complaint is not shown; its row goes all the same
        reader.flush_models()
        assert set(_rows(path)) == {"RCPT", "bRCPT"}  # the new view is kept again
        third = _open(path)  # a third process, cold: reads the new row
        try:
            third.status(catch_up=True)
            assert kept_view(third, "RCPT", load_rules()).lot == after
        finally:
            third.close()
    finally:
        reader.close()
        cli.close()


def test_a_write_while_the_reader_keeps_the_row_in_memory_reaches_it(shared):
    reader, cli = _open(shared), _open(shared)
    try:
        reader.status(catch_up=True)
        assert kept_view(reader, "RCPT", load_rules()) is not None  # from the file, now in memory
        start_recall(cli, ["CARC"], "foreign matter")
        view = public_view(reader, "RCPT")
        assert view.recalled and view.recall_reasons == ["foreign matter"] and view == _fresh(shared)
        assert not public_view(reader, "bRCPT").recalled
    finally:
        reader.close()
        cli.close()


def test_an_unrelated_write_keeps_the_row(shared):
    cli = _open(shared)
    try:
        capture(cli, [cert(["bPIG"], "lab_test", issuer="bS1")])
    finally:
        cli.close()
    assert set(_rows(shared)) == {"RCPT"}


def test_a_row_of_another_build_is_not_served_and_is_replaced(shared):
    from foodtrace.services.tracing.consumer import ReadyView

    p = persisted()
    with sqlite3.connect(shared) as con:  # a well-formed view, as an older release would have shown it
        (body,) = con.execute("SELECT body FROM kept_views WHERE key LIKE 'RCPT%'").fetchone()
        older = p.decode(body).lot.model_copy(update={"product": "an older shape"})
        con.execute("UPDATE kept_views SET build = build + 1, body = ? WHERE key LIKE 'RCPT%'",
                    (p.encode(ReadyView(older)),))
    reader = _open(shared)
    try:
        reader.status(catch_up=True)
        assert kept_view(reader, "RCPT", load_rules()) is None
        assert ready_view(reader, "RCPT").lot == _fresh(shared) != older
        reader.flush_models()
    finally:
        reader.close()
    assert _rows(shared)["RCPT"] == p.build


@pytest.mark.parametrize("body", [b"not zlib at all", zlib.compress(b'{"code": "RCPT"}'), zlib.compress(b"{")])
def test_a_damaged_row_is_built_again_and_replaced(shared, body):
    with sqlite3.connect(shared) as con:
        con.execute("UPDATE kept_views SET body = ?", (body,))
    reader = _open(shared)
    try:
        reader.status(catch_up=True)
        assert kept_view(reader, "RCPT", load_rules()) is None
        assert ready_view(reader, "RCPT").lot == _fresh(shared)
        reader.flush_models()
    finally:
        reader.close()
    with sqlite3.connect(shared) as con:
        body = con.execute("SELECT body FROM kept_views WHERE key LIKE 'RCPT%'").fetchone()[0]
    assert persisted().decode(body).lot == _fresh(shared)  # replaced by the view built again


def test_a_value_whose_build_the_log_overtook_is_not_written(tmp_path):
    path = tmp_path / "race.db"
    s = _open(path)
    try:
        capture(s, pork_chain() + pork_chain("b"))
        seen = s.status().log_seq
        rules, p = load_rules(), persisted()
        items = [kept_views.pending(READ_MODEL, view_key(code, rules), seen, ready_view(s, code), lots, (), p)
                 for code, lots in (("RCPT", ["RCPT", "PIG"]), ("bRCPT", ["bRCPT", "bPIG"]))]
        capture(s, [cert(["PIG"], "lab_test", issuer="S1", result="fail")])  # after the builds began
        with sqlite3.connect(path, isolation_level=None) as con:
            con.execute("BEGIN IMMEDIATE")
            assert kept_views.write(con, kept_views.encode(items)) == 1
            con.execute("COMMIT")
        assert set(_rows(path)) == {"bRCPT"}
    finally:
        s.close()


def test_a_store_that_keeps_nothing_neither_reads_nor_writes_the_file(shared):
    s = _open(shared, cache=0)
    try:
        s.status(catch_up=True)
        assert kept_view(s, "RCPT", load_rules()) is None
        ready_view(s, "RCPT")
        assert s._writer is None
    finally:
        s.close()


def test_clearing_forgets_every_kept_view(shared):
    s = _open(shared)
    try:
        assert s.clear_models(READ_MODEL) == 2
        assert kept_view(s, "RCPT", load_rules()) is None
    finally:
        s.close()
    assert _rows(shared) == {}


def test_closing_the_store_writes_what_waits(tmp_path):
    path = tmp_path / "close.db"
    s = _open(path)
    capture(s, pork_chain())
    built = ready_view(s, "RCPT")
    s.close()  # no flush: the writer writes what it holds before the store closes
    assert _rows(path) == {"RCPT": persisted().build}
    again = _open(path)
    try:
        again.status(catch_up=True)
        assert kept_view(again, "RCPT", load_rules()).json == built.json
    finally:
        again.close()



def test_views_are_keyed_by_the_rules_content_not_their_path(tmp_path):
    """``db views`` and a server reading the same rules from two paths keep the same views; other rules, others."""
    from foodtrace.services.safety.rules.config import SHIPPED
    text = SHIPPED.read_text(encoding="utf-8")
    a, b, c = tmp_path / "a.toml", tmp_path / "b.toml", tmp_path / "c.toml"
    a.write_text(text, encoding="utf-8")
    b.write_text(text, encoding="utf-8")
    ra, rb = load_rules(a), load_rules(b)
    assert ra.source != rb.source
    assert view_key("RCPT", ra) == view_key("RCPT", rb)
    scores = dict(ra.scores)
    first = next(iter(scores))
    changed = ra.model_copy(update={"scores": {**scores, first: scores[first] + 1}})
    assert view_key("RCPT", changed) != view_key("RCPT", ra)


@pytest.mark.parametrize("case", ["new certificate upstream", "retraction", "party re-registration"])
def test_an_append_looks_up_what_it_touches_once_for_the_file_and_the_memory(tmp_path, case):
    """The rows kept in the file and the views kept in memory drop what an append touches: one look-up of the
    lots and parties it touches (``kept_views.touched``) serves both."""
    path = tmp_path / "once.db"
    s = _open(path)
    try:
        capture(s, pork_chain() + [with_id(cert(["CARC"], "meat_quality", issuer="S1", number="Q1"), "urn:t:mq1")])
        before = ready_view(s, "RCPT")
        s.flush_models()
        assert set(_rows(path)) == {"RCPT"} and len(s._caches[READ_MODEL]) == 1  # in the file and in memory
        looked: list[str] = []
        lookup = kept_views.TOUCHED_LOTS.split("?")[0]  # the statement as run: its parameters filled in
        s.conn.set_trace_callback(lambda sql: looked.append(sql) if sql.startswith(lookup) else None)
        try:
            _event_cases()[case](s)
        finally:
            s.conn.set_trace_callback(None)
        assert len(looked) == 1
        assert _rows(path) == {} and len(s._caches[READ_MODEL]) == 0  # dropped from both
        after = ready_view(s, "RCPT")
        assert after is not before and after.lot == _fresh(path)
    finally:
        s.close()
