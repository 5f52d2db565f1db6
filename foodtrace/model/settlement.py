"""Settlement (电子结算): the unit price, amount and currency a handoff or a retail sale may carry —
what a wholesale or farmers' market's settlement terminal prints on its voucher. All three are
optional; a price or an amount without a currency is in Chinese yuan (``CNY``).

They are private to the parties of the trade and the office: never on public pages, and cut from
operators' reads of steps they took no part in (``services/capture/visibility.py``)."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from pydantic import StringConstraints, model_validator

from foodtrace.model.common import Frozen, NonNegativeNumber

# ISO 4217 alphabetic code.
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
DEFAULT_CURRENCY = "CNY"
# An amount may differ from unit price × quantity by rounding on the terminal (weights and prices are
# printed rounded): within 1 % or one yuan, whichever is more.
TOLERANCE = 0.01
SETTLEMENT_FIELDS = ("unit_price", "amount", "currency")


class Priced(Frozen):
    """Mixin of the events that may carry settlement figures (``lot.quantity`` is what they price)."""

    # Left out of an event's canonical content while empty, so that the ids of events without
    # settlement figures are what they were before these fields existed.
    omitted_when_empty: ClassVar[tuple[str, ...]] = SETTLEMENT_FIELDS

    unit_price: NonNegativeNumber | None = None  # per unit of the lot (kg, head, piece)
    amount: NonNegativeNumber | None = None
    currency: Currency | None = None

    @model_validator(mode="before")
    @classmethod
    def _default_currency(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("currency") is None and (
                data.get("unit_price") is not None or data.get("amount") is not None):
            data = {**data, "currency": DEFAULT_CURRENCY}
        return data

    @model_validator(mode="after")
    def _consistent(self) -> "Priced":
        if self.currency is not None and self.unit_price is None and self.amount is None:
            raise ValueError("currency given without unit_price or amount")
        lot = getattr(self, "lot", None)
        if self.unit_price is not None and self.amount is not None and lot is not None:
            expected = self.unit_price * lot.quantity
            if abs(expected - self.amount) > max(1.0, TOLERANCE * max(expected, self.amount)):
                raise ValueError(f"amount {self.amount:g} is not unit_price × quantity "
                                 f"({self.unit_price:g} × {lot.quantity:g} = {expected:.2f})")
        return self

    def settled_amount(self) -> float | None:
        """The amount, or unit price × quantity when only the price is given."""
        if self.amount is not None:
            return self.amount
        lot = getattr(self, "lot", None)
        if self.unit_price is not None and lot is not None:
            return round(self.unit_price * lot.quantity, 2)
        return None


__all__ = ["Priced", "Currency", "DEFAULT_CURRENCY", "SETTLEMENT_FIELDS"]
