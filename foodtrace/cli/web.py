"""``foodtrace qr``: a lot's QR code as PNG or SVG, or a printable label sheet."""

from __future__ import annotations

from pathlib import Path

import click

from foodtrace.errors import InvalidInput
from foodtrace.i18n.keyed import keyed
from foodtrace.i18n.refusals import refusal


@click.command()
@click.argument("codes", nargs=-1, required=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="label.png or label.svg (one code); labels.html with --sheet")
@click.option("--sheet", is_flag=True, help="An A4 sheet of labels (HTML to print) for every code given.")
@click.option("--base-url", default=None, help="Base URL the codes point at (default: the configured public base URL).")
@click.pass_context
def qr(ctx: click.Context, codes: tuple[str, ...], output: Path, sheet: bool, base_url: str | None) -> None:
    """Write the QR code of a lot (its GS1 Digital Link, else its short link /l/CODE)."""
    from foodtrace.cli.runner import settings_of, with_store
    from foodtrace.services.tracing import qr as qrs

    s = settings_of(ctx)
    base = base_url or s.public_base_url()
    fmt = output.suffix.lower().lstrip(".")
    if sheet and fmt != "html":
        raise keyed(InvalidInput, "cli_sheet_html", [refusal(None, "output", "cli_use_file", name="labels.html")],
                    ext=".html")
    if not sheet and (len(codes) != 1 or fmt not in qrs.FORMATS):
        raise keyed(InvalidInput, "cli_qr_one_code",
                    [refusal(None, "output", "cli_qr_formats", png=".png", svg=".svg")],
                    png="-o label.png", svg="label.svg", sheet="--sheet")
    if sheet:
        from foodtrace.render.labels import render_label_sheet

        from foodtrace.services.tracing.printing import printable_sheet

        page = with_store(ctx, lambda store: printable_sheet(store, qrs.labels(store, list(codes), base), base))
        output.write_text(render_label_sheet(page, s.lang), encoding="utf-8")
        click.echo(f"{output} ({len(codes)})")
        return
    url = with_store(ctx, lambda store: qrs.qr_url(store, codes[0], base))
    output.write_bytes(qrs.qr_image(url, fmt))
    click.echo(url)
