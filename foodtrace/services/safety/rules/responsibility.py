"""Who answers for a failed lot going on (主体责任): the farm answers for a failed test of its
animals (``failed_test``); these rules hold the next links of the chain to account.

- ``slaughtered_failed_lot``: a lot whose test had failed was slaughtered (or otherwise
  transformed) afterwards — held against the party that did it, naming the passing certificates it
  then issued on the meat (a meat quality certificate marked 合格 on meat from a failed lot);
- ``certified_failed_lot``: another party (the official vet's product quarantine) certified
  that meat as passing — held against the issuer;
- ``passed_on_after_recall``: a lot was passed on, used or sold after a recall of it started —
  held against the party that moved it.

Each is an anomaly of ``foodtrace check`` with its own violation score in ``rules.toml``
(``failed_lot_slaughtered``, ``sold_after_recall``).
"""

from __future__ import annotations

from datetime import datetime

from foodtrace.services.safety.rules.facts import Cert, Facts, LotFact, Transform
from foodtrace.services.safety.rules.findings import Finding, finding

_ACTIONS = {"transformation": "transformation", "handoff": "handoff", "handoff_new": "handoff", "sale": "retail_sale",
            "pack": "aggregation"}


def _failed_before(lf: LotFact | None, moment: datetime) -> Cert | None:
    """The first test or certificate of the lot that failed before ``moment``."""
    if lf is None:
        return None
    failed = [c for c in lf.certs if c.result == "fail" and c.time <= moment]
    return min(failed, key=lambda c: c.time) if failed else None


def failed_lot_findings(facts: Facts, tr: Transform) -> list[Finding]:
    """A transformation of a lot whose test had already failed, and every passing certificate of
    its outputs: one finding against the party that transformed it (with the certificates it issued
    itself) and one against each other issuer."""
    failed = [(code, c) for code, _, _ in tr.inputs if (c := _failed_before(facts.get(code), tr.time)) is not None]
    if not failed or not tr.outputs:
        return []
    code, test = failed[0]
    outputs = [o[0] for o in tr.outputs]
    passing = [(o, c) for o in outputs for c in (facts.get(o).certs if facts.get(o) else ()) if c.result == "pass"]
    own = [c for _, c in passing if c.issuer == tr.party]
    out = [finding("slaughtered_failed_lot", outputs[0], tr.party, tr.event_id, input=code, kind=test.kind,
                   number=test.number, failed_at=_minute(test.time), done=tr.kind, done_at=_minute(tr.time),
                   certified=[c.kind for c in own], numbers=[c.number for c in own],
                   template="slaughtered_certified_failed_lot" if own else "slaughtered_failed_lot")]
    for lot, c in passing:
        if c.issuer != tr.party:
            out.append(finding("certified_failed_lot", lot, c.issuer, c.event_id, input=code, kind=test.kind,
                               number=test.number, certificate=c.kind, certificate_number=c.number,
                               certified_at=_minute(c.time)))
    return out


def after_recall_findings(facts: Facts, lf: LotFact) -> list[Finding]:
    """Each use of a recalled lot (passed on, transformed, packed, sold) after its recall started."""
    starts = [facts.recall_started[r] for r in lf.recalls if r in facts.recall_started]
    if not starts:
        return []
    first = min(starts)
    recall = next(r for r in lf.recalls if facts.recall_started.get(r) == first)
    return [finding("passed_on_after_recall", lf.code, u.party, u.event_id, recall=recall, action=_ACTIONS[u.how],
                    at=_minute(u.time), recall_at=_minute(first), quantity=u.quantity, unit=u.unit)
            for u in lf.uses if u.time > first and u.how in _ACTIONS]


def _minute(moment: datetime) -> str:
    """A time as people read it: local to the event's own zone, to the minute."""
    return moment.strftime("%Y-%m-%d %H:%M")


__all__ = ["failed_lot_findings", "after_recall_findings"]
