"""Food-safety rules from the command line: ``check``, ``entry``, ``recall``,
``recall-show``, ``recall-confirm``, ``investigate``, ``complaints``,
``complaint-accept``. Each
parses, calls one service and renders (``render_rules``)."""

from __future__ import annotations

import click

from foodtrace.cli.runner import JSON_OPTION, rules_of, run_and_render


def _run(ctx: click.Context, call, render: str, as_json: bool) -> None:
    """``call(store)`` one service; print JSON or ``render_rules.<render>``."""
    from foodtrace.render import rules as render_rules

    run_and_render(ctx, call, getattr(render_rules, render), as_json)


@click.command()
@JSON_OPTION
@click.pass_context
def check(ctx: click.Context, as_json: bool) -> None:
    """List every anomaly in the district, with violation scores per party."""
    from foodtrace.services.safety.rules import check_district

    rules = rules_of(ctx)
    _run(ctx, lambda store: check_district(store, rules), "render_check", as_json)


@click.command()
@click.argument("code")
@click.option("--receiver", required=True, help="The receiving party's id.")
@click.option("--quantity", type=float, required=True, help="Quantity received, in the lot's unit.")
@JSON_OPTION
@click.pass_context
def entry(ctx: click.Context, code: str, receiver: str, quantity: float, as_json: bool) -> None:
    """Market-entry gate: may RECEIVER accept QUANTITY of lot CODE?"""
    from foodtrace.services.safety.rules import check_entry

    rules = rules_of(ctx)
    _run(ctx, lambda store: check_entry(store, code, receiver, quantity, rules=rules), "render_decision", as_json)


@click.command()
@click.argument("codes", nargs=-1, required=True)
@click.option("--reason", default=None, help="Why (default: 'recall started by an inspector', in Chinese and English).")
@click.option("--by", default="inspector", show_default=True, help="The party starting the recall.")
@click.option("--id", "recall_id", default=None, help="Recall id (default: made from the date and the lots).")
@click.option("--dry-run", is_flag=True, help="Only show what the recall would reach; record nothing.")
@JSON_OPTION
@click.pass_context
def recall(ctx: click.Context, codes: tuple[str, ...], reason: str | None, by: str, recall_id: str | None,
           dry_run: bool, as_json: bool) -> None:
    """Recall lots CODE...: every affected lot and holder, recorded as a recall event."""
    from foodtrace.i18n import t
    from foodtrace.services.safety.recall import start_recall

    # the default reason is the system's words: kept in Chinese and in English, each reader reads its own
    reason_en = None if reason is not None else t("recall_default_reason", "en")
    reason = reason if reason is not None else t("recall_default_reason", "zh")

    _run(ctx, lambda store: start_recall(store, list(codes), reason, by=by, recall_id=recall_id, dry_run=dry_run,
                                         reason_en=reason_en), "render_recall", as_json)


@click.command("recall-show")
@click.argument("recall_id")
@JSON_OPTION
@click.pass_context
def recall_show(ctx: click.Context, recall_id: str, as_json: bool) -> None:
    """Show recall RECALL_ID as it stands: holders, quantities, confirmations."""
    from foodtrace.services.safety.recall import recall_report

    _run(ctx, lambda store: recall_report(store, recall_id), "render_recall", as_json)


@click.command("recall-confirm")
@click.argument("recall_id")
@click.argument("party")
@click.option("--note", default=None)
@JSON_OPTION
@click.pass_context
def recall_confirm(ctx: click.Context, recall_id: str, party: str, note: str | None, as_json: bool) -> None:
    """Record that holder PARTY has acted on recall RECALL_ID."""
    from foodtrace.services.safety.recall import confirm_recall

    _run(ctx, lambda store: confirm_recall(store, recall_id, party, note=note), "render_recall", as_json)


@click.command()
@click.argument("codes", nargs=-1)
@click.option("--complaint", "complaints", multiple=True, help="A complaint id whose lots are problem lots.")
@click.option("--case", default=None, help="An investigation case: the lots of the complaints linked to it.")
@JSON_OPTION
@click.pass_context
def investigate(ctx: click.Context, codes: tuple[str, ...], complaints: tuple[str, ...], case: str | None,
                as_json: bool) -> None:
    """Rank the upstream lots and parties the problem lots CODE... share."""
    from foodtrace.services.safety.investigate import investigate as run

    _run(ctx, lambda store: run(store, list(codes), list(complaints), case), "render_investigation", as_json)


@click.command()
@click.option("--status", type=click.Choice(["open", "received", "accepted", "closed"]), default=None,
              help="open: not closed (received or accepted).")
@JSON_OPTION
@click.pass_context
def complaints(ctx: click.Context, status: str | None, as_json: bool) -> None:
    """List complaints (投诉举报) with their acceptance, links and closure."""
    from foodtrace.services.safety.complaints import list_complaints

    _run(ctx, lambda store: list_complaints(store, status=status), "render_complaints", as_json)


@click.command("complaint-accept")
@click.argument("complaint_id")
@click.option("--by", default="inspector", show_default=True, help="The office party accepting it.")
@click.option("--note", default=None, help="Why it is accepted, for the record.")
@JSON_OPTION
@click.pass_context
def complaint_accept(ctx: click.Context, complaint_id: str, by: str, note: str | None, as_json: bool) -> None:
    """Accept (受理) complaint COMPLAINT_ID: from now on it counts in the risk ranking."""
    from foodtrace.render.rules import render_complaints
    from foodtrace.services.safety.complaints import accept_complaint

    run_and_render(ctx, lambda store: accept_complaint(store, complaint_id, by=by, note=note),
                   lambda view, lang: render_complaints([view], lang), as_json)


COMMANDS = [check, entry, recall, recall_show, recall_confirm, investigate, complaints, complaint_accept]
