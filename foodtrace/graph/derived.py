"""Backend-neutral folds of the log behind the contract's default methods
(``GraphStore.api_keys`` and ``GraphStore.search``). A backend may override
those methods with projections of its own; these are the reference."""

from __future__ import annotations

import threading
from typing import Iterable

from foodtrace.model.events import ErrorDeclaration, PartyRegistration
from foodtrace.model.keys import ApiKey, ApiKeyIssued, ApiKeyRevoked


class KeyFold:
    """API keys folded from the log, caught up incrementally by sequence number.

    - ``api_key_issued`` adds a key (only the first issuance of a key id counts);
    - ``api_key_revoked`` marks it revoked;
    - retracting either (an error declaration) takes it back.
    """

    def __init__(self) -> None:
        self.seq = 0
        self.lock = threading.Lock()
        self._keys: dict[str, ApiKey] = {}  # key_id -> key, in log order (revoked flag not applied)
        self._issued_by: dict[str, str] = {}  # issuing event id -> key_id
        self._revocations: dict[str, str] = {}  # revoking event id -> key_id
        self._revoked: dict[str, set[str]] = {}  # key_id -> ids of revoking events in force
        self._seen: set[str] = set()  # every key id ever issued: an id is issued once, even if retracted

    def apply(self, stored: Iterable) -> None:
        for se in stored:
            self.seq = max(self.seq, se.seq)
            ev = se.event
            if isinstance(ev, ApiKeyIssued):
                first = ev.key_id not in self._seen
                self._seen.add(ev.key_id)
                if first and se.retracted_by is None:
                    self._keys[ev.key_id] = ApiKey(key_id=ev.key_id, key_hash=ev.key_hash, party=ev.holder,
                                                   role=ev.role, label=ev.label, issued_at=ev.event_time,
                                                   event_id=ev.event_id)
                    self._issued_by[ev.event_id] = ev.key_id
            elif se.retracted_by is not None:
                continue
            elif isinstance(ev, ApiKeyRevoked):
                self._revocations[ev.event_id] = ev.key_id
                self._revoked.setdefault(ev.key_id, set()).add(ev.event_id)
            elif isinstance(ev, ErrorDeclaration):
                for target in ev.retracts:
                    if target in self._issued_by:
                        self._keys.pop(self._issued_by.pop(target), None)
                    elif target in self._revocations:
                        self._revoked.get(self._revocations.pop(target), set()).discard(target)

    def keys(self) -> list[ApiKey]:
        return [k.model_copy(update={"revoked": bool(self._revoked.get(k.key_id))}) for k in self._keys.values()]


def fold_keys(store) -> list[ApiKey]:
    """Every API key in ``store``'s log, with a fold cached on the store object."""
    fold = store.__dict__.get("_key_fold")
    if fold is None:
        fold = store.__dict__.setdefault("_key_fold", KeyFold())
    with fold.lock:
        fold.apply(store.iter_log(after_seq=fold.seq))
        return fold.keys()


def search_log(store, text: str, limit: int):
    """Lots whose code or name, and parties whose id or name, contain ``text``
    (case-insensitive), found by scanning the log; then looked up as they are now."""
    needle = text.casefold()
    codes: set[str] = set()
    party_ids: set[str] = set()
    for se in store.iter_log():
        ev = se.event
        if isinstance(ev, PartyRegistration):
            party_ids.add(ev.registered.id)
            continue
        candidates = ev.created_codes() + ev.used_lots()
        candidates += [s.name for s in ev.created_lots() if s.name]
        if any(needle in c.casefold() for c in candidates):
            codes.update(ev.created_codes())
            codes.update(ev.used_lots())
    lots = [lot for lot in store.get_lots(sorted(codes)).values()
            if needle in lot.code.casefold() or (lot.name and needle in lot.name.casefold())]
    parties = [p for p in store.get_parties(sorted(party_ids)).values()
               if needle in p.id.casefold() or needle in p.name.casefold()]
    return sorted(lots, key=lambda lot: lot.code)[:limit], sorted(parties, key=lambda p: p.id)[:limit]
