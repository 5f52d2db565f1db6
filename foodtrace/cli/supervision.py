"""``foodtrace supervise …``: supervision records from the command line —
inspections, campaigns, cases, trainings, commitments, public destruction,
the risk ranking and the figures. Each command parses, calls one service
and renders. The command line acts as an administrator (it holds the store);
``--by`` names the recording office."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Callable

import click

from foodtrace.cli.runner import rules_of, run_and_render
from foodtrace.model.vocab import CaseSource, DestructionReason, InspectionMode, InspectionOutcome, PartyKind, Unit

BY = click.option("--by", default="inspector", show_default=True, help="The recording office (a party id).")
AT = click.option("--at", "at", default=None, help="When it happened, ISO 8601 with a time zone (default now).")
ID = click.option("--id", "record_id", default=None, help="The record's id (default: made from the time).")
JSON = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


def _options(*decorators):
    """One decorator applying these, the first outermost."""
    def apply(f):
        for d in reversed(decorators):
            f = d(f)
        return f
    return apply


RECORDING = _options(AT, ID, BY, JSON, click.pass_context)  # commands that record a new record
UPDATING = _options(AT, BY, JSON, click.pass_context)  # commands that move a case on


def _choice(enum) -> click.Choice:
    return click.Choice([m.value for m in enum])


def _when(text: str | None, field: str = "--at") -> datetime | None:
    if text is None:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"{text!r} is not an ISO 8601 time", param_hint=field) from None
    if value.tzinfo is None:
        raise click.BadParameter("a time zone is required (e.g. 2025-03-01T08:00:00+08:00)", param_hint=field)
    return value


def _day(text: str | None, field: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"{text!r} is not a date (YYYY-MM-DD)", param_hint=field) from None


def _run(ctx: click.Context, by: str | None, call: Callable[[Any, Any], Any], render: str, as_json: bool,
         **render_kw) -> None:
    """``call(store, actor)`` one service as the office ``by``; print JSON or ``render_supervision.<render>``."""
    from foodtrace.render import supervision as render_supervision
    from foodtrace.services.capture.principal import local

    run_and_render(ctx, lambda store: call(store, local(by)),
                   lambda result, lang: getattr(render_supervision, render)(result, lang, **render_kw), as_json)


@click.group()
def supervise() -> None:
    """Supervision records (监督管理): inspections, campaigns, cases, trainings, commitments, destruction, risk."""


@supervise.command()
@click.argument("party")
@click.option("--outcome", type=_choice(InspectionOutcome), required=True)
@click.option("--inspector", "inspectors", multiple=True, required=True, help="An inspector (执法人员); repeat.")
@click.option("--finding", "findings", multiple=True, help="A finding; repeat.")
@click.option("--mode", type=_choice(InspectionMode), default="on_site", show_default=True)
@click.option("--notice", default=None, help="The notice's number (文书编号).")
@click.option("--rectify-by", default=None, help="Deadline to rectify (YYYY-MM-DD).")
@click.option("--campaign", default=None, help="The special campaign it belongs to.")
@click.option("--lot", "lots", multiple=True, help="A lot concerned; repeat.")
@RECORDING
def inspect(ctx, party, outcome, inspectors, findings, mode, notice, rectify_by, campaign, lots, at, record_id, by,
            as_json) -> None:
    """Record an inspection of business PARTY."""
    from foodtrace.services.supervision import record_inspection

    kw = dict(findings=findings, mode=mode, notice_number=notice, rectify_by=_day(rectify_by, "--rectify-by"),
              campaign_id=campaign, lots=lots, at=_when(at), inspection_id=record_id)
    _run(ctx, by, lambda s, a: record_inspection(s, a, party, outcome, inspectors, **kw), "render_inspection", as_json)


@supervise.command()
@click.option("--party", default=None)
@click.option("--campaign", default=None)
@click.option("--outcome", type=_choice(InspectionOutcome), default=None)
@JSON
@click.pass_context
def inspections(ctx, party, campaign, outcome, as_json) -> None:
    """List inspections."""
    from foodtrace.services.supervision import list_inspections

    _run(ctx, None, lambda s, a: list_inspections(s, a, subject=party, campaign_id=campaign, outcome=outcome),
         "render_inspections", as_json)


@supervise.group()
def campaign() -> None:
    """Special campaigns (专项整治): start, show, list."""


@campaign.command("start")
@click.option("--name", required=True)
@click.option("--from", "start", required=True, help="First day (YYYY-MM-DD).")
@click.option("--to", "end", required=True, help="Last day (YYYY-MM-DD).")
@click.option("--kind", "kinds", type=_choice(PartyKind), multiple=True, required=True, help="A kind in scope; repeat.")
@click.option("--area", "areas", multiple=True, help="An area code in scope (default: all); repeat.")
@click.option("--description", default=None)
@RECORDING
def campaign_start(ctx, name, start, end, kinds, areas, description, at, record_id, by, as_json) -> None:
    """Launch a special campaign."""
    from foodtrace.services.supervision import start_campaign

    kw = dict(scope_areas=areas, description=description, campaign_id=record_id, at=_when(at))
    _run(ctx, by, lambda s, a: start_campaign(s, a, name, _day(start, "--from"), _day(end, "--to"), kinds, **kw),
         "render_campaign", as_json)


@campaign.command("show")
@click.argument("campaign_id")
@JSON
@click.pass_context
def campaign_show(ctx, campaign_id, as_json) -> None:
    """One campaign: businesses inspected, notices, suspensions, who is left."""
    from foodtrace.services.supervision import campaign_report

    _run(ctx, None, lambda s, a: campaign_report(s, a, campaign_id), "render_campaign", as_json)


@campaign.command("list")
@JSON
@click.pass_context
def campaign_list(ctx, as_json) -> None:
    """Every campaign with what was done in it."""
    from foodtrace.services.supervision import list_campaigns

    _run(ctx, None, lambda s, a: list_campaigns(s, a), "render_campaigns", as_json)


@supervise.group()
def case() -> None:
    """Enforcement cases (案件): open, close, hand-over, show, list."""


@case.command("open")
@click.option("--from", "source", type=_choice(CaseSource), required=True, help="Where the case comes from.")
@click.option("--ref", "refs", multiple=True,
              help="anomaly: KIND:LOT; complaint: its id; failed_test: the test's event id; inspection: its id.")
@click.option("--lot", "lots", multiple=True, help="A lot involved; repeat.")
@click.option("--subject", "subjects", multiple=True, help="A party the case is against (default: from the source).")
@click.option("--summary", default=None, help="The case's grounds (案由; default: from the source).")
@RECORDING
def case_open(ctx, source, refs, lots, subjects, summary, at, record_id, by, as_json) -> None:
    """Open (立案) a case; the traces of its lots are kept as evidence."""
    from foodtrace.services.supervision import open_case

    rules = rules_of(ctx)
    kw = dict(refs=refs, lots=lots, subjects=subjects, summary=summary, case_id=record_id, at=_when(at), rules=rules)
    _run(ctx, by, lambda s, a: open_case(s, a, source, **kw), "render_case", as_json)


@case.command("close")
@click.argument("case_id")
@click.option("--fine", type=click.FloatRange(min=0), default=0.0, help="Amount fined (yuan).")
@click.option("--confiscated", type=click.FloatRange(min=0), default=0.0, help="Amount confiscated (yuan).")
@click.option("--decision", default=None, help="The penalty decision's number.")
@click.option("--note", default=None)
@UPDATING
def case_close(ctx, case_id, fine, confiscated, decision, note, at, by, as_json) -> None:
    """Close (办结) a case, with the amounts fined and confiscated."""
    from foodtrace.services.supervision import update_case

    kw = dict(fine_yuan=fine, confiscated_yuan=confiscated, decision_number=decision, note=note, at=_when(at))
    _run(ctx, by, lambda s, a: update_case(s, a, case_id, "closed", **kw), "render_case", as_json)


@case.command("hand-over")
@click.argument("case_id")
@click.option("--to", "handed_to", required=True, help="The police unit.")
@click.option("--confiscated", type=click.FloatRange(min=0), default=0.0, help="Amount confiscated (yuan).")
@click.option("--note", default=None)
@UPDATING
def case_hand_over(ctx, case_id, handed_to, confiscated, note, at, by, as_json) -> None:
    """Hand a case to the police (移交公安机关)."""
    from foodtrace.services.supervision import update_case

    kw = dict(handed_to=handed_to, confiscated_yuan=confiscated, note=note, at=_when(at))
    _run(ctx, by, lambda s, a: update_case(s, a, case_id, "handed_to_police", **kw), "render_case", as_json)


@case.command("show")
@click.argument("case_id")
@click.option("--evidence", is_flag=True, help="Also the traces kept with the case, and what changed since.")
@JSON
@click.pass_context
def case_show(ctx, case_id, evidence, as_json) -> None:
    """One case as it stands."""
    from foodtrace.services.supervision import case_evidence, get_case

    if evidence and as_json:
        _run(ctx, None, lambda s, a: case_evidence(s, a, case_id), "render_case", as_json)
        return
    if evidence:
        _run(ctx, None, lambda s, a: (get_case(s, a, case_id), case_evidence(s, a, case_id)), "render_case_evidence",
             False)
        return
    _run(ctx, None, lambda s, a: get_case(s, a, case_id), "render_case", as_json)


@case.command("list")
@click.option("--status", type=click.Choice(["opened", "closed", "handed_to_police"]), default=None)
@click.option("--party", default=None, help="Only cases against this party.")
@JSON
@click.pass_context
def case_list(ctx, status, party, as_json) -> None:
    """Cases as they stand."""
    from foodtrace.services.supervision import list_cases

    _run(ctx, None, lambda s, a: list_cases(s, a, status=status, subject=party), "render_cases", as_json)


@supervise.command()
@click.option("--topic", required=True)
@click.option("--attendee", "attendees", multiple=True, required=True, help="An attending business; repeat.")
@click.option("--hours", type=click.FloatRange(min=0, min_open=True, max=100), default=None)
@click.option("--campaign", default=None)
@RECORDING
def training(ctx, topic, attendees, hours, campaign, at, record_id, by, as_json) -> None:
    """Record a training session and who attended."""
    from foodtrace.services.supervision import record_training

    kw = dict(hours=hours, campaign_id=campaign, at=_when(at), training_id=record_id)
    _run(ctx, by, lambda s, a: [record_training(s, a, topic, attendees, **kw)], "render_trainings", as_json)


@supervise.command()
@click.argument("party")
@click.option("--title", default="食品安全承诺书", show_default=True)
@click.option("--valid-until", default=None, help="YYYY-MM-DD")
@click.option("--campaign", default=None)
@RECORDING
def commitment(ctx, party, title, valid_until, campaign, at, record_id, by, as_json) -> None:
    """Record a commitment letter (承诺书) signed by PARTY."""
    from foodtrace.services.supervision import record_commitment

    kw = dict(valid_until=_day(valid_until, "--valid-until"), campaign_id=campaign, at=_when(at),
              commitment_id=record_id)
    _run(ctx, by, lambda s, a: [record_commitment(s, a, party, title, **kw)], "render_commitments", as_json)


@supervise.command()
@click.option("--goods", required=True, help="What was destroyed.")
@click.option("--value", type=click.FloatRange(min=0), required=True, help="Its value (yuan).")
@click.option("--reason", type=_choice(DestructionReason), required=True)
@click.option("--quantity", type=click.FloatRange(min=0, min_open=True), default=None)
@click.option("--unit", type=_choice(Unit), default=None)
@click.option("--subject", "subjects", multiple=True, help="Whose goods; repeat.")
@click.option("--lot", "lots", multiple=True, help="A lot destroyed; repeat.")
@click.option("--case", "case_id", default=None, help="The case the goods were seized in.")
@RECORDING
def destroy(ctx, goods, value, reason, quantity, unit, subjects, lots, case_id, at, record_id, by, as_json) -> None:
    """Record a public destruction (公开销毁)."""
    from foodtrace.services.supervision import record_destruction

    kw = dict(quantity=quantity, unit=unit, subjects=subjects, lots=lots, case_id=case_id, at=_when(at),
              destruction_id=record_id)
    _run(ctx, by, lambda s, a: [record_destruction(s, a, goods, value, reason, **kw)], "render_destructions", as_json)


@supervise.command("list")
@click.argument("kind", type=click.Choice(["trainings", "commitments", "destructions"]))
@click.option("--party", default=None)
@JSON
@click.pass_context
def list_records(ctx, kind, party, as_json) -> None:
    """List trainings, commitments or destructions."""
    from foodtrace.services import supervision as sv

    call = {"trainings": sv.list_trainings, "commitments": sv.list_commitments, "destructions": sv.list_destructions}
    _run(ctx, None, lambda s, a: call[kind](s, a, party=party), f"render_{kind}", as_json)


@supervise.command()
@click.option("--top", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--as-of", default=None, help="Rank as of this time (ISO 8601 with a time zone; default now).")
@JSON
@click.pass_context
def risk(ctx, top, as_of, as_json) -> None:
    """Businesses ranked by risk score — whom to inspect next — with the reasons."""
    from foodtrace.services.supervision import risk_ranking

    rules = rules_of(ctx)
    when = _when(as_of, "--as-of")
    _run(ctx, None, lambda s, a: risk_ranking(s, actor=a, rules=rules, top=top, as_of=when), "render_risk", as_json)


@supervise.command()
@click.option("--from", "start", default=None, help="First day (YYYY-MM-DD).")
@click.option("--to", "end", default=None, help="Last day (YYYY-MM-DD).")
@JSON
@click.pass_context
def figures(ctx, start, end, as_json) -> None:
    """The supervision figures of a period, for the statistics report."""
    from foodtrace.services.supervision import supervision_figures

    first, last = _day(start, "--from"), _day(end, "--to")
    _run(ctx, None, lambda s, a: supervision_figures(s, first, last, actor=a), "render_figures", as_json,
         period=f"{first or '…'} – {last or '…'}")


@supervise.command()
@click.argument("code")
@JSON
@click.pass_context
def lot(ctx, code, as_json) -> None:
    """Supervision records on the lots of lot CODE's backward and forward traces."""
    from foodtrace.services.supervision import records_for_lot

    _run(ctx, None, lambda s, a: records_for_lot(s, a, code), "render_records", as_json)
