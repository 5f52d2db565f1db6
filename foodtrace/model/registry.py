"""The one registry of event classes. Adding an event type means adding its class here;
the ``Event`` union, the type names, what a business may capture and the zh/en labels of
the types are all derived from this list (each class says its ``labels`` and whether
``operator_may_capture``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Union

from pydantic import Field, TypeAdapter

from foodtrace.model.entry import EntryRefusal
from foodtrace.model.event_base import _Event
from foodtrace.model.events import (
    Aggregation,
    Certificate,
    Commission,
    Complaint,
    ComplaintAcceptance,
    ComplaintClosure,
    ComplaintLink,
    EpcisRecord,
    ErrorDeclaration,
    Handoff,
    InputApplication,
    PartyRegistration,
    Recall,
    RecallConfirmation,
    RetailSale,
    Transformation,
)
from foodtrace.model.keys import ApiKeyIssued, ApiKeyRevoked
from foodtrace.model.office_records import Incident, Interview, Publicity, Sampling
from foodtrace.model.users import UserCreated, UserDisabled, UserEnabled, UserPasswordSet
from foodtrace.model.supervision import (
    Campaign,
    CaseUpdate,
    Commitment,
    Destruction,
    EnforcementCase,
    Inspection,
    Training,
)
from foodtrace.model.warnings import ConsumptionWarning
from foodtrace.model.vocab import LABELS as VOCAB_LABELS
from foodtrace.model.vocab import Vocab

EVENT_CLASSES: tuple[type[_Event], ...] = (
    PartyRegistration, Commission, InputApplication, Transformation, Handoff, Certificate, RetailSale,
    ErrorDeclaration, Aggregation, EpcisRecord, Recall, RecallConfirmation, Complaint, ComplaintLink,
    ComplaintAcceptance, ComplaintClosure, Inspection, Campaign, EnforcementCase, CaseUpdate, Training, Commitment, Destruction,
    ApiKeyIssued, ApiKeyRevoked, EntryRefusal, Publicity, Interview, Sampling, Incident, ConsumptionWarning, UserCreated,
    UserPasswordSet, UserDisabled, UserEnabled,
)

if TYPE_CHECKING:  # to a type checker every event is an ``_Event``; narrow with isinstance
    Event = _Event
else:
    Event = Annotated[Union[EVENT_CLASSES], Field(discriminator="type")]
EVENT_ADAPTER: TypeAdapter[Event] = TypeAdapter(Event)

EVENT_TYPES: dict[str, type[_Event]] = {cls.model_fields["type"].default: cls for cls in EVENT_CLASSES}
OPERATOR_EVENT_TYPES: frozenset[str] = frozenset(t for t, cls in EVENT_TYPES.items() if cls.operator_may_capture)
OFFICE_EVENT_TYPES: frozenset[str] = frozenset(t for t, cls in EVENT_TYPES.items() if cls.office_may_capture)
EVENT_LABELS: dict[str, tuple[str, str]] = {t: cls.labels for t, cls in EVENT_TYPES.items()}
# Every (zh, en) label of the model: the vocabularies' and the event types'.
ALL_LABELS: dict[str, tuple[str, str]] = {**VOCAB_LABELS, **EVENT_LABELS}


class _EventTypes(Vocab):
    def label(self, lang: str = "zh") -> str:
        zh, en = EVENT_LABELS[self.value]
        return en if lang == "en" else zh


EventType = _EventTypes("EventType", {t.upper(): t for t in EVENT_TYPES})  # type: ignore[misc]


def from_json(text: str | bytes) -> Event:
    """An event from its stored JSON."""
    return EVENT_ADAPTER.validate_json(text)


__all__ = ["EVENT_CLASSES", "Event", "EVENT_ADAPTER", "EVENT_TYPES", "OPERATOR_EVENT_TYPES", "OFFICE_EVENT_TYPES", "EVENT_LABELS", "ALL_LABELS",
           "EventType", "from_json"]
