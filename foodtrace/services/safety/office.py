"""The rules, recall and complaint services as the HTTP API serves them:
each call checks what the caller's key may do (``services/access.py``), then
hands over to the service. Records are made by the key's own party; only an
admin key may name another (``by``)."""

from __future__ import annotations

from datetime import datetime

from foodtrace.errors import Forbidden
from foodtrace.i18n.keyed import keyed
from foodtrace.i18n.refusals import refusal
from foodtrace.graph.store import GraphStore
from foodtrace.services.capture.access import (
    Action,
    Principal,
    acting_party,
    require,
    require_acts_for_unless_inspecting,
)
from foodtrace.services.capture.scope import Scope, require_lots_in_scope, scope_of
from foodtrace.services.capture.visibility import cut_recall, sees_all
from foodtrace.services.report import Report, district_report
from foodtrace.services.safety import complaints as cs
from foodtrace.services.safety import recall as rc
from foodtrace.services.safety.entry_reasons import for_receiver
from foodtrace.services.safety.investigate import Investigation, investigate
from foodtrace.services.safety.receiving import tells_stock, without_stock
from foodtrace.services.safety.rules import CheckReport, Decision, RuleConfig, check_district, check_entry


def district_check(store: GraphStore, principal: Principal | None, rules: RuleConfig) -> CheckReport:
    """Every anomaly of the district; an inspector with areas gets those reaching them (``Scope.finding``)
    and the scores of the parties in them."""
    who = require(principal, Action.INSPECT)
    report, sc = check_district(store, rules), scope_of(store, who)
    if sc.whole:
        return report
    kept = [a for a in report.anomalies if sc.finding(a.lot, a.party, a.reached)]
    counts = dict.fromkeys(report.counts, 0)
    for a in kept:
        counts[a.kind] = counts.get(a.kind, 0) + 1
    return report.model_copy(update={"anomalies": kept, "counts": counts,
                                     "scores": [s for s in report.scores if sc.party(s.party)]})


def district_statistics(store: GraphStore, principal: Principal | None, first: str | None, last: str | None,
                        tz: str, rules: RuleConfig) -> Report:
    """The district statistics report of a period: for inspectors and viewers; an inspector with areas
    gets the report of its areas (the events of the areas only, ``Scope.event``)."""
    who = require(principal, Action.READ_REPORT)
    sc = scope_of(store, who)
    return district_report(store, first, last, tz=tz, rules=rules, keep=None if sc.whole else sc.event)


def entry_gate(store: GraphStore, principal: Principal | None, code: str, receiver: str, quantity: float,
               at: datetime | None, rules: RuleConfig) -> Decision:
    """The gate's decision (nothing is recorded); an operator reads its reasons worded for
    the receiver (``entry_reasons.py``) and, about a lot its party never made nor held, nothing of the
    quantity left (``receiving.tells_stock``); an inspector or admin the full decision."""
    who = require(principal, Action.ENTRY_CHECK)
    require_acts_for_unless_inspecting(who, receiver, "receiver")
    decision = check_entry(store, code, receiver, quantity, at=at, rules=rules)
    sc = scope_of(store, who)  # an inspector with areas: a receiver in them, or a lot whose chain reaches them
    if not (sc.party(receiver) or sc.lot(decision.code)):
        raise keyed(Forbidden, "office_outside_areas", [refusal(None, "receiver", "office_outside_areas_reason")],
                    receiver=receiver, code=decision.code)
    if sees_all(who):
        return decision
    reasons = without_stock(decision.reasons, tells_stock(store, who, decision.code, receiver))
    return decision.model_copy(update={"reasons": for_receiver(reasons, decision.code), "accept": not reasons})


def start_recall(store: GraphStore, principal: Principal | None, codes: list[str], reason: str, by: str | None,
                 recall_id: str | None, dry_run: bool) -> rc.RecallReport:
    who = require(principal, Action.RECALL)
    require_lots_in_scope(store, who, codes)
    return rc.start_recall(store, codes, reason, by=acting_party(who, by), recall_id=recall_id, dry_run=dry_run,
                           principal=who)


def recall_from_test(store: GraphStore, principal: Principal | None, event_id: str, by: str | None) -> rc.RecallReport:
    """A recall of what a failed test covers; an inspector with areas, only of lots whose chains reach them."""
    who = require(principal, Action.RECALL)
    test = store.get_events([event_id]).get(event_id)
    if test is not None:  # an unknown one: the recall service says so
        require_lots_in_scope(store, who, list(getattr(test.event, "lots", None) or ()), "event_id")
    return rc.recall_from_test(store, event_id, by=acting_party(who, by), principal=who)


def _named(who: Principal, report: rc.RecallReport) -> rc.RecallReport:
    """The report, if the caller sees every recall or the recall names its party; an
    operator reads only its own row of it (``visibility.cut_recall``)."""
    if sees_all(who):
        return report
    if who.party not in {n.party for n in report.notices}:
        raise keyed(Forbidden, "office_recall_not_party", [refusal(None, "recall_id", "office_not_own_recall")],
                    recall=report.recall_id, party=who.party)
    return cut_recall(report, who.party)


