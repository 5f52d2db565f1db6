"""Commands on lots: ``ingest`` a file of events, ``trace`` a lot, ``export`` its records."""

from __future__ import annotations

import json
from pathlib import Path
import sys

import click

from foodtrace.cli.runner import rules_of, settings_of, with_store
from foodtrace.i18n import t
from foodtrace.i18n.epcis_warnings import said


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--batch-size", type=click.IntRange(min=0), default=0, show_default=True,
              help="JSON lines only — 0: the whole file is one all-or-nothing batch; N: commit every N events.")
@click.option("--dry-run", is_flag=True, help="Check everything and show what would be stored; store nothing.")
@click.option("--ledger", type=click.Choice(["purchase", "sales", "tests", "compliance", "settlement"]),
              default=None, help="Spreadsheets: read every sheet as this ledger (default: by sheet name or header).")
@click.option("--party", default=None, help="Spreadsheets: the party whose ledger it is (its own-party column's "
              "default: the receiver of a purchase ledger, the seller of a sales ledger…).")
@click.option("--partial", is_flag=True,
              help="EPCIS only — store every event that can be stored and list the others (default: all or nothing).")
@click.pass_context
def ingest(ctx: click.Context, file: Path, batch_size: int, dry_run: bool, ledger: str | None,
           party: str | None, partial: bool) -> None:
    """Capture events from FILE: .jsonl (one event per line), .csv / .xlsx (ledgers in UTF-8 or
    GB18030/GBK with Chinese or English headers, or the CSV layouts; times without a time zone
    in FOODTRACE_TZ), .jsonld / .json (an EPCIS 2.0 document)."""
    from foodtrace.cli.ledgers import show_dry_run, show_ledger_report
    from foodtrace.services.capture.imports import ingest_file_as
    from foodtrace.services.capture.principal import local

    s = settings_of(ctx)
    lang = s.lang
    size = file.stat().st_size if file.exists() else 0
    lines = sum(1 for _ in open(file, "rb")) if size else 0
    committed = 0
    with click.progressbar(length=max(lines, 1), label=t("ingest_loading", lang), file=sys.stderr, show_pos=True) as bar:

        def on_batch(n: int) -> None:
            nonlocal committed
            bar.update(n)
            if batch_size:  # each batch is durable once this line is printed
                committed += n
                click.echo(f"{t('committed', lang)}: {committed}")

        rep = with_store(ctx, lambda store: ingest_file_as(
            store, local(party), file, rules=rules_of(ctx), batch_size=batch_size, progress=on_batch, tz=s.tz,
            lang=lang, ledger=ledger, dry_run=dry_run, partial=partial))
    for w in rep.warnings:
        click.secho(f"{t('warning', lang)}: {said(w, lang)}", fg="yellow", err=True)
    for d in rep.refused:
        click.secho(f"{t('refused_event', lang)}: #{d.get('position')} {d.get('field') or ''}: {d.get('reason')}",
                    fg="red", err=True)
    for nt in rep.not_traced:
        click.echo(f"{t('not_traced', lang)}: {nt['event_id']} — {nt['reason']}", err=True)
    show_ledger_report(rep, lang)
    if dry_run:
        show_dry_run(rep, lang)
        return
    res = rep.result
    click.echo(f"{t('stored', lang)}: {len(res.stored)}  {t('duplicates', lang)}: {len(res.duplicates)}  "
               f"{t('placeholders', lang)}: {len(res.placeholders)}")


@click.group()
def export() -> None:
    """Export a lot's records: EPCIS 2.0 or the FSMA 204 sortable spreadsheet."""


@export.command("fsma")
@click.argument("code")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help="file.xlsx or file.csv")
@click.pass_context
def export_fsma(ctx: click.Context, code: str, output: Path) -> None:
    """The FSMA 204 sortable spreadsheet of every CTE linked to lot CODE."""
    from foodtrace.ingest.fsma import write_fsma
    from foodtrace.services.tracing.exports import lot_fsma_rows

    fmt = "csv" if output.suffix.lower() == ".csv" else "xlsx"
    rows = with_store(ctx, lambda store: lot_fsma_rows(store, code))
    output.write_bytes(write_fsma(rows, fmt))
    click.echo(f"{output}: {len(rows)} {t('rows', settings_of(ctx.find_root()).lang)}")


@export.command("epcis")
@click.argument("code")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help="file.jsonld")
@click.pass_context
def export_epcis(ctx: click.Context, code: str, output: Path) -> None:
    """Lot CODE's trace as an EPCIS 2.0 JSON-LD document."""
    from foodtrace.services.tracing.exports import lot_epcis

    doc = with_store(ctx, lambda store: lot_epcis(store, code))
    output.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
    click.echo(f"{output}: {len(doc['epcisBody']['eventList'])} {t('events', settings_of(ctx.find_root()).lang)}")


@click.command()
@click.argument("code")
@click.option("--forward", is_flag=True, help="Forward (where it went) instead of backward (where it came from).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a tree.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Most lots to include.")
@click.option("--as-of", "as_of", default=None, metavar="TIME",
              help="As the store knew it at this record time (ISO 8601 with a time zone), for disputes.")
@click.pass_context
def trace(ctx: click.Context, code: str, forward: bool, as_json: bool, limit: int | None, as_of: str | None) -> None:
    """Trace a lot by its CODE (trace code, receipt code or QR link)."""
    from datetime import datetime

    from foodtrace.errors import InvalidInput
    from foodtrace.i18n.keyed import keyed
    from foodtrace.i18n.refusals import refusal
    from foodtrace.render.text import render_trace
    from foodtrace.services.tracing.asof import trace_as_of
    from foodtrace.services.tracing.trace import backward_trace, forward_trace

    at = None
    if as_of:
        try:
            at = datetime.fromisoformat(as_of)
        except ValueError as exc:
            raise keyed(InvalidInput, "cli_bad_time", [refusal(None, "as_of", "cli_time_form", standard="ISO 8601",
                                                               example="2025-03-01T12:00:00+08:00")],
                        option="--as-of", reason=str(exc), value=as_of) from exc
    if at is not None:
        tr = with_store(ctx, lambda store: trace_as_of(store, code, at, forward=forward, limit=limit))
    else:
        tr = with_store(ctx, lambda store: (forward_trace if forward else backward_trace)(store, code, limit))
    if as_json:
        click.echo(json.dumps(tr.model_dump(mode="json", by_alias=True), ensure_ascii=False, indent=2))
    else:
        click.echo(render_trace(tr, settings_of(ctx).lang))
