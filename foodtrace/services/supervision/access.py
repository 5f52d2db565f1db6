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

from foodtrace.errors import Forbidden, detail
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


def require_write(actor: Caller) -> None:
    if not can_write(actor.role):
        raise Forbidden("only an inspector or an administrator may record supervision records",
                        [detail(None, "role", f"{actor.role or 'none'} may not write supervision records")])


def require_read_all(actor: Caller) -> None:
    if not can_read_all(actor.role):
        raise Forbidden("only an inspector or an administrator may read these supervision records",
                        [detail(None, "role", f"{actor.role or 'none'} may not read them")])


def require_some_read(actor: Caller) -> None:
    """Supervisors and operators (who see their own inspections) may ask; nobody else."""
    if not (can_read_all(actor.role) or (actor.role == OPERATOR and actor.party)):
        raise Forbidden("this role may not read supervision records",
                        [detail(None, "role", f"{actor.role or 'none'} may not read them")])


def visible(actor: Caller, records: Iterable[Any]) -> list[Any]:
    """The records ``actor`` may read."""
    return [r for r in records if can_read(actor.role, actor.party, r)]


__all__ = ["Caller", "OPERATOR", "can_write", "can_read", "can_read_all", "require_write", "require_read_all",
           "require_some_read", "visible"]
