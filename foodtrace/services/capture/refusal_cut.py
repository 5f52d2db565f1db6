"""Refusals say only what their caller may see (``visibility``: need to know).

A refusal of the write door is an answer to its caller, and an answer is a read: it names another
party's facts — the event that made a lot, the recall a lot is under, what another party holds —
only when the caller may read them. The rule is the reads' own: the maker's event and a recall of a
lot are named to a caller who may read the lot (``visibility.may_read_lot``: inspectors and admins,
an operator for its own lots, one step up and one step down); what another party holds is never
named to an operator (the views leave out "what anyone else still holds"). Otherwise the refusal
says the same thing without them: the code is taken, the lot is under recall, the sender's holding
does not cover it.

That the refusal happens at all still tells the caller one thing (the code exists; the lot may not
move): refusing is the point, and the caller named the code itself.
"""

from __future__ import annotations

from typing import Any

from foodtrace.errors import FoodtraceError
from foodtrace.graph.store import GraphStore
from foodtrace.i18n.refusals import refusal
from foodtrace.services.capture.principal import Principal
from foodtrace.services.capture.visibility import may_read_lot, sees_all


def may_see_lot(store: GraphStore, principal: Principal, code: str) -> bool:
    """Whether ``principal`` may read the stored lot ``code`` (its maker, its recalls)."""
    if principal.is_admin or sees_all(principal) and not principal.areas:
        return True
    lot = store.get_lot(code)
    return lot is not None and may_read_lot(store, principal, lot)


def lot_exists(store: GraphStore, principal: Principal, d: dict[str, Any]) -> dict[str, Any]:
    """A "lot exists already" detail (``store_lot_exists``) as the caller may read it."""
    args = d.get("args") or {}
    code = args.get("code")
    if d.get("key") != "store_lot_exists" or not isinstance(code, str) or may_see_lot(store, principal, code):
        return d
    return refusal(d.get("position"), d.get("field"), "store_lot_exists_unseen", code=code)


def cut_store_refusal(store: GraphStore, principal: Principal, exc: FoodtraceError) -> FoodtraceError:
    """``exc`` (the store's refusal of a batch: ``graph.batch``) with its details cut to what the caller
    may see; the same error, changed in place."""
    if not exc.lang:  # not said yet: its details still hold their keys and arguments
        exc.details = [lot_exists(store, principal, d) if isinstance(d, dict) else d for d in exc.details]
    return exc


def recalled(store: GraphStore, principal: Principal, pos: int, field: str, code: str, recall: str) -> dict[str, Any]:
    """The refusal of passing on lot ``code`` under ``recall``: the recall named to a caller who may read the lot."""
    if may_see_lot(store, principal, code):
        return refusal(pos, field, "custody_recalled", code=code, recall=recall)
    return refusal(pos, field, "custody_recalled_unseen", code=code)


def tells_holding(principal: Principal, party: str) -> bool:
    """Whether a refusal may say what ``party`` holds: to that party itself, and to those who see all."""
    return party == principal.party or sees_all(principal)


__all__ = ["cut_store_refusal", "lot_exists", "may_see_lot", "recalled", "tells_holding"]
