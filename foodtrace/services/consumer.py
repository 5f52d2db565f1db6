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
                          "time": n.made_by.time.strftime("%Y-%m-%d %H:%M %z"), "sort": n.made_by.time})
        for c in n.certificates + n.tests:
            certs.append({"kind": c.kind, "result": c.result, "time": c.time.strftime("%Y-%m-%d %z")})
    steps.sort(key=lambda s: s["sort"])
    origin = None
    deepest = [n for n in tr.lots if n.made_by and n.made_by.type == "commission"]
    if deepest:
        origin = tr.parties.get(deepest[0].made_by.party)
    status = recall_status(store, code)
    return {"code": code, "root": root, "journey": steps, "certs": certs, "origin": origin, "gaps": tr.gaps,
            "recalled": status.recalled, "recall_reasons": [r.reason for r in status.recalls]}
