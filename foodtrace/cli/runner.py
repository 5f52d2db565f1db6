"""What every command module of the CLI shares: the error-handling group, the
settings and the store of the current invocation."""

from __future__ import annotations

import json
import sys
from typing import Any, Callable

import click

from foodtrace.cli.localized import LANG_KEY, LocalizedContext, adopt, args_lang, invocation_lang, lang_in_args
from foodtrace.cli.usage_errors import localized
from foodtrace.config import Settings
from foodtrace.errors import FoodtraceError


class Cli(click.Group):
    """Errors print their reason (and position and field) and exit 1 — never a traceback. Help and usage
    errors in the invocation's language (``cli/localized.py``, ``cli/usage_errors.py``)."""

    context_class = LocalizedContext

    def make_context(self, info_name, args, parent=None, **extra) -> click.Context:
        adopt(self)
        raw = list(args)  # click's parser consumes the list
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.UsageError as exc:
            raise localized(exc, invocation_lang(exc.ctx) if exc.ctx else args_lang(raw)) from None

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta.setdefault(LANG_KEY, lang_in_args(args))
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            raise localized(exc, invocation_lang(exc.ctx or ctx)) from None
        except FoodtraceError as exc:
            from foodtrace.i18n import t
            from foodtrace.i18n.refusals import localize

            lang = _lang_of(ctx)
            localize(exc, lang)
            click.secho(t("cli_error", lang).format(code=exc.code, error=exc), fg="red", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            from foodtrace.i18n import t

            click.echo(t("cli_interrupted", _lang_of(ctx)), err=True)
            sys.exit(130)
        except click.Abort:  # a prompt answered with end of input or Ctrl-C, a confirmation declined
            from foodtrace.i18n import t

            click.echo(t("cli_aborted", _lang_of(ctx)), err=True)
            sys.exit(1)


def _lang_of(ctx: click.Context) -> str:
    """The language this invocation speaks (``--lang``; English before the settings are read)."""
    obj = ctx.find_root().obj or {}
    return getattr(obj.get("settings"), "lang", "en")


def settings_of(ctx: click.Context) -> Settings:
    return ctx.find_root().obj["settings"]


def open_store_of(ctx: click.Context):
    from foodtrace.graph import open_store

    s = settings_of(ctx)
    return open_store(s.store, s)


def with_store(ctx: click.Context, call: Callable[[Any], Any], url: str | None = None) -> Any:
    """Open the invocation's store (or the one at ``url``), return ``call(store)``, close it."""
    from foodtrace.graph import open_store

    s = settings_of(ctx)
    with open_store(url or s.store, s) as store:
        return call(store)


def to_json(result: Any) -> str:
    """A service's answer (a model, a list of models, or a dict) as indented JSON."""
    def dump(r: Any) -> Any:
        return r if isinstance(r, dict) else r.model_dump(mode="json")

    data = [dump(r) for r in result] if isinstance(result, list) else dump(result)
    return json.dumps(data, ensure_ascii=False, indent=2)


def run_and_render(ctx: click.Context, call: Callable[[Any], Any], render: Callable[[Any, str], str],
                   as_json: bool) -> None:
    """Open the store, ``call(store)`` one service, close it, print JSON or ``render(result, lang)``."""
    result = with_store(ctx, call)
    click.echo(to_json(result) if as_json else render(result, settings_of(ctx).lang))


def rules_of(ctx: click.Context):
    """The food-safety rules file this invocation uses (``FOODTRACE_RULES`` or the shipped one)."""
    from foodtrace.services.safety.rules import load_rules

    return load_rules(settings_of(ctx).rules or None)


JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Print JSON.")
