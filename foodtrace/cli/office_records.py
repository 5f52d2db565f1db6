"""``foodtrace supervise publicity|interview|sample|sample-result|incident|office-records``: the office's
own records the annual report counts, from the command line. Each command parses, calls one service
(``services/supervision/office_records.py``) and renders; the command line acts as an administrator
(it holds the store) and ``--by`` names the recording office."""

from __future__ import annotations

from typing import Any, Callable

import click

from foodtrace.cli.runner import run_and_render
from foodtrace.cli.supervision import RECORDING, JSON, _choice, _when
from foodtrace.model.vocab import Result, SamplingProgram

COUNT = click.IntRange(0, 10_000_000)


def _run(ctx: click.Context, by: str | None, call: Callable[[Any, Any], Any], as_json: bool, many: bool = False) -> None:
    from foodtrace.render.office_records import render_office_record, render_office_records
    from foodtrace.services.capture.principal import local

    run_and_render(ctx, lambda store: call(store, local(by)),
                   render_office_records if many else render_office_record, as_json)


@click.command()
@click.option("--title", required=True, help="What the event was (e.g. “3·15” 宣传).")
@click.option("--materials", type=COUNT, default=0, show_default=True, help="Copies of materials handed out.")
@click.option("--media-posts", type=click.IntRange(0, 100_000), default=0, show_default=True,
              help="Posts in the media.")
@click.option("--people", type=COUNT, default=None, help="People reached, when counted.")
@RECORDING
def publicity(ctx, title, materials, media_posts, people, at, record_id, by, as_json) -> None:
    """Record a publicity event (宣传活动)."""
    from foodtrace.services.supervision.office_records import record_publicity

    _run(ctx, by, lambda s, a: record_publicity(s, a, title, materials, media_posts, people, _when(at), record_id,
                                                by), as_json)


@click.command()
@click.argument("party")
@click.option("--reason", required=True, help="Why the business's responsible people were interviewed.")
@RECORDING
def interview(ctx, party, reason, at, record_id, by, as_json) -> None:
    """Record an interview (约谈) of business PARTY."""
    from foodtrace.services.supervision.office_records import record_interview

    _run(ctx, by, lambda s, a: record_interview(s, a, party, reason, _when(at), record_id, by), as_json)


@click.command()
@click.argument("party")
@click.option("--program", type=_choice(SamplingProgram), required=True,
              help="tableware (餐饮具洁净度抽检) or special (专项抽检).")
@click.option("--item", required=True, help="What was sampled (餐具、猪肉……).")
@click.option("--result", type=_choice(Result), default=None, help="When known at once; else pending.")
@click.option("--lot", "lots", multiple=True, help="A lot sampled; repeat.")
@click.option("--campaign", default=None, help="The special campaign it belongs to.")
@RECORDING
def sample(ctx, party, program, item, result, lots, campaign, at, record_id, by, as_json) -> None:
    """Record a sample taken at business PARTY."""
    from foodtrace.services.supervision.office_records import record_sample

    _run(ctx, by, lambda s, a: record_sample(s, a, party, program, item, lots, result, campaign, _when(at), record_id,
                                             by), as_json)


@click.command("sample-result")
@click.argument("sample_id")
@click.argument("result", type=_choice(Result))
@click.option("--at", "at", default=None, help="When the lab reported, ISO 8601 with a time zone (default now).")
@click.option("--by", default="inspector", show_default=True, help="The recording office (a party id).")
@JSON
@click.pass_context
def sample_result(ctx, sample_id, result, at, by, as_json) -> None:
    """Record the lab's RESULT (pass or fail) of sample SAMPLE_ID."""
    from foodtrace.services.supervision.office_records import record_sample_result

    _run(ctx, by, lambda s, a: record_sample_result(s, a, sample_id, result, _when(at), by), as_json)


@click.command()
@click.option("--description", required=True, help="What happened.")
@click.option("--people-affected", type=COUNT, default=0, show_default=True)
@RECORDING
def incident(ctx, description, people_affected, at, record_id, by, as_json) -> None:
    """Record a food-safety incident (食品安全事故)."""
    from foodtrace.services.supervision.office_records import record_incident

    _run(ctx, by, lambda s, a: record_incident(s, a, description, people_affected, _when(at), record_id, by), as_json)


@click.command("office-records")
@click.option("--kind", type=click.Choice(["publicity", "interview", "sampling", "incident"]), default=None)
@JSON
@click.pass_context
def office_records(ctx, kind, as_json) -> None:
    """List the office's publicity, interview, sampling and incident records."""
    from foodtrace.services.supervision.office_records import list_office_records

    _run(ctx, "inspector", lambda s, a: list_office_records(s, a, kind), as_json, many=True)


COMMANDS = (publicity, interview, sample, sample_result, incident, office_records)

__all__ = ["COMMANDS"]
