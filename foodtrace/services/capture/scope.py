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
subject). District-wide figures (the district check, the reports, complaint and supervision
lists) are not cut by area.
"""

from __future__ import annotations

from typing import Any, Iterable

from foodtrace.errors import Forbidden, detail
from foodtrace.graph.store import GraphStore


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


def require_lots_in_scope(store: GraphStore, principal: Any, codes: Iterable[str], field: str = "codes") -> None:
    outside = [c for c in codes if not lot_in_scope(store, principal, c)]
    if outside:
        raise Forbidden(f"lots outside this inspector's areas {', '.join(areas_of(principal))}: {', '.join(outside[:20])}",
                        [detail(None, field, f"{c}: its chain does not reach the areas") for c in outside[:100]])


def require_party_in_scope(store: GraphStore, principal: Any, party: str, field: str = "party") -> None:
    if party not in parties_in_scope(store, principal, [party]):
        raise Forbidden(f"party {party!r} is outside this inspector's areas {', '.join(areas_of(principal))}",
                        [detail(None, field, "outside the inspector's areas")])


__all__ = ["areas_of", "party_in_areas", "parties_in_scope", "lot_in_scope", "require_lots_in_scope",
           "require_party_in_scope"]
