"""Lots, traces and search as the HTTP API serves them: access checked, large
traces paged.

Paging: the store walks the whole lineage (bounded by ``max_lots``); its lots
are ordered by (depth, code) and a page builds the details (events, holders,
certificates, tests) of its own lots only. Each page carries the edges *into*
its lots (parent -> lot), so the pages together hold every edge once.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from foodtrace.graph.store import GraphStore, Lineage
from foodtrace.services.tracing.exports import lot_epcis, lot_fsma
from foodtrace.model.lots import Lot
from foodtrace.model.parties import Party
from foodtrace.services.capture.access import Action, Principal, require, require_lot_read
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
    return lot


def trace_page(store: GraphStore, principal: Principal | None, code: str, direction: Literal["backward", "forward"],
               offset: int = 0, limit: int | None = None, max_lots: int | None = None) -> TracePage:
    """One page of a backward or forward trace of ``code``."""
    lot = read_lot(store, principal, code)
    forward = direction == "forward"
    walk = (store.forward if forward else store.backward)(lot.code, max_lots)
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
        for node in tr.lots:
            node.depth = depth.get(node.code, 0)
        tr.lots.sort(key=lambda n: (n.depth, n.code))
    fields = {**dict(tr), "truncated": walk.truncated or nxt is not None}
    return TracePage(**fields, total=len(order), offset=offset, next_offset=nxt)


def search(store: GraphStore, principal: Principal | None, text: str, limit: int = 20) -> SearchResult:
    require(principal, Action.SEARCH)
    hits = store.search(text.strip(), limit)
    return SearchResult(lots=hits.lots, parties=hits.parties)


def lot_as_epcis(store: GraphStore, principal: Principal | None, code: str) -> dict:
    """The lot's trace as an EPCIS 2.0 document, for a key that may read the lot."""
    read_lot(store, principal, code)
    return lot_epcis(store, code)


def lot_as_fsma_xlsx(store: GraphStore, principal: Principal | None, code: str) -> bytes:
    """The FSMA 204 sortable spreadsheet of the lot, for a key that may read it."""
    read_lot(store, principal, code)
    return lot_fsma(store, code, "xlsx")
