"""The base of every event (kept apart from ``events`` so that families of
event types in other modules, such as ``supervision``, can extend it while
``events`` gathers them all into the one ``Event`` union)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from foodtrace.model.common import EventId, Frozen, Instant, PartyId

if TYPE_CHECKING:
    from foodtrace.model.events import LotSpec


class _Event(Frozen):
    event_id: EventId | None = None
    event_time: Instant
    record_time: Instant | None = None
    # Who captured it (set by the server, like record_time): "key:<key id>@<party>" for the API,
    # "cli" for local ingest. Not part of the event's content.
    captured_by: str | None = None
    party: PartyId
    place: PartyId | None = None
    # The EPCIS 2.0 event (JSON-LD, with an "@context" of its own prefixes) this
    # event was mapped from, kept as received; None for events captured natively.
    epcis: dict[str, Any] | None = None

    def created_lots(self) -> list[LotSpec]:
        """Lots this event brings into being."""
        return []

    def used_lots(self) -> list[str]:
        """Codes of existing lots this event refers to."""
        return []

    def links(self) -> list[tuple[str, str, float | None]]:
        """Lineage edges (input code, output code, input quantity)."""
        return []


class LotsUsed:
    """Mixin for events whose ``lots`` field lists existing lots they concern
    (certificates, inputs, complaints, inspections…): those are its used lots."""

    lots: list[str]

    def used_lots(self) -> list[str]:
        return list(self.lots)
