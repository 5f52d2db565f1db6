"""A first scan's view and page are byte for byte what the reference path gives: the view of every lot of a
demo district (a planted recall, failed tests), built on a store that keeps what it built (upstream pieces
shared by many receipts, the lineage's parties kept, a plain code built without resolving it first, the page
rendered from the object just built), against the view built from scratch on a store that keeps nothing,
resolving the code first, its page rendered from the JSON read back; zh and en; again after a retraction
and a recall upstream (the kept store must drop what they touch)."""

from __future__ import annotations

import pytest
from starlette.requests import Request

from foodtrace.api.routes.pages import kept_page_of
from foodtrace.config import Settings
from foodtrace.demo.load import load_demo
from foodtrace.errors import NotFound
from foodtrace.graph.embedded import EmbeddedStore
from foodtrace.ingest.capture import capture
from foodtrace.services.safety.rules.config import load_rules
from foodtrace.services.tracing import consumer
from foodtrace.services.tracing.identifiers import resolve
from foodtrace.services.tracing.trace import NotOwnCode, lot_pieces
from tests.builders import retract

SCOPE = {"type": "http", "method": "GET", "path": "/l/x", "raw_path": b"/l/x", "query_string": b"", "headers": []}


@pytest.fixture(scope="module")
def district(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("first") / "d.db")
    kept = EmbeddedStore(path).open()
    load_demo(kept, events=2500, seed=11, plant_complaints=True)
    cold = EmbeddedStore(path, read_cache=0).open()  # keeps nothing: every view built from scratch
    yield kept, cold, Settings(store=f"sqlite:///{path}")
    cold.close()
    kept.close()


def _page(settings, lang: str, view) -> bytes:
    page = kept_page_of(lambda: Request(SCOPE), settings, lang, view)
    return page.head + b"|" + page.tail


def _reference(cold, code: str, rules):
    view = consumer.build_view(cold, resolve(cold, code).code, rules).value
    view.lot  # its object given up: the reference page is rendered from the JSON read back
    return view


def _all_same(kept, cold, settings) -> int:
    rules = load_rules()
    codes = [c for (c,) in kept.conn.execute("SELECT code FROM lots ORDER BY code")]
    differ = []
    for code in codes:
        new, ref = consumer.ready_view(kept, code, rules), _reference(cold, code, rules)
        pages = [(_page(settings, lg, new), _page(settings, lg, ref)) for lg in ("zh", "en")]
        if new.json != ref.json or any(a != b for a, b in pages):
            differ.append(code)
    assert differ == []
    return len(codes)


def test_views_and_pages_are_the_reference_ones_before_and_after_a_retraction_and_a_recall(district):
    kept, cold, settings = district
    rules = load_rules()
    assert _all_same(kept, cold, settings) > 1000
    receipts = [c for (c,) in kept.conn.execute(
        "SELECT l.code FROM lots l JOIN events e ON e.event_id = l.created_by WHERE e.type = 'retail_sale'")]
    verdicts = {consumer.ready_view(kept, c, rules).lot.verdict for c in receipts}
    assert {"pass", "fail", "recalled"} <= verdicts  # the district has what the views must show
    # a retraction of a passing certificate upstream of receipts, and a new recall: kept views must follow
    cert_id, issuer, covered = kept.conn.execute(
        "SELECT e.event_id, e.party, le.code FROM events e JOIN lot_events le ON le.seq = e.seq "
        "WHERE e.type = 'certificate' AND e.body LIKE '%\"result\":\"pass\"%' ORDER BY e.seq LIMIT 1").fetchone()
    receipt = kept.conn.execute(
        "SELECT l.code FROM lots l JOIN events e ON e.event_id = l.created_by WHERE e.type = 'retail_sale' "
        "ORDER BY l.code LIMIT 1 OFFSET 7").fetchone()[0]
    before = {c: consumer.ready_view(kept, c, rules).json for c in (covered, receipt)}
    capture(kept, [retract(cert_id, party=issuer, time="2025-12-30T10:00:00+08:00")])
    capture(kept, [{"type": "recall", "event_time": "2025-12-30T11:00:00+08:00", "party": "REG001",
                    "recall_id": "R-FIRST-SCAN", "lots": [receipt], "reason": "检出违禁药物",
                    "reason_en": "banned drug found"}])
    assert all(consumer.ready_view(kept, c, rules).json != before[c] for c in before)
    assert _all_same(kept, cold, settings) > 1000


def test_a_code_that_is_no_lots_own_is_resolved_or_refused(district):
    kept, _, _ = district
    rules = load_rules()
    receipt = kept.conn.execute(
        "SELECT l.code FROM lots l JOIN events e ON e.event_id = l.created_by WHERE e.type = 'retail_sale' "
        "LIMIT 1").fetchone()[0]
    assert consumer.ready_view(kept, f"  {receipt} ", rules).json == consumer.ready_view(kept, receipt, rules).json
    with pytest.raises(NotFound):
        consumer.ready_view(kept, "NO-SUCH-LOT-4711", rules)
    with pytest.raises(NotOwnCode):  # and nothing kept for it
        lot_pieces(kept, ["NO-SUCH-LOT-4711"], own="NO-SUCH-LOT-4711")
    assert kept.read_models("lot_piece", ["NO-SUCH-LOT-4711"]) == {}
