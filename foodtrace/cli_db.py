"""``foodtrace db backup`` and ``foodtrace db verify``: a backup taken while the server runs, and a check
of the log against its digests and projections (attached to the ``db`` group of ``foodtrace.cli``)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .cli_common import JSON_OPTION, open_store_of, settings_of, to_json
from .i18n import t


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def db_backup(ctx: click.Context, path: Path) -> None:
    """Back the store up into the new SQLite file PATH (online backup of a SQLite store while it serves;
    a logical export of the log for Neo4j). Restore: serve it, or `foodtrace db copy sqlite:///PATH URL`."""
    from .services.backup import backup

    store = open_store_of(ctx)
    try:
        report = backup(store, path)
    finally:
        store.close()
    lang = settings_of(ctx).lang
    click.echo(f"{t('backup_written', lang)}: {report.path} ({report.events} {t('events', lang)}, {report.method})")


@click.command("verify")
@JSON_OPTION
@click.pass_context
def db_verify(ctx: click.Context, as_json: bool) -> None:
    """Recompute every stored event's digest and the projections from the log; list any difference and
    every event this version cannot read. Exit status 1 when anything differs."""
    from .services.backup import verify

    store = open_store_of(ctx)
    try:
        report = verify(store)
    finally:
        store.close()
    lang = settings_of(ctx).lang
    if as_json:
        click.echo(to_json(report))
    else:
        for p in report.problems:
            click.echo(f"{p.kind:16} {p.subject}  {p.reason}")
        verdict = t("verify_ok", lang) if report.ok else f"{len(report.problems)} {t('verify_problems', lang)}"
        click.echo(f"{report.events} {t('events', lang)}, {report.lots} {t('lots', lang)}: {verdict}")
    if not report.ok:
        sys.exit(1)


DB_COMMANDS = (db_backup, db_verify)
