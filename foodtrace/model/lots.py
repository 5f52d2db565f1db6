"""Lots: the nodes of the lineage graph, each with its trace code (追溯码)."""

from __future__ import annotations

from datetime import datetime

from foodtrace.model.common import Code, EventId, Frozen, Gtin14, PartyId
from foodtrace.model.vocab import Commodity, Unit


class Lot(Frozen):
    """A lot as the store knows it.

    ``unconfirmed`` is true for a placeholder: a lot that events refer to but
    whose own creating event has not arrived (or was retracted).
    """

    code: Code
    product: Commodity | None = None
    quantity: float | None = None
    unit: Unit | None = None
    name: str | None = None
    gtin: Gtin14 | None = None
    origin_party: PartyId | None = None
    created_at: datetime | None = None
    created_by: EventId | None = None
    unconfirmed: bool = False
