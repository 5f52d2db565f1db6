"""Events: the immutable facts of the log. Each one is an edge (or an
attachment) in the graph of lots.

Every event has an ``event_id`` (client-given or the canonical hash of its
content), an ``event_time`` with a time zone, a ``record_time`` set by the
server on capture, and the acting ``party``.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field, model_validator

from foodtrace.model.common import Code, Count, Day, EventId, Number, PartyId, PositiveNumber, Text
from foodtrace.model.declared import DeclaresQuantity
from foodtrace.model.event_base import LotQty, LotSpec, LotsUsed, LotUse, Measurement, _Event
from foodtrace.model.parties import Party
from foodtrace.model.settlement import Priced
from foodtrace.model.vocab import (
    CertKind,
    ComplaintChannel,
    HandoffAction,
    InputKind,
    RecallTrigger,
    Result,
    TransformKind,
    Unit,
)


class PartyRegistration(_Event):
    """A party enters the district's register (主体备案)."""

    type: Literal["party_registration"] = "party_registration"
    labels = ('主体备案', 'party registration')
    registered: Party


class Commission(_Event):
    """Lots begin at a farm or base: raising (出栏) or harvest (采收)."""

    type: Literal["commission"] = "commission"
    labels = ('产出', 'commissioned')
    operator_may_capture = True
    activity: Literal["raising", "harvest", "production"] = "raising"
    lots: list[LotSpec] = Field(min_length=1, max_length=10_000)

    def created_lots(self) -> list[LotSpec]:
        return list(self.lots)


class InputApplication(LotsUsed, _Event):
    """A veterinary drug or pesticide applied to lots, with its withdrawal /
    pre-harvest interval (休药期 / 安全间隔期) in days."""

    type: Literal["input_application"] = "input_application"
    labels = ('投入品使用', 'input applied')
    operator_may_capture = True
    lots: list[Code] = Field(min_length=1, max_length=10_000)
    input_kind: InputKind
    input_name: Text
    interval_days: Count = Field(ge=0, le=3650)
    dose: Text | None = None


class Transformation(_Event):
    """Slaughter, cutting, processing, mixing, repacking: inputs -> outputs."""

    type: Literal["transformation"] = "transformation"
    labels = ('加工转化', 'transformation')
    operator_may_capture = True
    created_field = "outputs"
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


class Handoff(Priced, DeclaresQuantity, _Event):
    """A lot passes between two parties. ``new_lot`` is the trace code the
    receiver issues (a wholesale voucher 批发凭证 or a retail lot). ``unit_price``, ``amount`` and
    ``currency`` (``model.settlement``) are the trade's settlement figures, when known; ``declared``
    the quantity as written (``model.declared``)."""

    type: Literal["handoff"] = "handoff"
    labels = ('交接', 'handoff')
    operator_may_capture = True
    created_field = "new_lot"
    created_field_is_list = False
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


class Certificate(LotsUsed, DeclaresQuantity, _Event):
    """A certificate or a test covering lots: quarantine, meat quality,
    compliance (承诺达标合格证), clenbuterol, pesticide rapid test, lab test."""

    type: Literal["certificate"] = "certificate"
    office_may_capture = True
    labels = ('证明与检测', 'certificate or test')
    operator_may_capture = True
    kind: CertKind
    number: Text
    issuer: PartyId
    result: Result = Result.PASS
    lots: list[Code] = Field(min_length=1, max_length=10_000)
    quantity: PositiveNumber | None = None
    unit: Unit | None = None
    measurements: list[Measurement] = Field(default_factory=list, max_length=200)
    valid_until: Day | None = None
    sampled: Count | None = Field(None, ge=1, le=1_000_000)  # animals or items sampled (抽检数量), when not all

    @model_validator(mode="after")
    def _unit(self) -> "Certificate":
        if self.quantity is not None and self.unit is None:
            raise ValueError("unit is required when quantity is given")
        return self


