"""The statistics report's checkpoints (``services/report/checkpoint.py``, ``graph/report_facts_checkpoints.py``):
a report read back from what an earlier report kept is the report folded from the whole log — for a year
and a month, after an old event is reported late, after a retraction and a correction, under other rules,
in another time zone — and a checkpoint is read back only while nothing before its period's end changed.
The demo district on both backends: a real SQLite file, and a real Neo4j server (its checkpoints kept in the
database, ``graph/neo4j_checkpoints.py``), the same log copied there."""

from __future__ import annotations

from datetime import datetime, timezone
import shutil

import pytest

from foodtrace.demo.load import load_demo
from foodtrace.graph import open_store
from foodtrace.graph.neo4j_store import Neo4jStore
from foodtrace.services.admin.copying import copy_log
from foodtrace.ingest.capture import capture
from foodtrace.services.report import district_report
from foodtrace.services.report.checkpoint import clear, key
from foodtrace.services.report.period import period
from foodtrace.services.safety.rules.config import SHIPPED, load_rules
from tests.builders import cert, retract, with_id
from tests.neo4j_support import fresh_neo4j_store

NOW = datetime(2026, 2, 1, tzinfo=timezone.utc)
YEAR, MONTH = ("2025-01-01", "2025-12-31"), ("2025-04-01", "2025-04-30")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo district's SQLite file, made once: each test works on a copy of it (or its log in Neo4j)."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    s = open_store(f"sqlite:///{path}")
    load_demo(s, events=3000, seed=11, plant_complaints=True)
    s.close()
    return path


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request, demo, tmp_path):
    if request.param == "embedded":
        shutil.copy(demo, tmp_path / "demo.db")
        s = open_store(f"sqlite:///{tmp_path / 'demo.db'}")
    else:
        s = fresh_neo4j_store()
        src = open_store(f"sqlite:///{demo}")
        try:
            copy_log(src, s)  # the same log, ids and record times kept
        finally:
            src.close()
    yield s
    s.close()


def damage(store, blob: bytes) -> None:
    """Overwrite every kept checkpoint's blob (as a damaged or foreign store would hold it)."""
    if isinstance(store, Neo4jStore):
        store._write(lambda tx: tx.run("MATCH (c:ReportCheckpoint) SET c.blob = $b", b=bytearray(blob)).consume())
    else:
        store.conn.execute("UPDATE report_checkpoints SET blob=?", (blob,))


def kept(store, first: str, last: str, rules=None, tz: str = "+08:00") -> bool:
    """Whether the next report of this period would be read back (a valid checkpoint of it is kept)."""
    p = period(first, last, tz)
    blob = store.report_checkpoints().get(key(p, (rules or load_rules()).model_dump_json()), None, p.end)
    return blob is not None


def same_as_log(store, first: str, last: str, **kw):
    got = district_report(store, first, last, now=NOW, **kw)
    log = district_report(store, first, last, now=NOW, from_log=True, **kw)
    assert got.model_dump() == log.model_dump(), (first, last)
    return got


def test_a_report_asked_again_is_read_back_and_equals_the_log_fold(store):
    assert not kept(store, *YEAR) and not kept(store, *MONTH)
    first = {p: same_as_log(store, *p) for p in (YEAR, MONTH)}
    assert kept(store, *YEAR) and kept(store, *MONTH)
    for p in (YEAR, MONTH):
        assert same_as_log(store, *p).model_dump() == first[p].model_dump()
    assert first[YEAR].anomalies.count > 0 and first[YEAR].tests.rapid.samples > 0 and first[YEAR].meat[0].kg > 0
    # the same days in another time zone are another report
    assert not kept(store, *MONTH, tz="+00:00")
    assert same_as_log(store, *MONTH, tz="+00:00").model_dump() != first[MONTH].model_dump()


def _commission_of(store, month: str) -> str:
    return next(se.event.lots[0].code for se in store.events_by_type(["commission"])
                if se.event.event_time.isoformat().startswith(month))


