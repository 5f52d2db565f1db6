"""Audit: who captured what and when, per party — from the log itself."""

from __future__ import annotations

from datetime import datetime
from typing import Iterator

from pydantic import BaseModel

from foodtrace.graph.store import GraphStore


class AuditEntry(BaseModel):
    seq: int
    event_id: str
    type: str
    event_time: datetime
    record_time: datetime | None
    party: str
    captured_by: str | None
    retracted_by: str | None


def audit(store: GraphStore, party: str, since: datetime | None = None,
          until: datetime | None = None) -> Iterator[AuditEntry]:
    """Every event in which ``party`` acts, receives or issues, or which a key of
    ``party`` captured, in log order, retracted ones included (and marked)."""
    tag = f"@{party}"
    for se in store.iter_log():
        ev = se.event
        rt = ev.record_time
        if since and rt and rt < since or until and rt and rt > until:
            continue
        by = getattr(ev, "captured_by", None)
        involved = (ev.party == party or getattr(ev, "to_party", None) == party
                    or getattr(ev, "issuer", None) == party or (by or "").endswith(tag))
        if involved:
            yield AuditEntry(seq=se.seq, event_id=ev.event_id, type=ev.type, event_time=ev.event_time,
                             record_time=rt, party=ev.party, captured_by=by, retracted_by=se.retracted_by)
