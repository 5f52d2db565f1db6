"""Who may write and read supervision records — pure functions, no I/O.

- an ``inspector`` or an ``admin`` may write every kind of supervision record
  and read them all;
- an ``operator`` (a business's key; ``party`` is the business) may write none
  and read only the inspections of its own business (their outcomes);
- any other role (or none) may do neither.

``Actor`` is what a caller is: a role and, for operators and inspectors, the
party the key belongs to. The HTTP layer makes one from the API key; the CLI
acts as an administrator.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Protocol

from foodtrace.errors import Forbidden, detail
from foodtrace.model.supervision import SUPERVISION_TYPES

ADMIN = "admin"
INSPECTOR = "inspector"
OPERATOR = "operator"
SUPERVISORS = frozenset({ADMIN, INSPECTOR})


class Caller(Protocol):
    role: str
    party: str | None


@dataclass(frozen=True)
class Actor:
    role: str
    party: str | None = None


def can_write(role: str | None) -> bool:
    """Whether ``role`` may record supervision events."""
    return role in SUPERVISORS


def can_read(role: str | None, party: str | None, record: Any) -> bool:
    """Whether ``role`` (acting for ``party``) may read ``record`` — a
    supervision event, or anything with its ``type`` and ``subject``."""
    if role in SUPERVISORS:
        return True
    if role == OPERATOR and party:
        return getattr(record, "type", None) == "inspection" and getattr(record, "subject", None) == party
    return False


def can_read_all(role: str | None) -> bool:
    """Whether ``role`` may read every supervision record (lists, cases, risk, figures)."""
    return role in SUPERVISORS


def may_capture(role: str | None, event_type: str) -> bool:
    """Whether ``role`` may capture an event of ``event_type`` through the
    generic capture routes: supervision types need a supervisor's key."""
    return event_type not in SUPERVISION_TYPES or can_write(role)


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


__all__ = ["Actor", "Caller", "ADMIN", "INSPECTOR", "OPERATOR", "can_write", "can_read", "can_read_all",
           "may_capture", "require_write", "require_read_all", "require_some_read", "visible"]
