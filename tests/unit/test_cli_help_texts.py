"""The command line's Chinese help (``i18n/cli_help.py``): every command and every option and argument of the
click tree has one (a new option without one fails here), no entry is stale, the Chinese holds no English word
but option names, placeholders, codes, file types and product names; the help pages in zh say it; click's
messages of its value checks have Chinese forms; Chinese wraps by display width."""

from __future__ import annotations

import re

import click
import pytest
from click.testing import CliRunner

from foodtrace.cli.localized import display_width, wrap
from foodtrace.cli.main import main
from foodtrace.cli.usage_errors import say_zh
from foodtrace.i18n import cli_help
from foodtrace.i18n.cli_usage import USAGE
from tests.cli_text_check import choices_of, english_words

_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def _tree(cmd: click.Command, path: str = ""):
    yield path, cmd
    for name, sub in sorted(getattr(cmd, "commands", {}).items()):
        yield from _tree(sub, f"{path} {name}".strip())


TREE = dict(_tree(main))
CODES = choices_of(main)


def _params(path: str):
    """The parameters of command ``path`` as an invocation sees them (its help option too)."""
    ctx = click.Context(main, info_name="foodtrace", **main.context_settings)
    for name in path.split():
        cmd = ctx.command.commands[name]
        ctx = click.Context(cmd, parent=ctx, info_name=name, **cmd.context_settings)
    return ctx.command.get_params(ctx)


@pytest.mark.parametrize("path", sorted(TREE))
def test_every_command_option_and_argument_has_a_chinese_help(path):
    assert cli_help.command_text(path) and _CJK.search(cli_help.command_text(path)), f"no Chinese text for {path!r}"
    missing = [p.name for p in _params(path)
               if not getattr(p, "hidden", False) and not cli_help.param_text(path, p.name, getattr(p, "help", None))]
    assert not missing, f"{path!r}: no Chinese help for {missing} (add them to foodtrace/i18n/cli_help.py)"


def test_no_chinese_help_for_a_command_or_parameter_that_is_gone():
    assert set(cli_help.COMMANDS) <= set(TREE)
    for path, (_, params) in cli_help.COMMANDS.items():
        assert set(params) <= {p.name for p in _params(path)}, path


def _all_zh_texts():
    for path, (text, params) in cli_help.COMMANDS.items():
        yield path, text
        yield from ((f"{path}:{name}", t) for name, t in params.items())
    yield from (("shared", t) for t in cli_help.SHARED.values())
    yield from ((k, v) for k, v in USAGE.items() if isinstance(v, str))
    yield from (("form", zh) for key in ("forms", "values") for _, zh in USAGE[key])


@pytest.mark.parametrize("where,text", list(_all_zh_texts()))
def test_the_chinese_texts_hold_no_english_words(where, text):
    assert not english_words(text, CODES), (where, text)


@pytest.mark.parametrize("path", sorted(TREE))
def test_each_help_page_in_chinese_says_the_chinese_texts(path):
    result = CliRunner().invoke(main, ["--lang", "zh", *path.split(), "--help"], prog_name="foodtrace",
                                env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("用法：foodtrace") and "选项：" in out and "Usage" not in out and "Options" not in out
    flat = re.sub(r"\s+", "", out)
    assert re.sub(r"\s+", "", cli_help.command_text(path)) in flat
    for p in _params(path):
        assert re.sub(r"\s+", "", cli_help.param_text(path, p.name, getattr(p, "help", None))) in flat, p.name
    assert not english_words(out, CODES), out


def test_english_help_stays_the_docstrings():
    out = CliRunner().invoke(main, ["--lang", "en", "report", "--help"], prog_name="foodtrace").output
    assert out.startswith("Usage: foodtrace report [OPTIONS]") and "Write to FILE instead of printing." in out
    assert "Options:" in out and "用法" not in out and "选项" not in out


@pytest.mark.parametrize("kind,value", [
    (click.INT, "x"), (click.FLOAT, "x"), (click.IntRange(min=1), "0"), (click.FloatRange(0, 100), "101"),
    (click.Choice(["a", "b"]), "c"), (click.Choice(["a"]), "c"), (click.DateTime(), "x"),
    (click.DateTime(["%Y"]), "x"), (click.BOOL, "maybe"), (click.UUID, "x"),
    (click.Tuple([int, int]), ("1",)),
])
def test_the_messages_of_clicks_value_checks_have_chinese_forms(kind, value):
    param = click.Option(["--n"], type=kind)
    with pytest.raises(click.BadParameter) as caught:
        kind.convert(value, param, None)
    caught.value.param = param
    said = say_zh(caught.value)
    typed = {"x", "maybe", "c", *click.types.BoolParamType.bool_states}  # what the user typed, and click's states
    assert said and said.startswith("'--n' 的值无效：") and not english_words(said, typed), said


def test_usage_errors_by_class():
    opt = click.Option(["--party"], required=True)
    assert say_zh(click.MissingParameter(param=opt)) == "缺少选项 '--party'。"
    assert say_zh(click.NoSuchOption("--jsn", possibilities=["--json", "--lang"])) == \
        "没有选项 '--jsn'。您是否要用 '--json'？"
    assert say_zh(click.UsageError("something click may say one day")) is None  # click's English kept


def test_chinese_wraps_by_display_width_and_never_starts_a_line_with_closing_punctuation():
    text = "按批次的追溯码（追溯码、小票码或二维码链接）追溯，" * 6 + " FOODTRACE_TZ 或 +08:00。"
    lines = wrap(text, 40, "  ", "  ").splitlines()
    assert len(lines) > 3 and all(display_width(line) <= 40 for line in lines)
    assert not any(line.strip()[0] in "，。、）" for line in lines)
    assert not any(line.rstrip().endswith("（") for line in lines)
    assert re.sub(r"\s", "", "".join(lines)) == re.sub(r"\s", "", text)
