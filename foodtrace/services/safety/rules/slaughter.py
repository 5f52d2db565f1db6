"""Undesignated slaughter (私屠滥宰): slaughter anywhere but at a designated
slaughterhouse, and meat with no slaughter record at all upstream."""

from __future__ import annotations

from foodtrace.model.parties import SLAUGHTER_KINDS
from foodtrace.services.safety.rules.config import ProductRule
from foodtrace.services.safety.rules.facts import Facts, LotFact, Transform
from foodtrace.services.safety.rules.findings import Finding, finding

_DESIGNATED = {k.value for k in SLAUGHTER_KINDS}


def undesignated_slaughter(facts: Facts, tr: Transform) -> Finding | None:
    """A slaughter by a party that is not a registered designated slaughterhouse
    (reported on its first output lot)."""
    if tr.kind != "slaughter" or not tr.outputs:
        return None
    kind = facts.kind_of(tr.party)
    if kind in _DESIGNATED:
        return None
    missing = sorted({c for code, _, _ in tr.inputs for c in _missing_quarantine(facts, code)})
    return finding("undesignated_slaughter", tr.outputs[0][0], tr.party, tr.event_id,
                   status=kind or "unregistered", inputs=[code for code, _, _ in tr.inputs], missing=missing)


def _missing_quarantine(facts: Facts, code: str) -> list[str]:
    lf = facts.get(code)
    if lf is None or any(c.kind == "animal_quarantine" and c.result == "pass" for c in lf.certs):
        return []
    return [code]


def no_slaughter_record(facts: Facts, lf: LotFact, rule: ProductRule | None) -> Finding | None:
    """A meat lot that must come from a designated slaughterhouse but begins
    without any slaughter (commissioned as meat, or made from nothing)."""
    if rule is None or not rule.designated_slaughter or lf.category != "meat" or lf.creator is None:
        return None
    if lf.made_by == "slaughter" or lf.parents:
        return None
    return finding("no_slaughter_record", lf.code, lf.creator, lf.made_event or "")


__all__ = ["undesignated_slaughter", "no_slaughter_record"]
