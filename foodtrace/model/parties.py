"""Parties: the businesses, labs and offices that act on lots."""

from __future__ import annotations

from pydantic import Field

from foodtrace.model.common import AreaCode, Day, Frozen, PartyId, Text
from foodtrace.model.vocab import PartyKind

# Kinds that may slaughter: anything else slaughtering is private slaughter (私屠滥宰).
SLAUGHTER_KINDS = frozenset({PartyKind.DESIGNATED_SLAUGHTERHOUSE})
RECEIVING_KINDS = frozenset(
    {
        PartyKind.SUPERMARKET,
        PartyKind.FARMERS_MARKET,
        PartyKind.WHOLESALE_MARKET,
        PartyKind.SCHOOL_CANTEEN,
        PartyKind.RESTAURANT,
    }
)


class Party(Frozen):
    id: PartyId
    name: Text
    kind: PartyKind
    area_code: AreaCode
    registered_on: Day
    joined_on: Day | None = None  # joined the traceability platform (加入追溯平台); None: not (yet)
    # Free attributes, e.g. {"transparent_kitchen": true} (明厨亮灶).
    attributes: dict[str, str | bool | int] = Field(default_factory=dict)
