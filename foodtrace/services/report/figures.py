"""The figures of the district's annual food-safety report, computed from the
store for any period (``district_report``), each with its definition.

One pass over the log (``collect.read_log``) gives the rules' facts as they
stood at the end of the period and the counts of the period; every figure is
computed from those, so it works on any backend. The sections are computed in ``membership`` (who is
registered, reports, is connected), ``certificates`` (tests and certificates), ``incidents`` (slaughter,
complaints, recalls, anomalies), ``flows`` and ``trade``; this module folds, keeps and assembles them.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from typing import Any, Callable

from pydantic import TypeAdapter

from foodtrace.graph.store import GraphStore
from foodtrace.i18n import t
from foodtrace.services.report.certificates import clenbuterol, tests, vegetables
from foodtrace.services.report.checkpoint import kept_figures
from foodtrace.services.report.collect import Collected, read_log
from foodtrace.services.report.flows import meat_flow
from foodtrace.services.report.incidents import anomalies, complaints, meat, recalls
from foodtrace.services.report.membership import ATTRIBUTES, GROUPS, NODE_KINDS, membership, traceability, transparency
from foodtrace.services.report.model import SECTIONS, Bi, Figure, Report
from foodtrace.services.report.period import Period, period
from foodtrace.services.report.replay import read_facts
from foodtrace.services.report.trade import trade
from foodtrace.services.safety.rules.config import RuleConfig, load_rules
from foodtrace.services.safety.rules.facts import Facts
from foodtrace.services.safety.rules.gc_pause import gc_paused
from foodtrace.services.supervision.figures import supervision_figures


def district_report(store: GraphStore, first: str | date | None, last: str | date | None, tz: str = "+08:00",
                    rules: RuleConfig | None = None, now: datetime | None = None, from_log: bool = False,
                    keep: Callable[[Any], bool] | None = None) -> Report:
    """The report for the whole days ``first``..``last`` in time zone ``tz``, from the store's report
    facts (``replay.read_facts``: its time index and the events the figures read) — or, with
    ``from_log``, from one pass over the whole log (``collect.read_log``; the reference it must equal).
    With ``keep`` (an inspector's areas), of the events it keeps only: read from the log, since the
    report facts count the whole district. From the report facts, the figures a previous report of the same
    days, zone and rules kept are read back while nothing before the end changed (``checkpoint.py``)."""
    p = period(first, last, tz)
    cfg = rules or load_rules()
    if from_log or keep is not None:
        facts, col = read_log(store, p, keep)
        folded = _folded(facts, col, p, cfg)
    else:  # the figures a previous report kept, while still true (services/report/checkpoint.py)
        folded, _ = kept_figures(store, p, cfg.model_dump_json(), lambda: _from_facts(store, p, cfg),
                                 _encode, _decode)
    return Report(
        period_from=p.first, period_to=p.last, tz=p.tz_name(),
        generated_at=(now or datetime.now(p.tz)).replace(microsecond=0),
        definitions={k: Bi(zh=t(f"report_def_{k}", "zh"), en=t(f"report_def_{k}", "en")) for k in SECTIONS},
        supervision=supervision(store, p, keep), **folded)


# The figures folded from the records before the end of the period (all but the header and supervision).
FOLDED = ("events_read", "membership", "traceability", "vegetables", "meat", "clenbuterol", "tests", "complaints",
          "recalls", "anomalies", "transparency", "flow", "trade")


def _folded(facts: Facts, col: Collected, p: Period, cfg: RuleConfig) -> dict[str, Any]:
    return dict(
        events_read=facts.events, membership=membership(facts, col), traceability=traceability(facts, col),
        vegetables=vegetables(facts, col), meat=meat(facts, p), clenbuterol=clenbuterol(facts, col),
        tests=tests(facts, col, p), complaints=complaints(col), recalls=recalls(facts, col),
        anomalies=anomalies(facts, col, p, cfg), transparency=transparency(facts), flow=meat_flow(facts, p),
        trade=trade(facts, col.trades))


def _from_facts(store: GraphStore, p: Period, cfg: RuleConfig) -> dict[str, Any]:
    with gc_paused():  # millions of objects, none of them garbage until the figures are made
        facts, col = read_facts(store, p)
        folded = _folded(facts, col, p, cfg)
        del facts, col  # freed by their reference counts before the collector runs again
    return folded


@lru_cache(maxsize=1)
def _adapters() -> dict[str, TypeAdapter]:
    return {k: TypeAdapter(Report.model_fields[k].annotation) for k in FOLDED}


def _encode(folded: dict[str, Any]) -> dict[str, Any]:
    ad = _adapters()
    return {k: ad[k].dump_python(folded[k], mode="json") for k in FOLDED}


def _decode(kept: dict[str, Any]) -> dict[str, Any]:
    ad = _adapters()
    return {k: ad[k].validate_python(kept[k]) for k in FOLDED}


def supervision(store: GraphStore, p: Period, keep: Callable[[Any], bool] | None = None) -> list[Figure]:
    """The office's inspections, campaigns, cases and outreach in the period (the supervision service's figures)."""
    return [Figure(key=k, value=f["value"], label=Bi(zh=f["zh"], en=f["en"]))
            for k, f in supervision_figures(store, p.start, p.end, keep=keep).items()]


__all__ = ["district_report", "GROUPS", "NODE_KINDS", "ATTRIBUTES"]
