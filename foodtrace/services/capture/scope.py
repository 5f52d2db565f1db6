"""Where an inspector acts: the areas its account names (``Principal.areas``) — the one rule.

- An inspector without areas (and every admin, every API key) acts in the whole district.
- An **area** is a GB/T 2260 code or a prefix of one: ``3301`` covers every county of the city,
  ``330106`` one county. A **party is in the areas** when its registered ``area_code`` starts
  with one of them.
- A **lot is in the areas** when its chain reaches them: the lot itself, or any lot its backward
  trace (where it came from) or its forward trace (where it went) holds, was made or held (custody:
  made, received, issued, sold, packed) by a party in the areas. An inspector of a station thus
  reads a pork lot sold in its market together with the farm and slaughterhouse upstream, wherever
  they are, but not a lot whose whole chain lies elsewhere.

Applied by ``access.py`` and ``visibility.py`` to: reading a lot, its traces and exports
(``may_read_lot``), the console's graph and CSV, reading a party, searching (hits outside the
areas are left out), starting a recall (every lot named) and recording an inspection (its
subject). ``Scope`` (``scope_of``) cuts what an inspector with areas reads beyond one lot, through
the office service (``safety/office.py``): the district check (an anomaly stays when its lot's
chain, the party held responsible or a party it reached is in the areas), the complaints (their
lots' chains), a recall (its lots), an investigation (its problem lots), and the district report
and its supervision figures, which count only the events of the areas (``Scope.event``). The write
door keeps every office record such an inspector makes within its areas (``office_scope.py``).
"""

from __future__ import annotations

from typing import Any, Iterable

from foodtrace.errors import Forbidden
from foodtrace.graph.store import GraphStore
from foodtrace.i18n.keyed import keyed
from foodtrace.i18n.refusals import refusal


def areas_of(principal: Any) -> tuple[str, ...]:
    """The areas ``principal`` is limited to; empty: none (the whole district)."""
    return tuple(getattr(principal, "areas", ()) or ())


def party_in_areas(areas: tuple[str, ...], area_code: str | None) -> bool:
    return not areas or (area_code is not None and any(area_code.startswith(a) for a in areas))


def parties_in_scope(store: GraphStore, principal: Any, party_ids: Iterable[str]) -> set[str]:
    """Those of ``party_ids`` registered in ``principal``'s areas (all of them when it has none)."""
    ids = set(party_ids)
    areas = areas_of(principal)
    if not areas:
        return ids
    return {pid for pid, p in store.get_parties(sorted(ids)).items() if party_in_areas(areas, p.area_code)}


def lot_in_scope(store: GraphStore, principal: Any, code: str) -> bool:
    """Whether the chain of lot ``code`` reaches ``principal``'s areas (always, without areas)."""
    if not areas_of(principal):
        return True
    codes = {code} | set(store.backward(code).lots) | set(store.forward(code).lots)
    parties = {lot.origin_party for lot in store.get_lots(sorted(codes)).values() if lot.origin_party}
    for facts in store.holders(sorted(codes)).values():
        parties.update(c.party for c in facts)
    return bool(parties_in_scope(store, principal, parties))


# fields of an event that name a party (its author, both ends of a handoff, an inspection's subject…)
_PARTY_FIELDS = ("party", "from_party", "to_party", "subject", "issuer", "holder")
_LOT_RECORDS = frozenset({"complaint", "recall", "enforcement_case"})  # office records about lots
_FOLLOW_UPS = {"complaint_acceptance": "complaint_id", "complaint_link": "complaint_id",
               "complaint_closure": "complaint_id", "case_update": "case_id"}


