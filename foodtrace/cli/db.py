"""Store administration: ``db init`` (constraints and indexes) and ``db copy`` (one store's log
into another)."""

from __future__ import annotations

import sys

import click

from foodtrace.cli.runner import settings_of, with_store
from foodtrace.i18n import t


@click.group()
def db() -> None:
    """Store administration: init, copy."""


@db.command("init")
@click.pass_context
def db_init(ctx: click.Context) -> None:
    """Create the store's constraints and indexes (Neo4j; a no-op for SQLite)."""
    def init(store) -> str:
        store.init_schema()
        return store.url

    url = with_store(ctx, init)
    click.echo(f"{t('schema_ready', settings_of(ctx).lang)}: {url}")


@db.command("copy")
@click.argument("src")
@click.argument("dst")
@click.pass_context
def db_copy(ctx: click.Context, src: str, dst: str) -> None:
    """Copy the whole event log from store SRC to store DST (URLs), keeping ids and record times."""
    from foodtrace.graph import open_store
    from foodtrace.services.admin.copying import copy_log

    s = settings_of(ctx)

    def copy(source):
        with open_store(dst, s) as target:
            total = source.counts()["events"]
            with click.progressbar(length=max(total, 1), label="copy", file=sys.stderr, show_pos=True) as bar:
                n = copy_log(source, target, progress=bar.update)
            return n, target.counts()

    n, counts = with_store(ctx, copy, url=src)
    click.echo(f"{t('copied', s.lang)}: {n} {t('events', s.lang)} → {dst} ({counts['events']} {t('events', s.lang)})")
