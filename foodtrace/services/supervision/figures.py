"""The supervision figures of a period, for the statistics report: inspections,
notices, suspensions, campaigns, cases opened / closed / handed over / still in
progress and the value involved, amounts fined and confiscated, interviews (约谈),
trainings and people trained, commitments, destruction value, publicity (events,
materials, media posts), tableware and special sampling (samples, passed, results
pending) and food-safety incidents — each with its Chinese and English label."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Callable

from foodtrace.graph.store import GraphStore
from foodtrace.i18n import t
from foodtrace.services.capture.scope import scope_of
from foodtrace.services.supervision.access import Caller, require_read_all
from foodtrace.services.supervision.records import aware, in_period, live

FIGURES = ("inspections", "online_patrols", "businesses_inspected", "notices", "suspensions", "campaigns",
           "cases_opened", "cases_closed", "cases_handed_over", "cases_in_progress", "case_amount", "amount_fined",
           "amount_confiscated", "amount_total", "interviews", "trainings", "training_attendances", "people_trained",
           "commitments", "destructions", "destruction_value", "publicity_events", "publicity_materials",
           "media_posts", "tableware_samples", "tableware_passed", "special_samples", "special_passed",
           "samples_pending", "incidents")
TYPES = ["inspection", "campaign", "enforcement_case", "case_update", "training", "commitment", "destruction",
         "publicity", "interview", "sampling", "incident"]
MONEY = frozenset({"amount_fined", "amount_confiscated", "amount_total", "destruction_value", "case_amount"})


def _day(bound: date | datetime | None) -> date | None:
    return bound.date() if isinstance(bound, datetime) else bound


def _bound(bound: date | datetime | None, field: str) -> date | datetime | None:
    return aware(bound, field) if isinstance(bound, datetime) else bound


def supervision_figures(store: GraphStore, start: date | datetime | None, end: date | datetime | None, *,
                        actor: Caller | None = None, keep: Callable[[Any], bool] | None = None) -> dict[str, dict]:
    """``{figure: {"value", "zh", "en"}}`` in report order, for records whose
    time falls in the period (dates: calendar days where it happened, both
    included; times: start included, end not; ``None``: open). A campaign
    counts when its own period overlaps. Retracted records do not count."""
    if actor is not None:
        require_read_all(actor)
        sc = scope_of(store, actor)  # an inspector with areas counts the records of its areas
        keep = keep if sc.whole else sc.event
    start, end = _bound(start, "start"), _bound(end, "end")
    n = dict.fromkeys(FIGURES, 0.0)
    inspected: set[str] = set()
    first, last = _day(start), _day(end)
    open_cases: set[str] = set()  # opened before the end of the period and not closed or handed over by then
    samples: dict[str, list] = {}  # sample id -> [programme when taken in the period, latest result by the end]
    for ev in live(store, TYPES):
        if keep is not None and not keep(ev):  # an inspector's areas (``capture.scope.Scope.event``)
            continue
        if ev.type in ("enforcement_case", "case_update", "sampling") and in_period(ev.event_time, None, end):
            _track(ev, open_cases, samples, in_period(ev.event_time, start, end))
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
            n["case_amount"] += ev.amount_yuan or 0.0
        elif ev.type == "case_update":
            n["cases_closed" if ev.status.value == "closed" else "cases_handed_over"] += 1
            n["amount_fined"] += ev.fine_yuan
            n["amount_confiscated"] += ev.confiscated_yuan
        elif ev.type == "training":
            n["trainings"] += 1
            n["training_attendances"] += len(ev.attendees)
            n["people_trained"] += ev.people if ev.people is not None else len(ev.attendees)
        elif ev.type == "commitment":
            n["commitments"] += 1
        elif ev.type == "publicity":
            n["publicity_events"] += 1
            n["publicity_materials"] += ev.materials
            n["media_posts"] += ev.media_posts
        elif ev.type == "interview":
            n["interviews"] += 1
        elif ev.type == "incident":
            n["incidents"] += 1
        elif ev.type == "sampling":
            continue  # counted per sample below
        else:
            n["destructions"] += 1
            n["destruction_value"] += ev.value_yuan
    n["businesses_inspected"] = len(inspected)
    n["amount_total"] = n["amount_fined"] + n["amount_confiscated"]
    n["cases_in_progress"] = len(open_cases)
    for program, result in samples.values():
        if program:
            n[f"{program}_samples"] += 1
            n[f"{program}_passed"] += result == "pass"
            n["samples_pending"] += result is None
    return {k: {"value": round(v, 2) if k in MONEY else int(v), "zh": t(f"fig_{k}", "zh"), "en": t(f"fig_{k}", "en")}
            for k, v in n.items()}


def _track(ev, open_cases: set[str], samples: dict[str, list], inside: bool) -> None:  # noqa: ANN001
    """Cases still open by the end, and each sample (its programme when taken in the period) with its
    latest result by the end."""
    if ev.type == "enforcement_case":
        open_cases.add(ev.case_id)
    elif ev.type == "case_update":
        open_cases.discard(ev.case_id)
    elif ev.sample_id not in samples:
        samples[ev.sample_id] = [ev.program.value if inside else None, _v(ev.result)]
    elif ev.result is not None:
        samples[ev.sample_id][1] = _v(ev.result)


def _v(x):  # noqa: ANN001, ANN202
    return getattr(x, "value", x)


__all__ = ["supervision_figures", "FIGURES"]
