"""The domain model (pydantic v2, frozen). Imports nothing else of foodtrace."""

from foodtrace.model.entry import EntryRefusal, RefusalReason
from foodtrace.model.event_base import LotQty, LotSpec, LotUse, Measurement, canonical_content, content_hash_id
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
from foodtrace.model.keys import ApiKey, ApiKeyIssued, ApiKeyRevoked
from foodtrace.model.lots import Lot
from foodtrace.model.parties import Party
from foodtrace.model.registry import EVENT_ADAPTER, Event, EventType
from foodtrace.model.supervision import (
    Campaign,
    CaseUpdate,
    Commitment,
    Destruction,
    EnforcementCase,
    Inspection,
    Training,
)
from foodtrace.model.vocab import (
    Category,
    CertKind,
    Commodity,
    HandoffAction,
    InputKind,
    PartyKind,
    Result,
    Role,
    TransformKind,
    Unit,
)

__all__ = [
    "Aggregation", "EpcisRecord", "LotUse", "ApiKeyIssued", "ApiKeyRevoked", "EntryRefusal", "RefusalReason",
    "ApiKey", "Role",
    "EVENT_ADAPTER", "Certificate", "Commission", "ErrorDeclaration", "Event", "Handoff",
    "InputApplication", "LotQty", "LotSpec", "Measurement", "PartyRegistration", "RetailSale",
    "Transformation", "canonical_content", "content_hash_id", "Lot", "Party", "CertKind",
    "Category", "Commodity", "EventType", "HandoffAction", "InputKind", "PartyKind", "Result",
    "TransformKind", "Unit", "Recall", "RecallConfirmation", "Complaint", "ComplaintLink", "ComplaintClosure",
    "ComplaintAcceptance",
    "Inspection", "Campaign", "EnforcementCase", "CaseUpdate", "Training", "Commitment", "Destruction",
]
