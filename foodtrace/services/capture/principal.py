"""Who is acting: every read and every write has a principal.

- ``key``: an API key (a machine: a market's terminal, a partner's feed) — its id, party and role;
- ``user``: a person signed in — login, party, role and, for inspectors, the areas they supervise;
- ``local``: the command line on the server's own machine (acts as an administrator);
- ``system``: records the software makes itself (the demo loader).

``captured_by`` is how the log names the author of what a principal records:
``key:<key id>@<party>``, ``user:<login>@<party>``, ``cli`` or ``system:<what>``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from foodtrace.model.vocab import Role

Kind = Literal["key", "user", "local", "system"]


@dataclass(frozen=True)
class Principal:
    """An authenticated caller: its id (key id, login…), the party it acts for, its role."""

    id: str
    party: str | None
    role: Role
    kind: Kind = "key"
    areas: tuple[str, ...] = ()  # area codes an inspector supervises (empty: all)
    name: str | None = None  # a person's display name

    @property
    def key_id(self) -> str:
        return self.id

    @property
    def captured_by(self) -> str:
        if self.kind in ("key", "user"):
            return f"{self.kind}:{self.id}@{self.party}"
        if self.kind == "local":
            return "cli"
        return f"system:{self.id}"

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN


def local(party: str | None = None) -> Principal:
    """The command line: an administrator acting for ``party`` (or for whichever party a record names)."""
    return Principal("cli", party, Role.ADMIN, kind="local")


def system(what: str, party: str | None = None) -> Principal:
    """The software itself recording ``what`` (e.g. ``demo``), as an administrator."""
    return Principal(what, party, Role.ADMIN, kind="system")


__all__ = ["Principal", "local", "system"]