class RetailSale(Priced, DeclaresQuantity, _Event):
    """A sale to a consumer; the receipt code (小票追溯码) becomes a lot of its own. It may carry the
    settlement figures (``model.settlement``)."""

    type: Literal["retail_sale"] = "retail_sale"
    labels = ('零售', 'retail sale')
    operator_may_capture = True
    lot: LotQty
    receipt: Code

    @model_validator(mode="after")
    def _check(self) -> "RetailSale":
        if self.receipt == self.lot.code:
            raise ValueError("receipt must differ from lot.code")
        return self

    def used_lots(self) -> list[str]:
        return [self.lot.code]

    def created_codes(self) -> list[str]:
        return [self.receipt]

    def lot_rows(self, product_of) -> list[tuple[str, dict, str]]:
        """The receipt as a lot; its product is the sold lot's."""
        fields = {"code": self.receipt, "product": product_of(self.lot.code), "quantity": self.lot.quantity,
                  "unit": self.lot.unit}
        return [(self.receipt, fields, "receipt")]

    def links(self) -> list[tuple[str, str, float | None]]:
        return [(self.lot.code, self.receipt, self.lot.quantity)]


class ErrorDeclaration(_Event):
    """Retracts earlier events (EPCIS 2.0 errorDeclaration). Nothing is deleted."""

    type: Literal["error_declaration"] = "error_declaration"
    office_may_capture = True
    labels = ('更正声明', 'error declaration')
    operator_may_capture = True
    retracts: list[EventId] = Field(min_length=1, max_length=1000)
    reason: Text
    corrective_event_ids: list[EventId] = Field(default_factory=list, max_length=1000)


class Aggregation(_Event):
    """Lots packed onto (``pack``) or taken off (``unpack``) a pallet, case or
    container — EPCIS AggregationEvent ADD / DELETE. The pallet is a lot of its
    own (its code is usually an SSCC).

    Packing links each child lot -> the pallet, so a backward trace of the
    pallet, or of anything received or made from it, reaches its contents, and
    a forward trace of a content lot reaches the pallet and beyond. The first
    packing onto a pallet creates the pallet lot (``parent_lot``); later ones
    add to it. Unpacking adds no link: the contents keep their own codes, which
    already lead to the pallet, and a link back would close a cycle — it
    records where and when the pallet was broken down (custody)."""

    type: Literal["aggregation"] = "aggregation"
    labels = ('装箱组托', 'packing')
    operator_may_capture = True
    created_field = "parent_lot"
    created_field_is_list = False
    adds_to_existing = True
    action: Literal["pack", "unpack"] = "pack"
    parent: Code
    parent_lot: LotSpec | None = None
    children: list[LotUse] = Field(default_factory=list, max_length=10_000)

    @model_validator(mode="after")
    def _check(self) -> "Aggregation":
        if self.action == "pack":
            if not self.children:
                raise ValueError("packing needs at least one child lot")
            if self.parent_lot is None:
                raise ValueError("parent_lot (the pallet as a lot: product, quantity, unit) is required for packing")
        if self.parent_lot is not None and self.parent_lot.code != self.parent:
            raise ValueError("parent_lot.code must equal parent")
        if any(c.code == self.parent for c in self.children):
            raise ValueError(f"lot {self.parent!r} cannot contain itself (a cycle)")
        return self

    def created_lots(self) -> list[LotSpec]:
        return [self.parent_lot] if self.action == "pack" and self.parent_lot else []

    def used_lots(self) -> list[str]:
        codes = [c.code for c in self.children]
        return codes + [self.parent] if self.action == "unpack" else codes

    def links(self) -> list[tuple[str, str, float | None]]:
        if self.action != "pack":
            return []
        return [(c.code, self.parent, c.quantity) for c in self.children]


class EpcisRecord(LotsUsed, _Event):
    """An EPCIS event describing nothing this engine traces (an observation
    without a change of custody, sensor readings, an association of assets, a
    decommissioning…). It is stored as received (``epcis``), listed in the
    history of the lots it names and exported again, but links nothing;
    ``reason`` says why."""

    type: Literal["epcis_record"] = "epcis_record"
    labels = ('EPCIS 记录（仅存档）', 'EPCIS record (stored, not traced)')
    operator_may_capture = True
    epcis_type: Text
    biz_step: Text | None = None
    lots: list[Code] = Field(default_factory=list, max_length=10_000)
    reason: Text


