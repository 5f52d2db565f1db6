"""Need to know: what a caller may read of lots, traces, exports and recalls — the one rule.

Inspector and admin keys see everything. Consumers (no key) see only the public
view (``services/tracing/consumer.py``). An operator key sees its own step, one
step up and one step down:

- **own lots**: lots its party created (the lot's origin) or held — a custody
  fact names it as holder (it made, produced, received, was issued or packed the lot);
- **one step up**: the lots its own events took in (the supplier's lot it
  received under its own new code, the inputs of its transformations). A lot it
  received under the supplier's code is an own lot as well;
- **one step down**: the lots made from its own lots by an event it took part
  in (its customers' receipt codes for what it delivered, its retail receipts)
  or by a customer it handed the lot to (what that customer made of it).

A trace shown to an operator holds only those lots, reachable from the lot
asked for along those steps; of them it shows:

- every lot: code, product, unit, who made it and when, whether unconfirmed;
- own and step-up lots: the lot's quantity, its certificates and tests (kind,
  number, issuer, result, measurements) and the inputs applied to it;
- step-down lots: the quantity only when the event that made the lot is one the
  operator took part in; only the certificates, tests and inputs its own party issued;
- custody (``holders``): the facts in which its party is the holder or the
  sender (its suppliers, its customers, its sales), and the maker's fact of each
  lot — without the maker's own sender and document unless that was the operator;
- ``made_by.document``: only for an event the operator took part in;
- edges between the lots shown, along the steps above; ``parties``: those named by what is shown.

Left out: other customers of its suppliers and what they received, anything
further up or down, other parties' delivery documents, and what anyone else
still holds. Exports (EPCIS, FSMA 204) of a lot hold the operator's own events
and the certificates, tests and input applications of its own and step-up lots.
A recall read by an operator holds only its own row (holdings, notice, confirmation).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from foodtrace.graph.store import GraphStore, Lineage, StoredEvent
from foodtrace.model.custody import Custody, custody_of
from foodtrace.model.lots import Lot
from foodtrace.model.vocab import Role
from foodtrace.services.capture.scope import lot_in_scope

ALL_SEEING = (Role.INSPECTOR, Role.ADMIN)
SHOWN_EVENTS_NEAR = ("certificate", "input_application")  # of own and step-up lots, whoever recorded them


def sees_all(principal: Any) -> bool:
    """Inspectors and admins read everything."""
    return principal is not None and principal.role in ALL_SEEING


def takes_part(ev: Any, party: str) -> bool:
    """Whether ``party`` acts in ``ev``, sends in it or receives in it."""
    return party in (ev.party, getattr(ev, "from_party", None), getattr(ev, "to_party", None))


@dataclass(frozen=True)
class View:
    """What one operator party may see of a set of lots."""

    party: str
    own: frozenset[str]
    up: frozenset[str]
    down: frozenset[str]
    edges: frozenset[tuple[str, str]]  # (input, output) pairs shown
    events: frozenset[str]  # ids of the events the party took part in
    makers: dict[str, str]  # lot -> id of the event that made it
    quantities: frozenset[str]  # lots whose quantity is shown

    @property
    def near(self) -> frozenset[str]:
        return self.own | self.up

    @property
    def lots(self) -> frozenset[str]:
        return self.own | self.up | self.down


def _maker(code: str, lot: Lot | None, events: list[StoredEvent]) -> str | None:
    if lot is not None and lot.created_by:
        return lot.created_by
    return next((se.event.event_id for se in events if code in se.event.created_codes()), None)


def operator_view(party: str, codes: Iterable[str], events: dict[str, list[StoredEvent]],
                  lots: dict[str, Lot]) -> View:
    """The view of ``party`` over ``codes``, from their events (code -> stored events) and lots."""
    codes = set(codes)
    rows: dict[str, list[Custody]] = {c: [r for se in events.get(c, []) for r in custody_of(se.event, c)]
                                      for c in codes}
    own = {c for c in codes
           if (lots.get(c) is not None and lots[c].origin_party == party) or any(r.party == party for r in rows[c])}
    customers = {c: {r.party for r in rows[c] if r.from_party == party} for c in own}
    part: set[str] = set()
    links: dict[tuple[str, str], list[Any]] = {}
    for c in codes:
        for se in events.get(c, []):
            if takes_part(se.event, party):
                part.add(se.event.event_id)
            for a, b, _ in se.event.links():
                if a in codes and b in codes:
                    links.setdefault((a, b), []).append(se.event)
    up, down, edges = set(), set(), set()
    for (a, b), evs in links.items():
        for ev in evs:
            if b in own and (a in own or takes_part(ev, party)):
                up.add(a)
                edges.add((a, b))
            elif a in own and (takes_part(ev, party) or ev.party in customers[a]):
                down.add(b)
                edges.add((a, b))
    makers = {c: m for c in codes if (m := _maker(c, lots.get(c), events.get(c, [])))}
    up -= own
    down -= own | up
    quantities = own | up | {c for c in down if makers.get(c) in part}
    return View(party, frozenset(own), frozenset(up), frozenset(down), frozenset(edges), frozenset(part), makers,
                frozenset(quantities))


def view_of(store: GraphStore, party: str, codes: Iterable[str]) -> tuple[View, dict[str, list[StoredEvent]]]:
    """The view of ``party`` over ``codes`` and the events it was made from."""
    codes = sorted(set(codes))
    events = store.lot_events(codes)
    return operator_view(party, codes, events, store.get_lots(codes)), events


def may_read_lot(store: GraphStore, principal: Any, lot: Lot) -> bool:
    """Whether the caller may read ``lot`` at all: everyone who sees all; an operator
    when the lot is its own, one step up or one step down of its own lots."""
    if sees_all(principal):
        return lot_in_scope(store, principal, lot.code)  # an inspector limited to areas: chains reaching them
    if lot.origin_party == principal.party:
        return True
    view, _ = view_of(store, principal.party, neighbours(store, lot.code))
    return lot.code in view.lots


def neighbours(store: GraphStore, code: str) -> set[str]:
    """``code`` and the lots one lineage edge away from it, either way."""
    near = {code}
    for se in store.lot_events([code]).get(code, []):
        near.update(x for a, b, _ in se.event.links() if code in (a, b) for x in (a, b))
    return near


def restrict(walk: Lineage, view: View, forward: bool) -> Lineage:
    """The lots of ``walk`` the view shows that are reachable from its root along shown edges."""
    edges = [(a, b) for a, b in walk.edges if (a, b) in view.edges and a in view.lots and b in view.lots]
    step: dict[str, list[str]] = {}
    for a, b in edges:
        src, dst = (a, b) if forward else (b, a)
        step.setdefault(src, []).append(dst)
    reached, frontier = {walk.root}, [walk.root]
    while frontier:
        frontier = [m for n in frontier for m in step.get(n, ()) if m not in reached]
        reached.update(frontier)
    return Lineage(walk.root, frozenset(reached), tuple(e for e in edges if e[0] in reached and e[1] in reached),
                   walk.truncated)


# -- cutting what is shown ---------------------------------------------------------------------


def _custody(view: View, code: str, row: Custody) -> Custody | None:
    mine = view.party in (row.party, row.from_party)
    if not mine and row.event_id != view.makers.get(code):
        return None
    if mine:
        return row
    cut: dict[str, Any] = {"from_party": None, "document": None}
    if code not in view.quantities:
        cut["quantity"] = None
    return row.model_copy(update=cut)


def cut_trace(trace: Any, view: View) -> Any:
    """A trace (``services/tracing/trace.Trace`` or a page of it) cut to what ``view`` shows."""
    me = view.party
    nodes = []
    for n in trace.lots:
        if n.code not in view.lots and n.code != trace.root:
            continue
        near = n.code in view.near
        holders = [r for r in (_custody(view, n.code, h) for h in n.holders) if r is not None]
        upd: dict[str, Any] = {"holders": holders}
        if not near:
            upd["certificates"] = [c for c in n.certificates if c.issuer == me]
            upd["tests"] = [c for c in n.tests if c.issuer == me]
            upd["inputs"] = [i for i in n.inputs if i.party == me]
        upd["events"] = [r for r in n.events if r.event_id in view.events or r.party == me
                         or (near and r.type in SHOWN_EVENTS_NEAR)
                         or (n.made_by is not None and r.event_id == n.made_by.event_id)]
        if n.code not in view.quantities:
            upd["quantity"] = None
        if n.made_by is not None and n.made_by.event_id not in view.events:
            upd["made_by"] = n.made_by.model_copy(update={"document": None})
        nodes.append(n.model_copy(update=upd))
    shown = {n.code for n in nodes}
    edges = [e for e in trace.edges if e.source in shown and e.target in shown and (e.source, e.target) in view.edges]
    named: set[str] = set()
    for n in nodes:
        named.update(p for p in (n.origin_party, n.made_by.party if n.made_by else None) if p)
        named.update(p for h in n.holders for p in (h.party, h.from_party) if p)
        named.update(c.issuer for c in n.certificates + n.tests)
        named.update(i.party for i in n.inputs)
    parties = {k: v for k, v in trace.parties.items() if k in named}
    return trace.model_copy(update={"lots": nodes, "edges": edges, "parties": parties,
                                    "gaps": [c for c in trace.gaps if c in shown]})


def keeps_event(view: View, ev: Any) -> bool:
    """Whether an export for the view's party holds ``ev``: its own events, and the
    certificates, tests and input applications of its own and step-up lots."""
    if ev.event_id in view.events or takes_part(ev, view.party):
        return True
    return ev.type in SHOWN_EVENTS_NEAR and any(c in view.near for c in ev.used_lots())


def cut_recall(report: Any, party: str) -> Any:
    """A recall report (``services/safety/recall.RecallReport``) as one holder reads it: its own
    row of the exposure, its own notice and confirmation; nobody else's holdings."""
    exp = report.exposure
    mine = [h for h in exp.holders if h.party == party]
    codes = {e.code for h in mine for e in h.lots}
    cut_exp = exp.model_copy(update={
        "holders": mine, "sources": [c for c in exp.sources if c in codes],
        "affected": [c for c in exp.affected if c in codes],
        "shares": {c: s for c, s in exp.shares.items() if c in codes}, "consumers": {}, "receipts": 0})
    return report.model_copy(update={"exposure": cut_exp, "notices": [n for n in report.notices if n.party == party],
                                     "unconfirmed": [p for p in report.unconfirmed if p == party]})


__all__ = ["View", "operator_view", "view_of", "may_read_lot", "neighbours", "restrict", "cut_trace", "keeps_event",
           "cut_recall", "sees_all", "takes_part"]
