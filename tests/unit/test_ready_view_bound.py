"""Only the views built last hold their ``PublicLot`` (``consumer._FRESH_VIEWS``), with views built in many threads
at once. The check-then-append is under a lock; CPython 3.11's GIL did not show the race without it in 5 runs of
8 threads × 20,000 views (a free-threaded build would), so this holds the bound itself, not the lock."""

from __future__ import annotations

import sys
import threading

from foodtrace.services.tracing import consumer
from foodtrace.services.tracing.consumer import PublicLot, ReadyView


def _lot(code: str) -> PublicLot:
    return PublicLot(code=code, verdict="pass", verdict_reasons=[], recall_ids=[], product=None, product_label=None,
                     origins=[], slaughtered_at=None, harvested_at=None, journey=[], businesses=[], certificates=[],
                     recalled=False, recall_reasons=[], recall_reasons_en=[], complete=True)


def test_views_built_in_many_threads_keep_at_most_the_bound():
    lot = _lot("L-1")
    views: list[ReadyView] = []
    keep = views.append
    start = threading.Barrier(8)

    def build() -> None:
        start.wait()
        for _ in range(3000):
            keep(ReadyView(lot))

    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as CPython allows
    try:
        threads = [threading.Thread(target=build) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(old)
    assert len(views) == 24_000
    holding = [v for v in views if v._fresh is not None]
    assert 0 < len(holding) <= consumer._FRESH_VIEWS
    assert views[-1].lot is lot and views[-1]._fresh is None  # the first read gives the object up
    assert views[0].lot == lot  # an old view reads its JSON back: the same view
