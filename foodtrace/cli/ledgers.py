"""Ledger commands: ``foodtrace template KIND -o file.xlsx`` (a ready-to-fill workbook) and
``foodtrace settlement-demo -o file.csv`` (a demo market's settlement terminal export); and how
``foodtrace ingest`` shows what a spreadsheet gave (units converted, a dry run's events)."""

from __future__ import annotations

from pathlib import Path

import click

from foodtrace.cli.runner import settings_of, with_store
from foodtrace.i18n import label, t
from foodtrace.ingest.ledger_words import WRITTEN_EN

KINDS = ["purchase", "sales", "tests", "compliance", "settlement"]


@click.command()
@click.argument("kind", type=click.Choice(KINDS))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help="file.xlsx")
@click.option("--lang", "lang", type=click.Choice(["zh", "en"]), default=None, help="Headers' language (default zh).")
@click.pass_context
def template(ctx: click.Context, kind: str, output: Path, lang: str | None) -> None:
    """Write the ready-to-fill workbook of ledger KIND: purchase (进货台账), sales (销售台账), tests (快检记录),
    compliance (合格证开具) or settlement (结算记录)."""
    from foodtrace.ingest.ledger_book import template_workbook

    output.write_bytes(template_workbook(kind, lang or settings_of(ctx).lang))
    click.echo(str(output))


@click.command("settlement-demo")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help="file.csv or file.xlsx")
@click.option("--market", default=None, help="The wholesale market (default: the demo's first one).")
@click.option("--rows", type=click.IntRange(min=1, max=5000), default=40, show_default=True)
@click.pass_context
def settlement_demo(ctx: click.Context, output: Path, market: str | None, rows: int) -> None:
    """Write the settlement terminal export of a market of the loaded demo district (its tenants' sales
    of what they hold, with prices): import it with ``foodtrace ingest FILE``."""
    from foodtrace.demo.settlement import settlement_file

    data, n = with_store(ctx, lambda store: settlement_file(store, market, rows, output.suffix.lower() == ".xlsx"))
    output.write_bytes(data)
    click.echo(f"{output}: {n} {t('rows', settings_of(ctx).lang)}")


def show_ledger_report(rep, lang: str) -> None:
    for kind, n in sorted(rep.ledgers.items()):
        click.echo(f"{t('ledger_' + kind, lang)}: {n} {t('rows', lang)}")
    for c in rep.conversions:
        where = f"{c['sheet']}!" if c["sheet"] else ""
        click.echo(t("ledger_converted", lang).format(where=where, row=c["row"], quantity=f"{c['quantity']:g}",
                                                      written=c["written"], stored=f"{c['stored_quantity']:g}",
                                                      unit=label(c["unit"], lang)))


def show_dry_run(rep, lang: str) -> None:
    click.echo(t("ledger_dry_run", lang))
    rows = rep.rows or [(None, None)] * len(rep.events)
    for (sheet, row), ev in zip(rows, rep.events):
        where = f"{sheet + '!' if sheet else ''}{row}" if row else "-"
        lot = getattr(ev, "lot", None)
        what = f"{lot.code} {_quantity(lot, getattr(ev, 'declared', None), lang)}" if lot is not None else \
            ", ".join(getattr(ev, "lots", []) or [])
        money = f" {ev.amount:g} {ev.currency}" if getattr(ev, "amount", None) is not None else ""
        click.echo(f"  {where}: {label(ev.type, lang)} {ev.party} {ev.event_time.isoformat()} {what}{money}")
    click.echo(f"{t('ledger_would_store', lang)}: {len(rep.result.stored)}  {t('duplicates', lang)}: "
               f"{len(rep.result.duplicates)}")


def _quantity(lot, declared, lang: str) -> str:
    """The stored quantity, and beside it the quantity as written when the row said it otherwise."""
    stored = f"{lot.quantity:g} {label(lot.unit.value, lang)}"
    if declared is None:
        return stored
    unit = declared.unit if lang == "zh" else WRITTEN_EN.get(declared.unit, declared.unit)  # 斤 is "jin" in English
    return t("ledger_as_written", lang).format(stored=stored, written=f"{declared.quantity:g} {unit}")


COMMANDS = (template, settlement_demo)
