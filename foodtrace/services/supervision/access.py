"""Who may write and read supervision records — decided by the one permission table
(``services.capture.access.ROLES``), applied here to supervision records:

- whoever may ``SUPERVISE`` (inspectors, administrators) records them, and whoever may
  ``READ_SUPERVISION`` reads them all;
- an ``operator`` (a business) reads only the inspections of its own business;
- anyone else (or no one) neither.

A caller is a ``Principal`` (an API key, a person, the command line, the system).
"""

from __future__ import annotations

from typing import Any, Iterable, Protocol

from foodtrace.errors import Forbidden
from foodtrace.i18n.keyed import keyed
from foodtrace.i18n.refusals import refusal
from foodtrace.model.vocab import Role
from foodtrace.services.capture.access import ROLES, Action

OPERATOR = Role.OPERATOR.value


class Caller(Protocol):
    role: Any
    party: str | None


def _role(role: Any) -> Role | None:
    try:
        return Role(role)
    except ValueError:
        return None


def can_write(role: Any) -> bool:
    """Whether ``role`` may record supervision events."""
    return _role(role) in ROLES[Action.SUPERVISE]


def can_read(role: str | None, party: str | None, record: Any) -> bool:
    """Whether ``role`` (acting for ``party``) may read ``record`` — a
    supervision event, or anything with its ``type`` and ``subject``."""
    if can_read_all(role):
        return True
    if role == OPERATOR and party:
        return getattr(record, "type", None) == "inspection" and getattr(record, "subject", None) == party
    return False


def can_read_all(role: Any) -> bool:
    """Whether ``role`` may read every supervision record (lists, cases, risk, figures)."""
    return _role(role) in ROLES[Action.READ_SUPERVISION]


def _why(actor: Caller, key: str) -> dict[str, Any]:
    """The ``role`` detail of a refusal: the caller's role by its name, or that it has none."""
    role = getattr(actor.role, "value", actor.role)
    return refusal(None, "role", key, role=role) if role else refusal(None, "role", f"{key}_none")


def require_write(actor: Caller) -> None:
    if not can_write(actor.role):
        raise keyed(Forbidden, "sup_write_forbidden",
                    [_why(actor, "sup_role_may_not_write")])


def require_read_all(actor: Caller) -> None:
    if not can_read_all(actor.role):
        raise keyed(Forbidden, "sup_read_all_forbidden",
                    [_why(actor, "sup_role_may_not_read")])


def require_some_read(actor: Caller) -> None:
    """Supervisors and operators (who see their own inspections) may ask; nobody else."""
    if not (can_read_all(actor.role) or (actor.role == OPERATOR and actor.party)):
        raise keyed(Forbidden, "sup_read_forbidden",
                    [_why(actor, "sup_role_may_not_read")])


def visible(actor: Caller, records: Iterable[Any]) -> list[Any]:
    """The records ``actor`` may read."""
    return [r for r in records if can_read(actor.role, actor.party, r)]


__all__ = ["Caller", "OPERATOR", "can_write", "can_read", "can_read_all", "require_write", "require_read_all",
           "require_some_read", "visible"]