def recall_report(store: GraphStore, principal: Principal | None, recall_id: str) -> rc.RecallReport:
    """A recall as it stands; an operator sees only a recall that names its party."""
    who = require(principal, Action.READ_RECALL)
    report = rc.recall_report(store, recall_id)
    _complaint_or_recall_in_scope(scope_of(store, who), report.exposure.sources, "recall_id", recall_id)
    return _named(who, report)


def confirm_recall(store: GraphStore, principal: Principal | None, recall_id: str, party: str | None,
                   note: str | None, quantity_removed: float | None, unit: str | None) -> rc.RecallReport:
    who = require(principal, Action.CONFIRM_RECALL)
    party = party or who.party
    require_acts_for_unless_inspecting(who, party, "party")
    recall_report(store, who, recall_id)  # one the caller may read: a holder it names, an inspector's areas
    report = rc.confirm_recall(store, recall_id, party, note=note, quantity_removed=quantity_removed, unit=unit,
                               principal=who)
    return _named(who, report)


def recall_status(store: GraphStore, principal: Principal | None, code: str) -> rc.RecallStatus:
    require(principal, Action.RECALL_STATUS)
    return rc.recall_status(store, code)


def investigation(store: GraphStore, principal: Principal | None, codes: list[str], complaints: list[str],
                  case: str | None) -> Investigation:
    """What the problem lots share upstream; an inspector with areas names only lots (and complaints)
    whose chains reach them — the shared causes found upstream may lie anywhere."""
    who = require(principal, Action.INSPECT)
    for complaint_id in complaints:
        get_complaint(store, who, complaint_id)
    found = investigate(store, codes, complaints, case)
    require_lots_in_scope(store, who, found.problem_lots, "code")
    return found


def _complaint_or_recall_in_scope(sc: Scope, lots: list[str], field: str, ident: str) -> None:
    if not sc.any_lot(lots):
        raise keyed(Forbidden, "office_lots_outside_areas", [refusal(None, field, "office_chains_outside")],
                    ident=ident, areas=", ".join(sc.areas))


def list_complaints(store: GraphStore, principal: Principal | None, status: str | None, lot: str | None,
                    case: str | None) -> list[cs.ComplaintView]:
    """The complaints; an inspector with areas those whose lots' chains reach them."""
    who = require(principal, Action.INSPECT)
    sc = scope_of(store, who)
    return [c for c in cs.list_complaints(store, status=status, lot=lot, case=case) if sc.any_lot(c.lots)]


def get_complaint(store: GraphStore, principal: Principal | None, complaint_id: str) -> cs.ComplaintView:
    who = require(principal, Action.INSPECT)
    found = cs.get_complaint(store, complaint_id)
    _complaint_or_recall_in_scope(scope_of(store, who), found.lots, "complaint_id", complaint_id)
    return found


def file_complaint(store: GraphStore, principal: Principal | None, lots: list[str], description: str, channel: str,
                   by: str | None, complainant: str | None, complaint_id: str | None) -> cs.ComplaintView:
    """An inspector (or admin) files a complaint: it is accepted (受理) at once, in the same
    batch. Only the office's keys may file here, and an inspector writing down what came in on
    the hotline or a visit has screened it already — a second step would only be a click. The
    consumer page's complaints (anonymous, anyone may post) wait for ``accept_complaint``."""
    who = require(principal, Action.INSPECT)
    require_lots_in_scope(store, who, lots, "lots")
    return cs.file_complaint(store, lots, description, channel=channel, by=acting_party(who, by),
                             complainant=complainant, complaint_id=complaint_id, accept=True, principal=who)


def accept_complaint(store: GraphStore, principal: Principal | None, complaint_id: str, note: str | None,
                     by: str | None) -> cs.ComplaintView:
    """Accept (受理) a received complaint: inspectors and admins."""
    who = require(principal, Action.INSPECT)
    get_complaint(store, who, complaint_id)  # within the inspector's areas
    return cs.accept_complaint(store, complaint_id, by=acting_party(who, by), note=note, principal=who)


def link_complaint(store: GraphStore, principal: Principal | None, complaint_id: str, recall_id: str | None,
                   case: str | None, by: str | None) -> cs.ComplaintView:
    who = require(principal, Action.INSPECT)
    get_complaint(store, who, complaint_id)  # within the inspector's areas
    return cs.link_complaint(store, complaint_id, recall_id=recall_id, case=case, by=acting_party(who, by),
                             principal=who)


def close_complaint(store: GraphStore, principal: Principal | None, complaint_id: str, resolution: str,
                    by: str | None) -> cs.ComplaintView:
    who = require(principal, Action.INSPECT)
    get_complaint(store, who, complaint_id)  # within the inspector's areas
    return cs.close_complaint(store, complaint_id, resolution, by=acting_party(who, by), principal=who)


__all__ = ["district_check", "district_statistics", "entry_gate", "start_recall", "recall_from_test", "recall_report", "confirm_recall",
           "recall_status", "investigation", "list_complaints", "get_complaint", "file_complaint", "accept_complaint",
           "link_complaint", "close_complaint"]
