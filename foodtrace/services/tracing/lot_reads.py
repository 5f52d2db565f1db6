"""Lots, traces and search as the HTTP API serves them: access checked, large
traces paged.

An operator sees its own step, one step up and one step down
(``services/capture/visibility.py``): its trace is cut to those lots before paging.

Paging: the store walks the whole lineage (bounded by ``max_lots``); its lots
are ordered by (depth, code) and a page builds the details (events, holders,
certificates, tests) of its own lots only. Each page carries the edges *into*
its lots (parent -> lot), so the pages together hold every edge once.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

from pydantic import BaseModel

from foodtrace.graph.store import GraphStore, Lineage
from foodtrace.ingest.fsma import write_fsma
from foodtrace.services.tracing.exports import lot_epcis, lot_fsma_rows
from foodtrace.model.lots import Lot
from foodtrace.model.parties import Party
from foodtrace.services.capture.access import Action, Principal, require, require_lot_read
from foodtrace.services.capture.scope import areas_of, lot_in_scope, parties_in_scope
from foodtrace.services.capture.visibility import (View, cut_trace, keeps_event, neighbours, restrict, sees_all,
                                                   view_of)
from foodtrace.services.tracing.identifiers import resolve
from foodtrace.services.tracing.trace import Trace, _depths, build_trace


class TracePage(Trace):
    total: int  # lots the whole trace holds
    offset: int = 0
    next_offset: int | None = None  # where the next page starts; None on the last


class SearchResult(BaseModel):
    lots: list[Lot]
    parties: list[Party]


def read_lot(store: GraphStore, principal: Principal | None, code: str) -> Lot:
    who = require(principal, Action.READ_LOT)
    lot = resolve(store, code)
    require_lot_read(store, who, lot)
    if not sees_all(who) and lot.code not in view_of(store, who.party, neighbours(store, lot.code))[0].quantities:
        return lot.model_copy(update={"quantity": None})  # a customer's own lot: its size is not shown
    return lot


def trace_page(store: GraphStore, principal: Principal | None, code: str, direction: Literal["backward", "forward"],
               offset: int = 0, limit: int | None = None, max_lots: int | None = None) -> TracePage:
    """One page of a backward or forward trace of ``code``."""
    lot = read_lot(store, principal, code)
    forward = direction == "forward"
    walk = (store.forward if forward else store.backward)(lot.code, max_lots)
    view = None
    if not sees_all(principal):
        assert principal is not None  # read_lot let it through
        view = view_of(store, principal.party, set(walk.lots) | neighbours(store, lot.code))[0]
        walk = restrict(walk, view, forward)
    depth = _depths(walk, forward)
    order = sorted(walk.lots, key=lambda c: (depth.get(c, 0), c))
    page = order[offset: offset + limit] if limit is not None else order[offset:]
    end = offset + len(page)
    nxt = end if end < len(order) else None
    if len(page) == len(order):
        tr = build_trace(store, walk, direction)
    else:
        members = frozenset(page)
        tr = build_trace(store, Lineage(walk.root, members, tuple(e for e in walk.edges if e[1] in members),
                                        walk.truncated), direction)
        lots = [n.model_copy(update={"depth": depth.get(n.code, 0)}) for n in tr.lots]  # kept traces are shared
        tr = tr.model_copy(update={"lots": sorted(lots, key=lambda n: (n.depth, n.code))})
    if view is not None:
        tr = cut_trace(tr, view)
    fields = {**dict(tr), "truncated": walk.truncated or nxt is not None}
    return TracePage(**fields, total=len(order), offset=offset, next_offset=nxt)


def search(store: GraphStore, principal: Principal | None, text: str, limit: int = 20) -> SearchResult:
    who = require(principal, Action.SEARCH)
    hits = store.search(text.strip(), limit)
    if not areas_of(who):
        return SearchResult(lots=hits.lots, parties=hits.parties)
    near = parties_in_scope(store, who, [p.id for p in hits.parties])
    return SearchResult(lots=[lot for lot in hits.lots if lot_in_scope(store, who, lot.code)],
                        parties=[p for p in hits.parties if p.id in near])


def lot_as_epcis(store: GraphStore, principal: Principal | None, code: str) -> dict:
    """The lot's trace as an EPCIS 2.0 document, for a key that may read the lot."""
    lot = read_lot(store, principal, code)
    view = _export_view(store, principal, lot)
    if view is None:
        return lot_epcis(store, code)
    return lot_epcis(store, code, codes=view.lots, keep=lambda ev: keeps_event(view, ev))


def lot_as_fsma_xlsx(store: GraphStore, principal: Principal | None, code: str) -> bytes:
    """The FSMA 204 sortable spreadsheet of the lot, for a key that may read it (an operator:
    the critical tracking events it took part in, of the lots it may see)."""
    lot = read_lot(store, principal, code)
    view = _export_view(store, principal, lot)
    rows = lot_fsma_rows(store, code)
    if view is not None:
        rows = [r for r in rows if r["Event ID"] in view.events and r["Traceability Lot Code"] in view.lots]
    return write_fsma(rows, "xlsx")


def _export_view(store: GraphStore, principal: Principal | None, lot: Lot) -> View | None:
    """None for a caller who sees all; else the operator's view of the lots linked to ``lot``,
    cut to those reachable along the steps it may see."""
    if sees_all(principal):
        return None
    assert principal is not None  # read_lot let it through
    back, fwd = store.backward(lot.code), store.forward(lot.code)
    view, _ = view_of(store, principal.party, set(back.lots) | set(fwd.lots) | neighbours(store, lot.code))
    reach = restrict(back, view, False).lots | restrict(fwd, view, True).lots
    return replace(view, own=view.own & reach, up=view.up & reach, down=view.down & reach)
