"""``report``: the district statistics for a period as Markdown, an HTML page, JSON, a Word document
or a PDF (the last two need ``-o FILE``)."""

from __future__ import annotations

from pathlib import Path

import click

from foodtrace.cli.runner import rules_of, settings_of, with_store


@click.command()
@click.option("--from", "first", default=None, metavar="DATE",
              help="First day, e.g. 2025-01-01 (default: 1 January of the --to year).")
@click.option("--to", "last", default=None, metavar="DATE", help="Last day, e.g. 2025-12-31 (default: today).")
@click.option("--tz", default=None, help="Time zone of the dates (default FOODTRACE_TZ or +08:00).")
@click.option("--format", "fmt", type=click.Choice(["md", "html", "json", "docx", "pdf"]), default="md", show_default=True)
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Language (default zh).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to FILE instead of printing.")
@click.pass_context
def report(ctx: click.Context, first: str | None, last: str | None, tz: str | None, fmt: str, lang: str | None,
           output: Path | None) -> None:
    """District statistics for a period (统计报告): Markdown, an HTML page with charts, JSON, or a
    document to hand on — Word (docx) or PDF — with the district and office of FOODTRACE_DISTRICT_NAME and
    FOODTRACE_OFFICE_NAME."""
    from foodtrace.render.report import BINARY, Heading, render_report
    from foodtrace.services.report import district_report

    if fmt in ("docx", "pdf") and output is None:
        raise click.UsageError(f"a {fmt} document is a file: give -o FILE", ctx)
    s = settings_of(ctx)
    rules = rules_of(ctx)
    result = with_store(ctx, lambda store: district_report(store, first, last, tz=tz or s.tz, rules=rules))
    text = render_report(result, fmt, lang or s.lang, heading=Heading.from_settings(s))
    if fmt in BINARY:
        assert isinstance(text, bytes) and output is not None
        output.write_bytes(text)
        click.echo(f"{output} ({result.period_from} – {result.period_to})", err=True)
        return
    assert isinstance(text, str)
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    output.write_text(text, encoding="utf-8")
    click.echo(f"{output} ({result.period_from} – {result.period_to})", err=True)
