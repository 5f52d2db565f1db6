"""Events: the immutable facts of the log. Each one is an edge (or an
attachment) in the graph of lots.

Every event has an ``event_id`` (client-given or the canonical hash of its
content), an ``event_time`` with a time zone, a ``record_time`` set by the
server on capture, and the acting ``party``.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, timezone
from typing import Annotated, Literal, Union

from pydantic import Field, PositiveFloat, TypeAdapter, model_validator

from .common import Code, EventId, Frozen, Gtin14, Instant, KeyHash, KeyId, PartyId, ReasonCode, Text
from .parties import Party
from .vocab import CertKind, Commodity, HandoffAction, InputKind, Result, Role, TransformKind, Unit


class LotSpec(Frozen):
    """A lot an event brings into being."""

    code: Code
    product: Commodity
    quantity: PositiveFloat
    unit: Unit
    name: Text | None = None
    gtin: Gtin14 | None = None


class LotQty(Frozen):
    """An existing lot and the quantity of it an event uses or moves."""

    code: Code
    quantity: PositiveFloat
    unit: Unit


class Measurement(Frozen):
    analyte: Text
    value: float
    limit: float | None = None
    unit: Text | None = None


class _Event(Frozen):
    event_id: EventId | None = None
    event_time: Instant
    record_time: Instant | None = None
    party: PartyId
    place: PartyId | None = None

    def created_lots(self) -> list[LotSpec]:
        """Lots this event brings into being."""
        return []

    def used_lots(self) -> list[str]:
        """Codes of existing lots this event refers to."""
        return []

    def links(self) -> list[tuple[str, str, float | None]]:
        """Lineage edges (input code, output code, input quantity)."""
        return []


class PartyRegistration(_Event):
    """A party enters the district's register (主体备案)."""

    type: Literal["party_registration"] = "party_registration"
    registered: Party


class Commission(_Event):
    """Lots begin at a farm or base: raising (出栏) or harvest (采收)."""

    type: Literal["commission"] = "commission"
    activity: Literal["raising", "harvest", "production"] = "raising"
    lots: list[LotSpec] = Field(min_length=1, max_length=10_000)

    def created_lots(self) -> list[LotSpec]:
        return list(self.lots)


class InputApplication(_Event):
    """A veterinary drug or pesticide applied to lots, with its withdrawal /
    pre-harvest interval (休药期 / 安全间隔期) in days."""

    type: Literal["input_application"] = "input_application"
    lots: list[Code] = Field(min_length=1, max_length=10_000)
    input_kind: InputKind
    input_name: Text
    interval_days: int = Field(ge=0, le=3650)
    dose: Text | None = None

    def used_lots(self) -> list[str]:
        return list(self.lots)


class Transformation(_Event):
    """Slaughter, cutting, processing, mixing, repacking: inputs -> outputs."""

    type: Literal["transformation"] = "transformation"
    kind: TransformKind
    inputs: list[LotQty] = Field(min_length=1, max_length=10_000)
    outputs: list[LotSpec] = Field(min_length=1, max_length=10_000)

    @model_validator(mode="after")
    def _no_self_link(self) -> "Transformation":
        ins = {i.code for i in self.inputs}
        for o in self.outputs:
            if o.code in ins:
                raise ValueError(f"lot {o.code!r} is both an input and an output (a cycle)")
        return self

    def created_lots(self) -> list[LotSpec]:
        return list(self.outputs)

    def used_lots(self) -> list[str]:
        return [i.code for i in self.inputs]

    def links(self) -> list[tuple[str, str, float | None]]:
        return [(i.code, o.code, i.quantity) for i in self.inputs for o in self.outputs]


class Handoff(_Event):
    """A lot passes between two parties. ``new_lot`` is the trace code the
    receiver issues (a wholesale voucher 批发凭证 or a retail lot)."""

    type: Literal["handoff"] = "handoff"
    action: HandoffAction = HandoffAction.RECEIVE
    from_party: PartyId
    to_party: PartyId
    lot: LotQty
    document: Text | None = None
    new_lot: LotSpec | None = None

    @model_validator(mode="after")
    def _check(self) -> "Handoff":
        if self.from_party == self.to_party:
            raise ValueError("from_party and to_party must differ")
        if self.new_lot is not None and self.new_lot.code == self.lot.code:
            raise ValueError("new_lot.code must differ from lot.code")
        return self

    def created_lots(self) -> list[LotSpec]:
        return [self.new_lot] if self.new_lot else []

    def used_lots(self) -> list[str]:
        return [self.lot.code]

    def links(self) -> list[tuple[str, str, float | None]]:
        if self.new_lot:
            return [(self.lot.code, self.new_lot.code, self.lot.quantity)]
        return []


