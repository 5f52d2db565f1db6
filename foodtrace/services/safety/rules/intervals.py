"""Withdrawal and pre-harvest intervals (休药期 / 安全间隔期).

A veterinary drug or pesticide applied to a lot must have its interval pass
before the lot is slaughtered (live animals) or harvested (crops). Days are
counted in calendar days at the place of application: applied on the 1st with
a 7-day interval, the 8th is the first allowed day.
"""

from __future__ import annotations

from datetime import datetime

from foodtrace.services.safety.rules.facts import Applied, Facts, LotFact
from foodtrace.services.safety.rules.findings import Finding, finding


def _end(lf: LotFact, a: Applied) -> tuple[datetime, str] | None:
    """When the interval had to be over, and what happened then: the first
    slaughter (or other transformation) of a live-animal lot after the
    application; for anything else its harvest, or its first use after the
    application when it was applied after harvest."""
    if lf.category == "livestock":
        after = [u for u in lf.uses if u.how == "transformation" and u.time >= a.time]
        first = min(after, key=lambda u: u.time, default=None)
        return (first.time, first.kind or "slaughter") if first else None
    if lf.created_at is not None and lf.made_by == "commission" and a.time <= lf.created_at:
        return lf.created_at, "harvest"
    after = [u for u in lf.uses if u.time >= a.time]
    first = min(after, key=lambda u: u.time, default=None)
    return (first.time, first.kind or first.how) if first else None


def withdrawal_findings(facts: Facts, lf: LotFact) -> list[Finding]:
    """A finding per input applied to ``lf`` whose interval had not passed."""
    out = []
    for a in lf.applied:
        end = _end(lf, a)
        if end is None:
            continue
        when, action = end
        elapsed = (when.astimezone(a.time.tzinfo).date() - a.time.date()).days
        if elapsed < a.interval_days:
            out.append(finding("withdrawal_period", lf.code, a.party, a.event_id, input=a.input_name,
                               input_kind=a.input_kind, applied=a.time.date().isoformat(),
                               ended=when.astimezone(a.time.tzinfo).date().isoformat(), action=action,
                               interval=a.interval_days, short=a.interval_days - elapsed))
    return out


__all__ = ["withdrawal_findings"]
