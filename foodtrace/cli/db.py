"""Store administration: ``db init`` (constraints and indexes), ``db copy`` (one store's log into
another), ``db backup`` (while the server runs), ``db report-facts``, ``db search-index`` and ``db views``
(what a store written before them lacks, or a fill ahead of use) and ``db verify`` (digests and
projections against the log)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from foodtrace.cli.runner import JSON_OPTION, rules_of, settings_of, to_json, with_store
from foodtrace.i18n import t


@click.group()
def db() -> None:
    """Store administration: init, copy, backup, report-facts, search-index, views, verify."""


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
            with click.progressbar(length=max(total, 1), label=t("copy_loading", s.lang), file=sys.stderr, show_pos=True) as bar:
                n = copy_log(source, target, progress=bar.update)
            return n, target.counts()

    n, counts = with_store(ctx, copy, url=src)
    click.echo(f"{t('copied', s.lang)}: {n} {t('events', s.lang)} → {dst} ({counts['events']} {t('events', s.lang)})")


@db.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def db_backup(ctx: click.Context, path: Path) -> None:
    """Back the store up into the new SQLite file PATH (online backup of a SQLite store while it serves;
    a logical export of the log for Neo4j). Restore: serve it, or `foodtrace db copy sqlite:///PATH URL`."""
    from foodtrace.services.admin.backup import backup

    report = with_store(ctx, lambda store: backup(store, path))
    lang = settings_of(ctx).lang
    click.echo(f"{t('backup_written', lang)}: {report.path} ({report.events} {t('events', lang)}, {report.method})")


@db.command("report-facts")
@click.pass_context
def db_report_facts(ctx: click.Context) -> None:
    """Index the events of a store written before the statistics report's facts existed (otherwise
    the first report does it, without a progress bar). A no-op once done, and for Neo4j."""
    from foodtrace.services.report.facts import prepare

    n = _with_progress(ctx, "report_facts_label", prepare)
    click.echo(f"{t('report_facts_built', settings_of(ctx).lang)}: {n}")


@db.command("search-index")
@click.option("--rebuild", is_flag=True, help="Empty the index first and index every lot and party anew.")
@click.pass_context
def db_search_index(ctx: click.Context, rebuild: bool) -> None:
    """Index the lots and parties of a store written before the search index existed (otherwise a thread
    the first search starts does it; searches use LIKE meanwhile). A no-op once done, and for Neo4j."""
    from foodtrace.services.tracing.search_index import prepare

    n = _with_progress(ctx, "search_index_label", lambda store, step: prepare(store, step, rebuild))
    click.echo(f"{t('search_index_built', settings_of(ctx).lang)}: {n}")


@db.command("views")
@click.option("--clear", "clear", is_flag=True, help="Forget every consumer view kept in the store instead.")
@click.option("--every", type=click.FloatRange(min=1), default=None,
              help="Fill again every this many seconds, until stopped (what the server's background filler runs).")
@click.option("--parent", type=click.IntRange(min=1), default=None,
              help="With --every: stop when the process of this id (the server) is gone.")
@click.pass_context
def db_views(ctx: click.Context, clear: bool, every: float | None, parent: int | None) -> None:
    """Keep the consumer view of every retail receipt in the store's file, so that a first scan is answered
    from it (resumable: the views already kept are skipped; new and changed ones are kept as they are
    scanned). A no-op for Neo4j."""
    from foodtrace.services.tracing.view_fill import clear_views, fill_views, keep_filling

    lang = settings_of(ctx).lang
    if clear:
        n = with_store(ctx, clear_views)
        click.echo(f"{t('views_cleared', lang)}: {n}")
        return
    from foodtrace.api.routes.pages import file_page

    rules = rules_of(ctx)  # the rules the server judges by: the views are kept per rules
    page = file_page(settings_of(ctx))  # each view's page in the default language, as the server renders it
    if every is not None:
        def alive() -> bool:
            return parent is None or os.getppid() == parent  # a child whose parent died has another

        def said(n: int) -> None:
            if n:
                click.echo(f"{t('views_built', lang)}: {n}", err=True)

        with_store(ctx, lambda store: keep_filling(store, every, rules, alive, page, said))
        return
    n = _with_progress(ctx, "views_label", lambda store, step: fill_views(store, step, rules, page))
    click.echo(f"{t('views_built', lang)}: {n}")


def _with_progress(ctx: click.Context, label: str, work) -> int:
    """``work(store, step)`` on the invocation's store with a progress bar (``step(done, total)``)."""
    lang = settings_of(ctx).lang

    def run(store) -> int:
        with click.progressbar(length=1, label=t(label, lang), file=sys.stderr, show_pos=True) as bar:
            def step(done: int, total: int) -> None:
                bar.length = max(total, 1)
                bar.update(done - bar.pos)
            return work(store, step)

    return with_store(ctx, run)


@db.command("verify")
@JSON_OPTION
@click.pass_context
def db_verify(ctx: click.Context, as_json: bool) -> None:
    """Recompute every stored event's digest and the projections from the log; list any difference and
    every event this version cannot read. Exit status 1 when anything differs."""
    _verify(ctx, as_json)


@db.command("check")
@JSON_OPTION
@click.pass_context
def db_check(ctx: click.Context, as_json: bool) -> None:
    """The same as `db verify`: list every event this version cannot read and every difference
    between the log and its projections."""
    _verify(ctx, as_json)


def _verify(ctx: click.Context, as_json: bool) -> None:
    from foodtrace.services.admin.backup import verify

    report = with_store(ctx, verify)
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