class Certificate(_Event):
    """A certificate or a test covering lots: quarantine, meat quality,
    compliance (承诺达标合格证), clenbuterol, pesticide rapid test, lab test."""

    type: Literal["certificate"] = "certificate"
    kind: CertKind
    number: Text
    issuer: PartyId
    result: Result = Result.PASS
    lots: list[Code] = Field(min_length=1, max_length=10_000)
    quantity: PositiveFloat | None = None
    unit: Unit | None = None
    measurements: list[Measurement] = Field(default_factory=list, max_length=200)
    valid_until: date | None = None

    @model_validator(mode="after")
    def _unit(self) -> "Certificate":
        if self.quantity is not None and self.unit is None:
            raise ValueError("unit is required when quantity is given")
        return self

    def used_lots(self) -> list[str]:
        return list(self.lots)


class RetailSale(_Event):
    """A sale to a consumer; the receipt code (小票追溯码) becomes a lot of its own."""

    type: Literal["retail_sale"] = "retail_sale"
    lot: LotQty
    receipt: Code

    @model_validator(mode="after")
    def _check(self) -> "RetailSale":
        if self.receipt == self.lot.code:
            raise ValueError("receipt must differ from lot.code")
        return self

    def used_lots(self) -> list[str]:
        return [self.lot.code]

    def receipt_lot(self, product: Commodity | None) -> dict:
        """The receipt as a lot; its product is the sold lot's."""
        return {"code": self.receipt, "product": product, "quantity": self.lot.quantity, "unit": self.lot.unit}

    def links(self) -> list[tuple[str, str, float | None]]:
        return [(self.lot.code, self.receipt, self.lot.quantity)]


class ErrorDeclaration(_Event):
    """Retracts earlier events (EPCIS 2.0 errorDeclaration). Nothing is deleted."""

    type: Literal["error_declaration"] = "error_declaration"
    retracts: list[EventId] = Field(min_length=1, max_length=1000)
    reason: Text
    corrective_event_ids: list[EventId] = Field(default_factory=list, max_length=1000)


class ApiKeyIssued(_Event):
    """An API key was issued to ``holder`` with ``role``. Carries only the
    SHA-256 digest of the key (hex) — never the key itself. ``party`` is the
    party that issued it (the admin's, or the holder's at the command line)."""

    type: Literal["api_key_issued"] = "api_key_issued"
    key_id: KeyId
    key_hash: KeyHash
    holder: PartyId
    role: Role
    label: Text | None = None


class ApiKeyRevoked(_Event):
    """An API key stops working from now on."""

    type: Literal["api_key_revoked"] = "api_key_revoked"
    key_id: KeyId
    reason: Text | None = None


class RefusalReason(Frozen):
    """Why a lot was refused, in Chinese and English."""

    code: ReasonCode
    zh: Text
    en: Text


class EntryRefusal(_Event):
    """A receiver (``party``: a market, supermarket or canteen) refused a lot at
    market entry (市场准入), with every reason. ``presented`` is the code or QR
    link it was shown; ``lot`` the lot that names, when known."""

    type: Literal["entry_refusal"] = "entry_refusal"
    presented: Code
    lot: Code | None = None
    from_party: PartyId | None = None
    quantity: PositiveFloat
    unit: Unit
    document: Text | None = None
    reasons: list[RefusalReason] = Field(min_length=1, max_length=100)

    def used_lots(self) -> list[str]:
        return [self.lot] if self.lot else []


Event = Annotated[
    Union[
        PartyRegistration,
        Commission,
        InputApplication,
        Transformation,
        Handoff,
        Certificate,
        RetailSale,
        ErrorDeclaration,
        ApiKeyIssued,
        ApiKeyRevoked,
        EntryRefusal,
    ],
    Field(discriminator="type"),
]

EVENT_ADAPTER: TypeAdapter[Event] = TypeAdapter(Event)
EVENT_TYPES = {
    cls.model_fields["type"].default: cls
    for cls in (
        PartyRegistration,
        Commission,
        InputApplication,
        Transformation,
        Handoff,
        Certificate,
        RetailSale,
        ErrorDeclaration,
        ApiKeyIssued,
        ApiKeyRevoked,
        EntryRefusal,
    )
}


def canonical_content(event: _Event) -> str:
    """The event's content as canonical JSON: no id, no record time, times in
    UTC, keys sorted, no defaults left implicit. Two captures are "the same
    event" exactly when this string is equal."""
    data = event.model_dump(mode="python", exclude={"event_id", "record_time"})
    data["event_time"] = event.event_time.astimezone(timezone.utc)
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_json_default)


def _json_default(obj):
    if isinstance(obj, datetime):
        return obj.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
    if isinstance(obj, date):
        return obj.isoformat()
    if hasattr(obj, "value"):
        return obj.value
    raise TypeError(f"not JSON: {type(obj).__name__}")


def content_hash_id(event: _Event) -> str:
    """An event id computed from the canonical content (for events sent without one)."""
    digest = hashlib.sha256(canonical_content(event).encode("utf-8")).hexdigest()
    return f"ni:///sha-256;{digest}?ver=foodtrace1"


def to_json(event: _Event) -> str:
    """Serialise an event for storage (original time-zone offsets kept)."""
    return event.model_dump_json(exclude_none=True)


def from_json(text: str) -> _Event:
    return EVENT_ADAPTER.validate_json(text)
