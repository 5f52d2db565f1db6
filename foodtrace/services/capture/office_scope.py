"""An inspector limited to areas (``scope.py``) records the office's work only within them — checked at
the write door, so every route (the supervision pages and API, the recall workflow, the command line)
keeps to it, whatever the service before it checked.

An office record is within the areas when every business it is about (an inspection's, interview's,
sampling's or commitment's subject, a case's or destruction's subjects, a training's attendees, the
holder a confirmation is recorded for) is registered in them, every lot it names (an inspection, a
sampling, a case, a destruction, a consumption warning, a recall) has a chain that reaches them, and
every area a campaign covers lies in them — a campaign that names no area covers the whole district,
which is not such an inspector's to launch. An inspector without areas, an administrator, an API key
and the system are not limited (``areas_of`` is empty): nothing is checked for them.
"""

from __future__ import annotations

from typing import Any, Sequence

from foodtrace.graph.store import GraphStore
from foodtrace.i18n.refusals import refusal
from foodtrace.model.event_base import _Event
from foodtrace.services.capture.scope import Scope, areas_of, party_in_areas

# the fields of an office record that name businesses, and the records whose ``lots`` are checked
_PARTIES: dict[str, tuple[str, ...]] = {
    "inspection": ("subject",), "interview": ("subject",), "sampling": ("subject",), "commitment": ("subject",),
    "enforcement_case": ("subjects",), "destruction": ("subjects",), "training": ("attendees",),
    "recall_confirmation": ("party",),
}
_LOTS = frozenset({"inspection", "sampling", "enforcement_case", "destruction", "consumption_warning", "recall"})


def check_office_scope(store: GraphStore, principal: Any, events: Sequence[_Event]) -> list[dict]:
    """Every business, lot or area an area-limited inspector's records name outside its areas, as
    error details (position, field, reason); none for anyone else."""
    areas = areas_of(principal)
    if not areas:
        return []
    sc = Scope(store, principal)
    problems: list[dict] = []
    for pos, ev in enumerate(events):
        typ = getattr(ev, "type", "")
        for fld in _PARTIES.get(typ, ()):
            value = getattr(ev, fld, None)
            named = [(fld, value)] if isinstance(value, str) else [(f"{fld}[{i}]", p) for i, p in enumerate(value or ())]
            problems += [refusal(pos, f, "scope_party_not_in_areas", party=p) for f, p in named if not sc.party(p)]
        if typ in _LOTS:
            problems += [refusal(pos, f"lots[{i}]", "scope_chain_outside", code=c)
                         for i, c in enumerate(getattr(ev, "lots", None) or ()) if not sc.lot(c)]
        if typ == "campaign":
            problems += _campaign_areas(pos, ev, areas)
    return problems


def _campaign_areas(pos: int, ev: Any, areas: tuple[str, ...]) -> list[dict]:
    if not ev.scope_areas:
        return [refusal(pos, "scope_areas", "scope_campaign_whole_district", areas=", ".join(areas))]
    return [refusal(pos, f"scope_areas[{i}]", "scope_area_not_in_areas", area=a)
            for i, a in enumerate(ev.scope_areas) if not party_in_areas(areas, a)]


__all__ = ["check_office_scope"]
