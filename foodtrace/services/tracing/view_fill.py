"""Filling the consumer views kept in the store's file (``foodtrace db views``): the view of every retail
receipt — the codes on the slips shoppers scan — built and kept in the file before anyone scans it, so a
first scan is answered from the file (``consumer.persisted``; ``graph.kept_views``). Resumable: the views the
file already holds for this build are skipped. Views of other lots are kept as they are scanned.
``keep_filling``: the same again and again, for the receipts sold since and the views appends dropped (the
server's background filler: ``api/view_filler.py``)."""

from __future__ import annotations

import time
from typing import Callable

from foodtrace.graph.store import GraphStore
from foodtrace.services.safety.rules.config import RuleConfig, load_rules
from foodtrace.services.tracing.consumer import READ_MODEL, ReadyView, build_view, persisted, view_key
from foodtrace.services.tracing.trace import NotOwnCode

RECEIPTS = "retail_sale"  # the event that makes a receipt's lot
PAGE = 200  # receipts built and written per transaction


def fill_views(store: GraphStore, progress: Callable[[int, int], None] | None = None,
               rules: RuleConfig | None = None,
               page: Callable[[ReadyView], bytes] | None = None,
               only: list[str] | None = None) -> int:
    """Keep the view of every retail receipt the store's file lacks; ``progress(done, total)`` after each
    page of receipts; ``page(view)``: the consumer page kept with each view (``ReadyView.page``: bytes the API
    makes, ``api/routes/pages.py``'s ``file_page``); ``only``: these receipts' views alone (``scripts/bench.py``
    keeps those it will ask). How many views were written."""
    rules = rules or load_rules()
    total = store.lots_made_by_count(RECEIPTS) if only is None else len(only)
    done = written = 0
    for codes in _receipts(store, only):
        keys = {view_key(c, rules): c for c in codes}

        def build(missing: list[str]) -> dict:
            out = {}
            for k in missing:
                try:
                    out[k] = model = build_view(store, keys[k], rules, own=True)
                except NotOwnCode:
                    continue  # not confirmed (cannot be for a receipt's lot): nothing to keep
                if page is not None:
                    model.value.page = page(model.value)
            return out

        written += store.fill_models(READ_MODEL, list(keys), build, persisted())
        done += len(codes)
        if progress is not None:
            progress(min(done, total), total)
    return written


def _receipts(store: GraphStore, only: list[str] | None):
    """The receipts to keep, a page (``PAGE``) at a time: ``only``, or every retail receipt of the store."""
    if only is not None:
        yield from (only[i:i + PAGE] for i in range(0, len(only), PAGE))
        return
    codes = store.lots_made_by(RECEIPTS, "", PAGE)
    while codes:
        yield codes
        codes = store.lots_made_by(RECEIPTS, codes[-1], PAGE)


class Stopped(Exception):
    """``keep_filling`` was told to stop (in the middle of a fill: what was written stays)."""


def keep_filling(store: GraphStore, every: float, rules: RuleConfig, alive: Callable[[], bool],
                 page: Callable[[ReadyView], bytes] | None = None,
                 after: Callable[[int], None] | None = None, tick: float = 1.0) -> None:
    """``fill_views`` now, then every ``every`` seconds, until ``alive()`` says no (asked between pages of
    receipts and every ``tick`` seconds of the wait); ``after(written)`` after each fill."""
    def step(done: int, total: int) -> None:
        if not alive():
            raise Stopped

    try:
        while alive():
            written = fill_views(store, step, rules, page)
            if after is not None:
                after(written)
            until = time.monotonic() + every
            while alive() and time.monotonic() < until:
                time.sleep(min(tick, max(0.0, until - time.monotonic())))
    except Stopped:
        return


def clear_views(store: GraphStore) -> int:
    """Forget every consumer view kept in the store's file; how many."""
    return store.clear_models(READ_MODEL)


__all__ = ["clear_views", "fill_views", "keep_filling"]
