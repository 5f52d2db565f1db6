"""The one command-line entry point: ``foodtrace serve|demo|ingest|trace|check|entry|recall|investigate|supervise…``.

Commands parse, call one service and render. Errors print their reason (and
position and field) and exit non-zero — never a traceback.
"""

from __future__ import annotations

import sys

import click

from foodtrace.cli.runner import Cli, open_store_of, settings_of
from foodtrace.config import Settings
from foodtrace.i18n import t

STORE_HELP = "Store URL: sqlite:///path.db (default ./foodtrace.db), memory://, bolt://host:7687, neo4j://…"


@click.group(cls=Cli, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--store", envvar="FOODTRACE_STORE", default=None, help=STORE_HELP)
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Language of output (default zh).")
@click.version_option(package_name="foodtrace", message="%(prog)s %(version)s")  # no words: every language
@click.pass_context
def main(ctx: click.Context, store: str | None, lang: str | None) -> None:
    """foodtrace — farm-to-table traceability for meat and vegetables (肉类蔬菜流通追溯)."""
    settings = Settings()
    updates = {k: v for k, v in {"store": store, "lang": lang}.items() if v}
    ctx.obj = {"settings": settings.model_copy(update=updates)}


@main.command()
@click.option("--host", default=None, help="Interface to listen on (default 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (default 8000).")
@click.option("--workers", type=click.IntRange(min=1), default=1, show_default=True,
              help="Worker processes (each opens the store; the embedded one catches up from the shared file).")
@click.pass_context
def serve(ctx: click.Context, host: str | None, port: int | None, workers: int) -> None:
    """Serve the HTTP API and pages."""
    _serve(ctx, host, port, workers=workers)


def _serve(ctx: click.Context, host: str | None, port: int | None, store=None, workers: int = 1) -> None:
    from foodtrace.api.serving import run

    s = settings_of(ctx)
    s = s.model_copy(update={k: v for k, v in {"host": host, "port": port}.items() if v})
    click.echo(f"{t('serving', s.lang)}: {s.public_base_url()}  ({t('store_is', s.lang)} {s.store})", err=True)
    run(s, workers=workers, store=store)


@main.command()
@click.option("--events", "size", type=click.IntRange(min=500), default=20_000, show_default=True,
              help="Approximate number of events to generate.")
@click.option("--seed", type=int, default=7, show_default=True, help="Random seed (same seed, same district).")
@click.option("--clean", is_flag=True, help="Plant no problems.")
@click.option("--complaints", is_flag=True, help="Also file consumer complaints on pork from one farm (SF001).")
@click.option("--serve/--no-serve", "do_serve", default=True, help="Serve after loading (default) or only load.")
@click.option("--host", default=None)
@click.option("--port", type=int, default=None)
@click.pass_context
def demo(ctx: click.Context, size: int, seed: int, clean: bool, complaints: bool, do_serve: bool, host,
         port) -> None:
    """Generate and load a demo district, then serve it."""
    from foodtrace.demo.load import load_demo

    s = settings_of(ctx)
    s = s.model_copy(update={k: v for k, v in {"host": host, "port": port}.items() if v})
    ctx.obj["settings"] = s
    lang = s.lang
    with open_store_of(ctx) as store:
        store.init_schema()
        with click.progressbar(length=size, label=t("demo_loading", lang), file=sys.stderr, show_pos=True) as bar:
            district = load_demo(store, events=size, seed=seed, plant=not clean, progress=bar.update,
                                 plant_complaints=complaints)
        counts = store.counts()
        click.echo(f"{t('demo_loaded', lang)}: {counts['events']} {t('events', lang)}, {counts['lots']} "
                   f"{t('lots', lang)} → {s.store}")
        if district.sample_receipt:
            click.echo(f"{t('sample_receipt', lang)}: {district.sample_receipt}")
            click.echo(f"{t('consumer_link', lang)}: {s.public_base_url()}/l/{district.sample_receipt}")
        if do_serve:
            _serve(ctx, host, port, store=store)


# command groups that live in modules of their own
from foodtrace.cli.db import db  # noqa: E402
from foodtrace.cli.doctor import doctor  # noqa: E402
from foodtrace.cli.keys import audit_cmd, keys  # noqa: E402
from foodtrace.cli.ledgers import COMMANDS as LEDGER_COMMANDS  # noqa: E402
from foodtrace.cli.lots import export, ingest, trace  # noqa: E402
from foodtrace.cli.report import report  # noqa: E402
from foodtrace.cli.rules import COMMANDS as RULES_COMMANDS  # noqa: E402
from foodtrace.cli.supervision import supervise  # noqa: E402
from foodtrace.cli.office_records import COMMANDS as OFFICE_COMMANDS  # noqa: E402
from foodtrace.cli.warnings import warnings  # noqa: E402
from foodtrace.cli.users import users  # noqa: E402
from foodtrace.cli.web import qr  # noqa: E402

for command in (ingest, trace, export, keys, audit_cmd, db, report, *RULES_COMMANDS, supervise, qr, doctor, warnings,
                users,
                *LEDGER_COMMANDS):
    main.add_command(command)
for command in OFFICE_COMMANDS:
    supervise.add_command(command)


if __name__ == "__main__":  # pragma: no cover
    main()
