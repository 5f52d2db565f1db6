"""``foodtrace warnings …``: publish a consumption warning (消费警示) as the
office, and list the public notices (warnings and recalls) as /warnings shows
them. Each command parses, calls one service and renders."""

from __future__ import annotations

import click

from foodtrace.cli.runner import JSON_OPTION, run_and_render
from foodtrace.model.vocab import Commodity


def _render(notices, lang: str) -> str:
    from foodtrace.i18n import t

    if not notices:
        return t("warnings_none", lang)
    lines = []
    for n in notices:
        title = (n.title_en if lang == "en" and n.title_en else n.title_zh)
        text = (n.text_en if lang == "en" and n.text_en else n.text_zh)
        lines.append(f"{n.time.date().isoformat()}  {t('warning_kind_' + n.kind, lang)}  {n.id}\n  {title}\n  {text}")
        if n.lots:
            lines.append(f"  {t('warning_lots', lang)}: {', '.join(n.lots)}")
    return "\n".join(lines)


@click.group()
def warnings() -> None:
    """Consumption warnings (消费警示) and recall notices: what the public page /warnings shows."""


@warnings.command()
@click.option("--title", required=True, help="The title, in Chinese.")
@click.option("--text", required=True, help="The text, in Chinese.")
@click.option("--title-en", default=None, help="The title in English, if published in English too.")
@click.option("--text-en", default=None, help="The text in English, if published in English too.")
@click.option("--product", "products", multiple=True, required=True,
              type=click.Choice([c.value for c in Commodity]), help="A product it concerns; repeat.")
@click.option("--lot", "lots", multiple=True, help="A lot it concerns (trace code); repeat.")
@click.option("--at", default=None, help="When it is published, ISO 8601 with a time zone (default now).")
@click.option("--id", "warning_id", default=None, help="The warning's id (default: made from the date and text).")
@click.option("--by", default="inspector", show_default=True, help="The publishing office (a party id).")
@JSON_OPTION
@click.pass_context
def publish(ctx, title, text, title_en, text_en, products, lots, at, warning_id, by, as_json) -> None:
    """Publish a consumption warning as the office ``--by``."""
    from foodtrace.cli.supervision import _when
    from foodtrace.services.capture.principal import local
    from foodtrace.services.safety.warnings import publish_warning

    when = _when(at)
    run_and_render(ctx, lambda store: [publish_warning(store, local(by), title, text, list(products), lots,
                                                       title_en=title_en, text_en=text_en, at=when,
                                                       warning_id=warning_id)], _render, as_json)


@warnings.command(name="list")
@JSON_OPTION
@click.pass_context
def list_cmd(ctx, as_json) -> None:
    """The public notices, newest first."""
    from foodtrace.services.safety.warnings import public_notices

    run_and_render(ctx, public_notices, _render, as_json)