class Scope:
    """What one reader sees of the district: everything (``whole``: no areas), or what reaches its
    areas. Answers are cached: one Scope serves one request."""

    def __init__(self, store: GraphStore, principal: Any) -> None:
        self.store, self.areas = store, areas_of(principal)
        self._parties: dict[str, bool] = {}
        self._lots: dict[str, bool] = {}
        self._kept: set[str] = set()  # complaints and cases kept by ``event``, for their follow-ups

    @property
    def whole(self) -> bool:
        return not self.areas

    def party(self, pid: str | None) -> bool:
        if self.whole:
            return True
        if not pid:
            return False
        if pid not in self._parties:
            self._parties[pid] = bool(parties_in_scope(self.store, self, [pid]))
        return self._parties[pid]

    def lot(self, code: str | None) -> bool:
        if self.whole:
            return True
        if not code:
            return False
        if code not in self._lots:
            self._lots[code] = lot_in_scope(self.store, self, code)
        return self._lots[code]

    def any_lot(self, codes: Iterable[str]) -> bool:
        return self.whole or any(self.lot(c) for c in codes)

    def finding(self, lot: str | None, party: str | None, reached: Iterable[str] = ()) -> bool:
        """An anomaly: its responsible party, a party its lots reached, or its lot's chain is in the areas."""
        return self.whole or self.party(party) or any(self.party(p) for p in reached) or self.lot(lot)

    def event(self, ev: Any) -> bool:
        """Whether an event of the log counts for this reader's figures: a party it names (author, either
        end, subject, a registered party) is in the areas, or — an office record about lots (complaint,
        recall, case) — one of its lots' chains reaches them; a follow-up goes with its record."""
        if self.whole:
            return True
        typ = getattr(ev, "type", "")
        if typ in _FOLLOW_UPS:
            return getattr(ev, _FOLLOW_UPS[typ], None) in self._kept
        if typ == "party_registration":
            return party_in_areas(self.areas, ev.registered.area_code)
        if typ in _LOT_RECORDS:
            keep = self.any_lot(getattr(ev, "lots", None) or ()) or self.party(getattr(ev, "subject", None))
            if keep:
                self._kept.add(getattr(ev, "complaint_id", None) or getattr(ev, "case_id", None) or "")
            return keep
        named = [getattr(ev, f, None) for f in _PARTY_FIELDS if typ not in _OFFICE_AUTHORED or f != "party"]
        return any(self.party(p) for p in named if isinstance(p, str)) or \
            any(self.party(p) for p in getattr(ev, "attendees", None) or () if isinstance(p, str))


# office records whose author (``party``) is the office itself: they count by what they are about
_OFFICE_AUTHORED = frozenset({"inspection", "training", "commitment", "destruction", "campaign", "sampling",
                              "publicity", "interview", "incident", "consumption_warning"})


def scope_of(store: GraphStore, principal: Any) -> Scope:
    """The one way a read is cut by an inspector's areas (the whole district for everyone else)."""
    return Scope(store, principal)


def require_lots_in_scope(store: GraphStore, principal: Any, codes: Iterable[str], field: str = "codes") -> None:
    outside = [c for c in codes if not lot_in_scope(store, principal, c)]
    if outside:
        raise keyed(Forbidden, "scope_lots_outside", [refusal(None, field, "scope_chain_outside", code=c) for c in outside[:100]],
                    areas=", ".join(areas_of(principal)), codes=", ".join(outside[:20]))


def require_party_in_scope(store: GraphStore, principal: Any, party: str, field: str = "party") -> None:
    if party not in parties_in_scope(store, principal, [party]):
        raise keyed(Forbidden, "scope_party_outside", [refusal(None, field, "scope_outside")], party=party,
                    areas=", ".join(areas_of(principal)))


def require_record_in_scope(store: GraphStore, principal: Any, parties: Iterable[str] = (), lots: Iterable[str] = (),
                            party_field: str = "subjects", lot_field: str = "lots") -> None:
    """A record the office makes about businesses and lots (a case, a commitment, a training, a destruction):
    an inspector with areas makes it only when every business it names is in them and every lot's chain
    reaches them."""
    if not areas_of(principal):
        return
    for party in dict.fromkeys(parties):
        require_party_in_scope(store, principal, party, party_field)
    require_lots_in_scope(store, principal, list(dict.fromkeys(lots)), lot_field)


__all__ = ["Scope", "scope_of", "areas_of", "party_in_areas", "parties_in_scope", "lot_in_scope", "require_lots_in_scope",
           "require_party_in_scope", "require_record_in_scope"]
