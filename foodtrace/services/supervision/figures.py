"""The supervision figures of a period, for the statistics report: inspections,
notices, suspensions, campaigns, cases opened / closed / handed over, amounts
fined and confiscated, trainings, commitments, destruction value — each with
its Chinese and English label."""

from __future__ import annotations

from datetime import date, datetime

from foodtrace.graph.store import GraphStore
from foodtrace.i18n import t
from foodtrace.services.supervision.access import Caller, require_read_all
from foodtrace.services.supervision.records import aware, in_period, live

FIGURES = ("inspections", "online_patrols", "businesses_inspected", "notices", "suspensions", "campaigns",
           "cases_opened", "cases_closed", "cases_handed_over", "amount_fined", "amount_confiscated", "amount_total",
           "trainings", "training_attendances", "commitments", "destructions", "destruction_value")
TYPES = ["inspection", "campaign", "enforcement_case", "case_update", "training", "commitment", "destruction"]


def _day(bound: date | datetime | None) -> date | None:
    return bound.date() if isinstance(bound, datetime) else bound


def _bound(bound: date | datetime | None, field: str) -> date | datetime | None:
    return aware(bound, field) if isinstance(bound, datetime) else bound


def supervision_figures(store: GraphStore, start: date | datetime | None, end: date | datetime | None, *,
                        actor: Caller | None = None) -> dict[str, dict]:
    """``{figure: {"value", "zh", "en"}}`` in report order, for records whose
    time falls in the period (dates: calendar days where it happened, both
    included; times: start included, end not; ``None``: open). A campaign
    counts when its own period overlaps. Retracted records do not count."""
    if actor is not None:
        require_read_all(actor)
    start, end = _bound(start, "start"), _bound(end, "end")
    n = dict.fromkeys(FIGURES, 0.0)
    inspected: set[str] = set()
    first, last = _day(start), _day(end)
    for ev in live(store, TYPES):
        if ev.type == "campaign":
            n["campaigns"] += (first is None or ev.end >= first) and (last is None or ev.start <= last)
            continue
        if not in_period(ev.event_time, start, end):
            continue
        if ev.type == "inspection":
            n["inspections"] += 1
            n["online_patrols"] += ev.mode.value == "online_patrol"
            n["notices"] += ev.outcome.value == "rectification"
            n["suspensions"] += ev.outcome.value == "suspension"
            inspected.add(ev.subject)
        elif ev.type == "enforcement_case":
            n["cases_opened"] += 1
        elif ev.type == "case_update":
            n["cases_closed" if ev.status.value == "closed" else "cases_handed_over"] += 1
            n["amount_fined"] += ev.fine_yuan
            n["amount_confiscated"] += ev.confiscated_yuan
        elif ev.type == "training":
            n["trainings"] += 1
            n["training_attendances"] += len(ev.attendees)
        elif ev.type == "commitment":
            n["commitments"] += 1
        else:
            n["destructions"] += 1
            n["destruction_value"] += ev.value_yuan
    n["businesses_inspected"] = len(inspected)
    n["amount_total"] = n["amount_fined"] + n["amount_confiscated"]
    money = {"amount_fined", "amount_confiscated", "amount_total", "destruction_value"}
    return {k: {"value": round(v, 2) if k in money else int(v), "zh": t(f"fig_{k}", "zh"), "en": t(f"fig_{k}", "en")}
            for k, v in n.items()}


__all__ = ["supervision_figures", "FIGURES"]
