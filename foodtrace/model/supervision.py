"""Supervision records (监督管理): what the office does about the businesses on
the chain — inspections, special campaigns, enforcement cases, training,
commitment letters, public destruction. Immutable events like the rest of
the log (``events.Event`` gathers them), each naming the parties (``subject``)
and the lots it concerns, so a lot's history leads to what was done about it.

The acting ``party`` of each is the office that records it; ``subject`` /
``subjects`` / ``attendees`` are the businesses concerned.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field, model_validator

from foodtrace.model.common import (
    AreaCode,
    Code,
    Count,
    Day,
    EventId,
    Frozen,
    NonNegativeNumber,
    PartyId,
    PositiveNumber,
    Text,
)
from foodtrace.model.event_base import LotsUsed, _Event
from foodtrace.model.vocab import (
    CaseSource,
    CaseStatus,
    DestructionReason,
    InspectionMode,
    InspectionOutcome,
    PartyKind,
    Unit,
)

MAX_EVIDENCE_LOTS = 200_000


class Inspection(LotsUsed, _Event):
    """An inspection of one business, on site or an online patrol (网上巡查),
    with its findings and outcome: no problem, a rectification notice
    (责令改正通知书) or a suspension (停业整顿)."""

    type: Literal["inspection"] = "inspection"
    office_may_capture = True
    labels = ('监督检查', 'inspection')
    inspection_id: Code
    subject: PartyId
    mode: InspectionMode = InspectionMode.ON_SITE
    inspectors: list[Text] = Field(min_length=1, max_length=20)
    outcome: InspectionOutcome
    findings: list[Text] = Field(default_factory=list, max_length=100)
    notice_number: Text | None = None  # 文书编号
    rectify_by: Day | None = None  # 整改期限
    campaign_id: Code | None = None
    lots: list[Code] = Field(default_factory=list, max_length=1000)

    @model_validator(mode="after")
    def _check(self) -> "Inspection":
        if self.outcome is not InspectionOutcome.NO_PROBLEM and not self.findings:
            raise ValueError(f"findings: a {self.outcome.value} needs at least one finding")
        if self.rectify_by is not None and self.outcome is InspectionOutcome.NO_PROBLEM:
            raise ValueError("rectify_by: no deadline when no problem was found")
        if self.rectify_by is not None and self.rectify_by < self.event_time.date():
            raise ValueError("rectify_by: the deadline is before the inspection")
        return self


class Campaign(_Event):
    """A special campaign (专项整治): a name, a period and a scope — the kinds
    of business (and optionally the areas) it covers."""

    type: Literal["campaign"] = "campaign"
    office_may_capture = True
    labels = ('专项整治', 'special campaign')
    campaign_id: Code
    name: Text
    start: Day
    end: Day
    scope_kinds: list[PartyKind] = Field(min_length=1, max_length=20)
    scope_areas: list[AreaCode] = Field(default_factory=list, max_length=100)  # empty: every area
    description: Text | None = None

    @model_validator(mode="after")
    def _period(self) -> "Campaign":
        if self.end < self.start:
            raise ValueError("end: the campaign ends before it starts")
        return self


class EvidenceTrace(Frozen):
    """One trace as the store knew it when a case was opened: the lots, the
    links among them, the events of those lots and the gaps."""

    root: Code
    direction: Literal["backward", "forward"]
    lots: list[Code] = Field(max_length=MAX_EVIDENCE_LOTS)
    edges: list[tuple[Code, Code]] = Field(default_factory=list, max_length=MAX_EVIDENCE_LOTS * 4)
    events: list[EventId] = Field(default_factory=list, max_length=MAX_EVIDENCE_LOTS * 4)
    gaps: list[Code] = Field(default_factory=list, max_length=MAX_EVIDENCE_LOTS)
    truncated: bool = False


class EnforcementCase(LotsUsed, _Event):
    """A case opened (立案) from an anomaly, a complaint, a failed test or an
    inspection, against ``subjects``. ``evidence`` holds the backward and
    forward traces of the lots involved as they stood when the case was
    opened: later events and retractions do not change it."""

    type: Literal["enforcement_case"] = "enforcement_case"
    office_may_capture = True
    labels = ('立案', 'enforcement case opened')
    omitted_when_empty: ClassVar[tuple[str, ...]] = ("summary_en",)
    case_id: Code
    subjects: list[PartyId] = Field(min_length=1, max_length=100)
    source: CaseSource
    source_refs: list[Text] = Field(default_factory=list, max_length=1000)
    summary: Text  # 案由 (as given, or made from the source in Chinese)
    summary_en: Text | None = None  # the summary made from the source, in English (none when given)
    amount_yuan: NonNegativeNumber | None = None  # 涉案金额 (value of the goods involved), when known
    lots: list[Code] = Field(default_factory=list, max_length=1000)
    evidence: list[EvidenceTrace] = Field(default_factory=list, max_length=2000)


class CaseUpdate(LotsUsed, _Event):
    """A case is closed (办结) or handed to the police (移交公安机关), with the
    amounts fined and confiscated (罚没款, yuan)."""

    type: Literal["case_update"] = "case_update"
    office_may_capture = True
    labels = ('案件进展', 'case update')
    case_id: Code
    status: CaseStatus
    lots: list[Code] = Field(default_factory=list, max_length=1000)  # the case's lots
    fine_yuan: NonNegativeNumber = 0.0
    confiscated_yuan: NonNegativeNumber = 0.0
    decision_number: Text | None = None  # 行政处罚决定书文号
    handed_to: Text | None = None  # the police unit
    note: Text | None = None

    @model_validator(mode="after")
    def _check(self) -> "CaseUpdate":
        if self.status is CaseStatus.OPENED:
            raise ValueError("status: an update closes a case or hands it to the police (closed, handed_to_police)")
        if self.status is CaseStatus.HANDED_TO_POLICE and not self.handed_to:
            raise ValueError("handed_to: name the police unit the case is handed to")
        return self


class Training(_Event):
    """A training session and the businesses that attended it."""

    type: Literal["training"] = "training"
    office_may_capture = True
    labels = ('培训', 'training')
    training_id: Code
    topic: Text
    attendees: list[PartyId] = Field(min_length=1, max_length=10_000)
    hours: PositiveNumber | None = Field(None, le=100)
    people: Count | None = Field(None, ge=0, le=1_000_000)  # 培训人次: people trained (attendees are businesses)
    campaign_id: Code | None = None


class Commitment(_Event):
    """A commitment letter (承诺书) signed by a business."""

    type: Literal["commitment"] = "commitment"
    office_may_capture = True
    labels = ('承诺书', 'commitment letter')
    commitment_id: Code
    subject: PartyId
    title: Text
    valid_until: Day | None = None
    campaign_id: Code | None = None


class Destruction(LotsUsed, _Event):
    """A public destruction (公开销毁) of expired, counterfeit or nonconforming
    goods, with their value (yuan)."""

    type: Literal["destruction"] = "destruction"
    office_may_capture = True
    labels = ('公开销毁', 'public destruction')
    destruction_id: Code
    reason: DestructionReason
    goods: Text
    value_yuan: NonNegativeNumber
    quantity: PositiveNumber | None = None
    unit: Unit | None = None
    subjects: list[PartyId] = Field(default_factory=list, max_length=1000)
    lots: list[Code] = Field(default_factory=list, max_length=1000)
    case_id: Code | None = None

    @model_validator(mode="after")
    def _unit(self) -> "Destruction":
        if self.quantity is not None and self.unit is None:
            raise ValueError("unit is required when quantity is given")
        return self


SUPERVISION_EVENTS = (Inspection, Campaign, EnforcementCase, CaseUpdate, Training, Commitment, Destruction)
SUPERVISION_TYPES = frozenset(cls.model_fields["type"].default for cls in SUPERVISION_EVENTS)

__all__ = ["Inspection", "Campaign", "EvidenceTrace", "EnforcementCase", "CaseUpdate", "Training", "Commitment",
           "Destruction", "SUPERVISION_EVENTS", "SUPERVISION_TYPES"]
