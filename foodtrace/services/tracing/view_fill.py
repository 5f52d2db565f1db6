"""Filling the consumer views kept in the store's file (``foodtrace db views``): the view of every retail
receipt — the codes on the slips shoppers scan — built and kept in the file before anyone scans it, so a
first scan is answered from the file (``consumer.persisted``; ``graph.kept_views``). Resumable: the views the
file already holds for this build are skipped. Views of other lots are kept as they are scanned."""

from __future__ import annotations

from typing import Callable

from foodtrace.graph.store import GraphStore
from foodtrace.services.safety.rules.config import RuleConfig, load_rules
from foodtrace.services.tracing.consumer import READ_MODEL, build_view, persisted, view_key
from foodtrace.services.tracing.trace import NotOwnCode

RECEIPTS = "retail_sale"  # the event that makes a receipt's lot
PAGE = 200  # receipts built and written per transaction


def fill_views(store: GraphStore, progress: Callable[[int, int], None] | None = None,
               rules: RuleConfig | None = None) -> int:
    """Keep the view of every retail receipt the store's file lacks; ``progress(done, total)`` after each
    page. How many views were written."""
    rules = rules or load_rules()
    total, done, written, after = store.lots_made_by_count(RECEIPTS), 0, 0, ""
    codes = store.lots_made_by(RECEIPTS, after, PAGE)
    while codes:
        keys = {view_key(c, rules): c for c in codes}

        def build(missing: list[str]) -> dict:
            out = {}
            for k in missing:
                try:
                    out[k] = build_view(store, keys[k], rules, own=True)
                except NotOwnCode:
                    pass  # not confirmed (cannot be for a receipt's lot): nothing to keep
            return out

        written += store.fill_models(READ_MODEL, list(keys), build, persisted())
        done += len(codes)
        if progress is not None:
            progress(min(done, total), total)
        codes = store.lots_made_by(RECEIPTS, codes[-1], PAGE)
    return written


def clear_views(store: GraphStore) -> int:
    """Forget every consumer view kept in the store's file; how many."""
    return store.clear_models(READ_MODEL)


__all__ = ["clear_views", "fill_views"]
