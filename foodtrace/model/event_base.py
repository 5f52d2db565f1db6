"""The base of every event, the lot references events carry, and an event's canonical
content (its digest and id). Families of event types (``events``, ``supervision``, ``keys``,
``entry``) extend ``_Event``; ``registry`` gathers them into the one ``Event`` union."""

from __future__ import annotations

import functools

from datetime import timezone
import hashlib
from typing import Any, ClassVar

from pydantic import TypeAdapter

from foodtrace.model.common import Code, EventId, Frozen, Gtin14, Instant, Number, PartyId, PositiveNumber, Text
from foodtrace.model.vocab import Commodity, Unit


class LotSpec(Frozen):
    """A lot an event brings into being."""

    code: Code
    product: Commodity
    quantity: PositiveNumber
    unit: Unit
    name: Text | None = None
    gtin: Gtin14 | None = None


class LotQty(Frozen):
    """An existing lot and the quantity of it an event uses or moves."""

    code: Code
    quantity: PositiveNumber
    unit: Unit


class LotUse(Frozen):
    """An existing lot, with the quantity used when it is known."""

    code: Code
    quantity: PositiveNumber | None = None
    unit: Unit | None = None


class Measurement(Frozen):
    analyte: Text
    value: Number
    limit: Number | None = None
    unit: Text | None = None


class _Event(Frozen):
    # Set on each event class: its (zh, en) label, and whether a business (an operator) may
    # capture it at all; everything else is the office's. ``registry`` reads these.
    labels: ClassVar[tuple[str, str]] = ("", "")
    operator_may_capture: ClassVar[bool] = False
    # Whether an inspector (the office's staff) may capture it, as the office (a recall confirmation:
    # for the holder it names).
    office_may_capture: ClassVar[bool] = False
    # An event that packs onto a lot that may exist already (aggregation) does not create it twice.
    adds_to_existing: ClassVar[bool] = False
    # Recorded only through its own service ("/api/v1/keys", "/api/v1/receipts"), never as a plain capture.
    own_route: ClassVar[str | None] = None

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

    def created_codes(self) -> list[str]:
        """Codes of every lot this event brings into being (a sale's receipt too)."""
        return [s.code for s in self.created_lots()]

    # The field that names a created lot, for error positions: "lots[0].code", "new_lot.code"…
    created_field: ClassVar[str] = "lots"
    created_field_is_list: ClassVar[bool] = True

    def lot_rows(self, product_of) -> list[tuple[str, dict, str]]:
        """Each lot this event creates as (code, lot fields, field path). ``product_of(code)``
        gives an existing lot's product (a receipt takes the product of the lot sold)."""
        out = []
        for i, spec in enumerate(self.created_lots()):
            fld = f"{self.created_field}[{i}].code" if self.created_field_is_list else f"{self.created_field}.code"
            fields = {"code": spec.code, "product": spec.product, "quantity": spec.quantity, "unit": spec.unit,
                      "name": spec.name, "gtin": spec.gtin}
            out.append((spec.code, fields, fld))
        return out

    def links(self) -> list[tuple[str, str, float | None]]:
        """Lineage edges (input code, output code, input quantity)."""
        return []


class LotsUsed:
    """Mixin for events whose ``lots`` field lists existing lots they concern
    (certificates, inputs, complaints, inspections…): those are its used lots."""

    lots: list[str]

    def used_lots(self) -> list[str]:
        return list(self.lots)


def canonical_content(event: _Event) -> str:
    """The event's content as canonical JSON: no id, no record time, the event
    time in UTC, fields in model order (so the order of keys in the input does
    not matter), numbers as parsed. Two captures are "the same event" exactly
    when this string is equal. ``epcis`` (the original of an imported EPCIS
    event) and the fields an event class or its mixins list in ``omitted_when_empty``
    (settlement figures, a quantity as written) are left out when empty, so ids of events without them
    do not change."""
    exclude = _NOT_CONTENT if event.epcis is not None else _NOT_CONTENT_NOR_EPCIS
    omitted = _omitted(type(event))
    if omitted:
        exclude = exclude | {f for f in omitted if getattr(event, f) is None}
    text = event.__pydantic_serializer__.to_json(event, exclude=exclude).decode()  # ``model_dump_json``'s own call
    # ``event_time`` is the first field left (every event class inherits the base's field order): put it
    # in UTC in place, as a copy of the event with its time in UTC would serialise (no model copy).
    head = '{"event_time":"'
    end = text.find('"', len(head)) if text.startswith(head) else -1
    if end < 0:  # not the layout above: the plain way
        utc_event = event.model_copy(update={"event_time": event.event_time.astimezone(timezone.utc)})
        return utc_event.model_dump_json(exclude=exclude)
    return head + _utc_text(event.event_time) + text[end:]


def _utc_text(moment) -> str:
    """An aware time in UTC as pydantic writes it (without the quotes), remembered by instant: equal
    aware times are the same instant whatever their offsets, and that is all this text depends on (a
    bulk ingest has many events of the same hour). Not a time with ``fold`` set: Python compares it equal to
    its ``fold=0`` twin of the same ``tzinfo`` (a zone's repeated hour), another instant."""
    if moment.fold:
        return _INSTANT.dump_json(moment.astimezone(timezone.utc)).decode("utf-8")[1:-1]
    text = _UTC_TEXTS.get(moment)
    if text is None:
        if len(_UTC_TEXTS) >= 4096:
            _UTC_TEXTS.clear()
        text = _UTC_TEXTS[moment] = _INSTANT.dump_json(moment.astimezone(timezone.utc)).decode("utf-8")[1:-1]
    return text


_UTC_TEXTS: dict = {}
_NOT_CONTENT = frozenset({"event_id", "record_time", "captured_by"})
_NOT_CONTENT_NOR_EPCIS = _NOT_CONTENT | {"epcis"}
_INSTANT: TypeAdapter = TypeAdapter(Instant)


@functools.cache
def _omitted(cls: type) -> frozenset[str]:
    """The fields ``cls`` and the classes it inherits from list in ``omitted_when_empty``."""
    return frozenset(f for c in cls.__mro__ for f in c.__dict__.get("omitted_when_empty", ()))


def content_hash_id(event: _Event) -> str:
    """An event id computed from the canonical content (for events sent without one)."""
    digest = hashlib.sha256(canonical_content(event).encode("utf-8")).hexdigest()
    return f"ni:///sha-256;{digest}?ver=foodtrace1"


_CLASS_HAS: dict[tuple[type, str], bool] = {}  # (event class, name) -> whether the class has it (not a field)


def optional(event: _Event, name: str) -> Any:
    """``getattr(event, name, None)`` without asking pydantic for a name its model lacks (each such miss
    formats and raises an error inside pydantic: microseconds, on hot paths several per event): a field is
    in the instance's ``__dict__``; anything else the class has (a property) is asked for as before."""
    fields = event.__dict__
    if name in fields:
        return fields[name]
    key = (type(event), name)
    has = _CLASS_HAS.get(key)
    if has is None:
        has = _CLASS_HAS[key] = hasattr(type(event), name)
    return getattr(event, name, None) if has else None


def to_json(event: _Event) -> str:
    """Serialise an event for storage (original time-zone offsets kept): ``model_dump_json(exclude_none=True)``,
    calling its serializer straight (every other option at its default, as that method passes them)."""
    return event.__pydantic_serializer__.to_json(event, exclude_none=True).decode()