# -- cases: recalls and complaints (records of the office's work, in the same log) --


class Recall(_Event):
    """A recall (召回) started by an inspector or from a failed test. ``lots``
    are the bad lots it starts from; ``affected`` every downstream lot and
    ``holders`` every holder found when it started (the lots it marks recalled)."""

    type: Literal["recall"] = "recall"
    office_may_capture = True
    labels = ('召回', 'recall')
    omitted_when_empty: ClassVar[tuple[str, ...]] = ("reason_en",)
    recall_id: Code
    lots: list[Code] = Field(min_length=1, max_length=1000)
    reason: Text  # as the inspector gave it, or made from the failed test in Chinese
    reason_en: Text | None = None  # the reason made from the failed test, in English (none when given)
    trigger: RecallTrigger = RecallTrigger.INSPECTOR
    trigger_events: list[EventId] = Field(default_factory=list, max_length=1000)
    affected: list[Code] = Field(default_factory=list, max_length=200_000)
    holders: list[PartyId] = Field(default_factory=list, max_length=20_000)

    def used_lots(self) -> list[str]:
        return list(dict.fromkeys([*self.lots, *self.affected]))


class RecallConfirmation(LotsUsed, _Event):
    """A holder (the acting ``party``) confirms it has acted on a recall notice."""

    type: Literal["recall_confirmation"] = "recall_confirmation"
    office_may_capture = True
    labels = ('召回确认', 'recall confirmation')
    operator_may_capture = True
    recall_id: Code
    lots: list[Code] = Field(default_factory=list, max_length=10_000)  # the holder's affected lots
    quantity_removed: Number | None = Field(None, ge=0)
    unit: Unit | None = None
    note: Text | None = None


class Complaint(LotsUsed, _Event):
    """A complaint or report (投诉举报) about lots."""

    type: Literal["complaint"] = "complaint"
    office_may_capture = True
    labels = ('投诉举报', 'complaint')
    complaint_id: Code
    lots: list[Code] = Field(min_length=1, max_length=1000)
    description: Text
    channel: ComplaintChannel = ComplaintChannel.HOTLINE
    complainant: Text | None = None  # contact, for the office only


class ComplaintAcceptance(LotsUsed, _Event):
    """An inspector accepts (受理) a complaint: it has been screened and is to be handled. Only an
    accepted complaint counts against a business in the risk ranking; one closed without being
    accepted (不予受理) never does."""

    type: Literal["complaint_acceptance"] = "complaint_acceptance"
    labels = ("投诉受理", "complaint accepted")
    office_may_capture = True
    complaint_id: Code
    lots: list[Code] = Field(default_factory=list, max_length=1000)  # the complaint's lots
    note: Text | None = None


class ComplaintLink(LotsUsed, _Event):
    """An inspector links a complaint to a recall and/or an investigation case."""

    type: Literal["complaint_link"] = "complaint_link"
    office_may_capture = True
    labels = ('投诉关联', 'complaint link')
    complaint_id: Code
    lots: list[Code] = Field(default_factory=list, max_length=1000)  # the complaint's lots
    recall_id: Code | None = None
    case: Text | None = None

    @model_validator(mode="after")
    def _some_link(self) -> "ComplaintLink":
        if self.recall_id is None and self.case is None:
            raise ValueError("give recall_id or case (or both)")
        return self


class ComplaintClosure(LotsUsed, _Event):
    """A complaint is closed (办结) with its resolution."""

    type: Literal["complaint_closure"] = "complaint_closure"
    office_may_capture = True
    labels = ('投诉办结', 'complaint closed')
    complaint_id: Code
    lots: list[Code] = Field(default_factory=list, max_length=1000)  # the complaint's lots
    resolution: Text
