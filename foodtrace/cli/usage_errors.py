"""click's usage errors said in Chinese when the invocation speaks zh: by the error's class and attributes
(the parameter, the option's name, the close matches) and, for the value checks of click's types and the
CLI's own checks, by the message's known form (texts: ``foodtrace.i18n.cli_usage``). Exit code 2, as click's.

Kept in click's English: a message of a form not listed there (a new ``raise click.UsageError(...)`` in a
command, or a new click wording — the unit test of click's value checks then fails), a ``MissingParameter``
with its own message. A declined prompt is said by ``runner.Cli`` ("cli_aborted"); ``--version`` prints only
the name and the version."""

from __future__ import annotations

import re
from typing import IO, Any

import click
from click.exceptions import NoArgsIsHelpError

from foodtrace.i18n.cli_usage import USAGE as _USAGE
from foodtrace.i18n.cli_usage import USAGE_NUMBER_KINDS, USAGE_PATH_KINDS
_NO_SUCH_COMMAND = getattr(click.exceptions, "NoSuchCommand", click.NoSuchOption)  # its own class in newer click


class SaidUsageError(click.UsageError):
    """A usage error said in Chinese: the usage line, the hint and the reason."""

    def show(self, file: IO[Any] | None = None) -> None:
        err = file is None
        if self.ctx is not None:
            hint = _USAGE["hint"].format(command=self.ctx.command_path)
            click.echo(f"{self.ctx.get_usage()}\n{hint}\n", file=file, err=err, color=self.ctx.color)
        click.echo(_USAGE["error"].format(message=self.message), file=file, err=err,
                   color=self.ctx.color if self.ctx else None)


def localized(exc: click.UsageError, lang: str) -> click.UsageError:
    """``exc`` said in ``lang``: a ``SaidUsageError`` in zh; ``exc`` itself in en, for the help shown on a bare
    group, or when its message has no Chinese form."""
    if isinstance(exc, (NoArgsIsHelpError, SaidUsageError)) or lang == "en":
        return exc
    message = say_zh(exc)
    return exc if message is None else SaidUsageError(message, exc.ctx)


def say_zh(exc: click.UsageError) -> str | None:
    """The Chinese text of a usage error, or None when its message has no Chinese form."""
    if isinstance(exc, click.MissingParameter):
        return _missing(exc)
    if isinstance(exc, click.BadParameter):
        inner = _by_form(exc.message, _USAGE["values"])
        if inner is None:
            return None
        hint = _hint(exc)
        return _USAGE["bad_value_for"].format(hint=hint, message=inner) if hint else \
            _USAGE["bad_value"].format(message=inner)
    if isinstance(exc, (click.NoSuchOption, _NO_SUCH_COMMAND)):
        return _no_such(exc)
    return _by_form(exc.message, _USAGE["forms"])


def _hint(exc: click.BadParameter) -> str | None:
    hint = exc.param_hint if exc.param_hint is not None else (
        exc.param.get_error_hint(exc.ctx) if exc.param is not None else None)
    if hint is not None and not isinstance(hint, str):
        hint = " / ".join(repr(h) for h in hint)
    return hint


def _missing(exc: click.MissingParameter) -> str | None:
    if exc.message:
        return None
    kind = exc.param_type or (exc.param.param_type_name if exc.param is not None else "parameter")
    hint = _hint(exc)
    text = _USAGE["missing_" + kind].format(hint=f" {hint}" if hint else "") if f"missing_{kind}" in _USAGE \
        else None
    if text and exc.param is not None and isinstance(exc.param.type, click.Choice):
        text += _USAGE["choose_from"].format(choices="、".join(map(str, exc.param.type.choices)))
    return text


def _no_such(exc: click.UsageError) -> str | None:
    is_option = isinstance(exc, click.NoSuchOption)
    name = exc.option_name if is_option else exc.command_name
    english = ("No such option {name!r}." if is_option else "No such command {name!r}.").format(name=name)
    if exc.message != english:
        return None
    text = _USAGE["no_such_option" if is_option else "no_such_command"].format(name=repr(name))
    found = sorted(exc.possibilities or [])
    if len(found) == 1:
        text += _USAGE["did_you_mean"].format(possibility=repr(found[0]))
    elif found:
        text += _USAGE["did_you_mean_one_of"].format(possibilities="、".join(map(repr, found)))
    return text


def _by_form(message: str, forms: list[tuple[str, str]]) -> str | None:
    """The Chinese of an English message of a known form (its fields carried over), or None."""
    for pattern, zh in forms:
        m = re.fullmatch(pattern, message.strip(), flags=re.S)
        if m:
            fields = {k: _ZH_FIELDS.get(k, lambda v: v)(v) for k, v in m.groupdict().items()}
            return zh.format(**fields)
    return None


_ZH_FIELDS = {
    "choices": lambda v: v.replace(", ", "、"),
    "formats": lambda v: v.replace(", ", "、"),
    "states": lambda v: v.replace(", ", "、"),
    "kind": lambda v: USAGE_PATH_KINDS.get(v, v),
    "number": lambda v: USAGE_NUMBER_KINDS.get(v, v),
}