def test_an_old_event_reported_late_makes_the_reports_it_touches_fold_again(store):
    before = {p: same_as_log(store, *p) for p in (YEAR, MONTH)}
    capture(store, [cert([_commission_of(store, "2025-04")], kind="lab_test", result="fail", issuer="REG001",
                         number="LATE-1", time="2025-04-15T09:00:00+08:00")])
    assert not kept(store, *YEAR) and not kept(store, *MONTH)
    for p in (YEAR, MONTH):
        after = same_as_log(store, *p)
        assert after.tests.lab.failed == before[p].tests.lab.failed + 1
        assert kept(store, *p)  # kept again, with the late event


def test_an_event_after_the_end_leaves_the_checkpoint_valid(store):
    month = same_as_log(store, *MONTH)
    same_as_log(store, *YEAR)
    capture(store, [cert([_commission_of(store, "2025-04")], kind="lab_test", result="fail", issuer="REG001",
                         number="LATER-1", time="2025-09-15T09:00:00+08:00")])
    assert kept(store, *MONTH)  # the records as they stood at the end of April did not change
    assert same_as_log(store, *MONTH).model_dump() == month.model_dump()
    assert not kept(store, *YEAR)
    same_as_log(store, *YEAR)


def test_a_retraction_of_an_event_after_the_end_leaves_the_checkpoint_valid(store):
    capture(store, [with_id(cert([_commission_of(store, "2025-04")], kind="lab_test", result="fail",
                                 issuer="REG001", number="LATER-2", time="2025-09-15T09:00:00+08:00"), "later-2")])
    month = same_as_log(store, *MONTH)
    same_as_log(store, *YEAR)
    capture(store, [retract("later-2", party="REG001", time="2026-01-20T10:00:00+08:00")])  # both after April
    assert kept(store, *MONTH)
    assert same_as_log(store, *MONTH).model_dump() == month.model_dump()
    assert not kept(store, *YEAR)  # the retracted event was in the year
    same_as_log(store, *YEAR)


def test_a_retraction_and_a_correction_of_an_old_event_change_the_report_at_once(store):
    before = same_as_log(store, *MONTH)
    same_as_log(store, *YEAR)
    certs = [se.event_id for se in store.events_by_type(["certificate"])
             if se.retracted_by is None and se.event.event_time.isoformat().startswith("2025-04")][:2]
    capture(store, [retract(*certs, party="REG001", time="2026-01-20T10:00:00+08:00")])  # recorded after both
    assert not kept(store, *MONTH) and not kept(store, *YEAR)
    after = same_as_log(store, *MONTH)
    assert after.traceability.retracted == before.traceability.retracted + 2
    same_as_log(store, *YEAR)


def _rescored(path) -> object:
    """The shipped rules with every violation score doubled, written to ``path``."""
    out, scores = [], False
    for line in open(SHIPPED, encoding="utf-8").read().splitlines():
        if line.strip().startswith("["):
            scores = line.strip() == "[scores]"
        elif scores and "=" in line and not line.strip().startswith("#"):
            name, value = line.split("=", 1)
            line = f"{name}= {int(value.split('#')[0]) * 2}"
        out.append(line)
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return load_rules(path)


def test_other_rules_are_another_checkpoint(store, tmp_path):
    other = _rescored(tmp_path / "rules.toml")
    shipped = same_as_log(store, *YEAR)
    assert not kept(store, *YEAR, rules=other)
    rescored = same_as_log(store, *YEAR, rules=other)
    assert kept(store, *YEAR, rules=other) and kept(store, *YEAR)
    assert rescored.anomalies.score == 2 * shipped.anomalies.score > 0


def test_a_checkpoint_that_does_not_validate_is_folded_again(store):
    first = same_as_log(store, *MONTH)
    damage(store, b'{"events_read": "many"}')
    assert district_report(store, *MONTH, now=NOW).model_dump() == first.model_dump()
    damage(store, b"\x80\x04not json")
    assert district_report(store, *MONTH, now=NOW).model_dump() == first.model_dump()


def test_clear_drops_every_checkpoint(store):
    clear(store)  # the district check the demo's cases were opened from is kept there too
    same_as_log(store, *MONTH)
    same_as_log(store, *YEAR)
    assert clear(store) == 2
    assert not kept(store, *MONTH) and not kept(store, *YEAR)
