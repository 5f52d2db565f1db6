"""Market entry (市场准入): a receiver's refusal of a lot, with its reasons.
(An accepted lot is an ordinary ``handoff``.)"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from foodtrace.model.common import Code, Frozen, PartyId, PositiveNumber, ReasonCode, Text
from foodtrace.model.event_base import _Event
from foodtrace.model.vocab import Unit


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
    own_route = "/api/v1/receipts"
    labels = ('拒绝入场', 'entry refused')
    operator_may_capture = True
    presented: Code
    lot: Code | None = None
    from_party: PartyId | None = None
    quantity: PositiveNumber
    unit: Unit
    document: Text | None = None
    reasons: list[RefusalReason] = Field(min_length=1, max_length=100)

    def used_lots(self) -> list[str]:
        return [self.lot] if self.lot else []
