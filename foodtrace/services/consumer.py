"""The consumer's view of a lot: its journey, certificates and tests — never
quantities, prices, document numbers or people's names."""

from __future__ import annotations

from ..graph.store import GraphStore
from .recall import recall_status
from .tracing import backward_trace


def consumer_view(store: GraphStore, code: str) -> dict:
    tr = backward_trace(store, code)
    root = tr.lot(tr.root)
    steps = []
    certs = []
    for n in sorted(tr.lots, key=lambda n: -n.depth):
        if n.made_by:
            p = tr.parties.get(n.made_by.party)
            steps.append({"kind": n.made_by.kind or n.made_by.type,
                          "party": (p.name if p and p.name else n.made_by.party),
                          "party_kind": p.kind if p else None, "area": p.area_code if p else None,
                          "time": n.made_by.time.strftime("%Y-%m-%d %H:%M %z"), "sort": n.made_by.time})
        for c in n.certificates + n.tests:
            certs.append({"kind": c.kind, "result": c.result, "time": c.time.strftime("%Y-%m-%d %z"),
                          "passed": c.result == "pass"})
    steps.sort(key=lambda s: s["sort"])
    origin = None
    deepest = [n for n in tr.lots if n.made_by and n.made_by.type == "commission"]
    if deepest:
        origin = tr.parties.get(deepest[0].made_by.party)
    status = recall_status(store, code)
    return {"code": code, "root": root, "journey": steps, "certs": certs, "origin": origin, "gaps": tr.gaps,
            "recalled": status.recalled, "recall_reasons": [r.reason for r in status.recalls]}


def consumer_complaint(store: GraphStore, code: str, description: str, contact: str | None = None):
    """A consumer's "report a problem" on the lot behind a QR code: filed
    online as a complaint on that lot (the office sees it in its complaint list)."""
    from ..errors import InvalidInput, detail
    from .complaints import file_complaint

    description = (description or "").strip()
    if not description:
        raise InvalidInput("describe the problem", [detail(None, "description", "empty")])
    if len(description) > 500:
        raise InvalidInput("the description is longer than 500 characters",
                           [detail(None, "description", "at most 500 characters")])
    contact = (contact or "").strip()[:200] or None
    return file_complaint(store, [code], description, channel="online", by="consumer", complainant=contact)
