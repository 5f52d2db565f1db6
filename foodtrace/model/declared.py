"""What a person wrote, kept beside what is stored: a ledger row or a form in ``斤``, ``头`` or ``千克``
is stored in the model's unit (``kg``, ``head``, ``piece``) and keeps the quantity and the unit as
written in ``declared`` (``{"quantity": 50, "unit": "斤"}``), so that a business's own ledger shown
back or exported says ``50 斤`` as it was written. The stored quantity is the one every rule, trace
and figure uses; ``declared`` is a record of the original only.

Left out of an event's canonical content while empty (``omitted_when_empty``), so the ids of events
without it are what they were before it existed. Carried in exports inside the native event
(``ft:event``); never shown on public pages (they show no quantities)."""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import StringConstraints

from foodtrace.model.common import Frozen, PositiveNumber, _TOKEN

# A unit as people write it: 斤, 市斤, 公斤, 头, 箱 … (a short word, no spaces or control characters).
WrittenUnit = Annotated[str, StringConstraints(min_length=1, max_length=16, pattern=_TOKEN)]


class Declared(Frozen):
    """A quantity and its unit as written."""

    quantity: PositiveNumber
    unit: WrittenUnit


class DeclaresQuantity(Frozen):
    """Mixin of the events whose quantity may have been written in another unit."""

    omitted_when_empty: ClassVar[tuple[str, ...]] = ("declared",)

    declared: Declared | None = None


__all__ = ["Declared", "DeclaresQuantity", "WrittenUnit"]
