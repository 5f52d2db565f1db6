"""The command line's help in the invocation's language: a context whose help and usage lines are Chinese when
the invocation speaks zh (the texts: ``foodtrace.i18n.cli_help``), click's own English otherwise.

``adopt(group)`` makes every command of the tree create a ``LocalizedContext``; the language is the root's
``--lang`` (read from the raw arguments too, for ``foodtrace --help``, which runs before the group's callback),
else ``FOODTRACE_LANG``, else Chinese."""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Sequence

import click

from foodtrace.i18n import cli_help

LANG_KEY = "foodtrace.lang"
_CJK = r"\u2e80-\u9fff\u3000-\u303f\uff00-\uffef"
_TOKEN = re.compile(rf"[{_CJK}]|\s+|[^\s{_CJK}]+")
_NO_LINE_START = set("，。、；：？！）》」』”’…])")
_NO_LINE_END = set("（《「『“‘[(")


def lang_in_args(args: Sequence[str]) -> str | None:
    """``--lang X`` / ``--lang=X`` among the root's own options (before the command's name)."""
    i = 0
    while i < len(args) and args[i].startswith("-") and args[i] != "--":
        arg = args[i]
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
        if arg in ("--lang", "--store"):
            if arg == "--lang" and i + 1 < len(args):
                return args[i + 1]
            i += 1
        i += 1
    return None


def args_lang(args: Sequence[str]) -> str:
    """zh or en by the raw arguments' ``--lang``, else ``FOODTRACE_LANG``, else zh (before any context)."""
    return "en" if (lang_in_args(args) or os.environ.get("FOODTRACE_LANG")) == "en" else "zh"


def invocation_lang(ctx: click.Context | None) -> str:
    """zh or en: the settings' language once read, else ``--lang`` as given, else ``FOODTRACE_LANG``, else zh."""
    if ctx is not None:
        root = ctx.find_root()
        settings = (root.obj or {}).get("settings") if isinstance(root.obj, dict) else None
        lang = getattr(settings, "lang", None) or root.meta.get(LANG_KEY) or root.params.get("lang")
    else:
        lang = None
    lang = lang or os.environ.get("FOODTRACE_LANG") or "zh"
    return "en" if lang == "en" else "zh"


def command_key(ctx: click.Context) -> str:
    """The command's path below the root: "" for the root, "keys create" for ``foodtrace keys create``."""
    names = []
    while ctx.parent is not None:
        names.append(ctx.info_name or "")
        ctx = ctx.parent
    return " ".join(reversed(names))


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap(text: str, width: int, initial_indent: str = "", subsequent_indent: str = "") -> str:
    """Wrap by display width (a Chinese character takes two columns), breaking between Chinese characters or at
    spaces, never before closing punctuation; paragraphs (blank lines) kept."""
    out = []
    for para in re.split(r"\n\s*\n", text.strip()):
        lines, cur = [], initial_indent if not out else subsequent_indent
        for tok in _TOKEN.findall(" ".join(para.split())):
            if tok.isspace():
                cur += " " if cur.strip() else ""
                continue
            if cur.strip() and display_width(cur + tok) > width and tok[0] not in _NO_LINE_START:
                carry = cur[-1] if cur[-1] in _NO_LINE_END and cur[:-1].strip() else ""
                lines.append(cur[:len(cur) - len(carry)].rstrip())
                cur = subsequent_indent + carry
            cur += tok
        lines.append(cur.rstrip())
        out.append("\n".join(lines))
    return "\n\n".join(out)


class ZhFormatter(click.HelpFormatter):
    """click's formatter with Chinese headings (用法：, 选项：) and wrapping by display width."""

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        head = f"{' ' * self.current_indent}{prefix or cli_help.HEADINGS['usage']}{prog}"
        if not args:
            self.write(head + "\n")
            return
        self.write(wrap(args, self.width, head + " ", " " * (display_width(head) + 1)) + "\n")

    def write_text(self, text: str) -> None:
        indent = " " * self.current_indent
        self.write(wrap(text, self.width, indent, indent) + "\n")

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        first_col = min(max((display_width(a) for a, _ in rows), default=0), col_max) + col_spacing
        pad = " " * (first_col + self.current_indent)
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if display_width(first) <= first_col - col_spacing:
                self.write(" " * (first_col - display_width(first)))
            else:
                self.write("\n" + pad)
            lines = wrap(second, max(self.width - first_col - 2, 10)).splitlines() or [""]
            self.write(lines[0] + "\n" + "".join(f"{pad}{line}\n" for line in lines[1:]))


class LocalizedContext(click.Context):
    """Help and usage lines in the invocation's language."""

    def get_usage(self) -> str:
        if invocation_lang(self) == "en":
            return super().get_usage()
        formatter = self._zh_formatter()
        _zh_usage(self, formatter)
        return formatter.getvalue().rstrip("\n")

    def get_help(self) -> str:
        if invocation_lang(self) == "en":
            return super().get_help()
        return zh_help(self, self._zh_formatter())

    def _zh_formatter(self) -> ZhFormatter:
        return ZhFormatter(width=self.terminal_width, max_width=self.max_content_width)


def adopt(command: click.Command) -> None:
    """Every command of the tree makes a ``LocalizedContext`` (the modules declare plain click commands)."""
    command.context_class = LocalizedContext
    for sub in getattr(command, "commands", {}).values():
        adopt(sub)


def _zh_usage(ctx: click.Context, formatter: ZhFormatter) -> None:
    pieces = [cli_help.USAGE_PIECES.get(p, p) for p in ctx.command.collect_usage_pieces(ctx)]
    formatter.write_usage(ctx.command_path, " ".join(pieces))


def zh_help(ctx: click.Context, formatter: ZhFormatter) -> str:
    """The command's help in Chinese: usage, text, arguments, options, subcommands."""
    cmd, key = ctx.command, command_key(ctx)
    _zh_usage(ctx, formatter)
    text = cli_help.command_text(key) or cmd.help or ""
    if text:
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(text)
    params = cmd.get_params(ctx)
    args = [(p.make_metavar(ctx), cli_help.param_text(key, p.name, None) or "")
            for p in params if isinstance(p, click.Argument)]
    opts = [_zh_option(ctx, key, p) for p in params if isinstance(p, click.Option) and not p.hidden]
    sections = [(cli_help.HEADINGS["arguments"], args), (cli_help.HEADINGS["options"], opts)]
    if isinstance(cmd, click.Group):
        subs = [(name, cmd.get_command(ctx, name)) for name in cmd.list_commands(ctx)]
        sections.append((cli_help.HEADINGS["commands"],
                         [(name, cli_help.command_summary(f"{key} {name}".strip()) or sub.get_short_help_str())
                          for name, sub in subs if sub is not None and not sub.hidden]))
    for heading, rows in sections:
        if rows:
            with formatter.section(heading):
                formatter.write_dl(rows)
    return formatter.getvalue().rstrip("\n")


def _zh_option(ctx: click.Context, key: str, option: click.Option) -> tuple[str, str]:
    names, _ = option.get_help_record(ctx) or ("", "")
    if not option.is_flag and not option.count:
        metavar = option.make_metavar(ctx)
        names = names.replace(f" {metavar}", f" {cli_help.METAVARS.get(metavar, metavar)}")
    text = cli_help.param_text(key, option.name, option.help) or option.help or ""
    extra = option.get_help_extra(ctx)
    items = [cli_help.EXTRAS["envvars"].format(", ".join(extra["envvars"]))] if "envvars" in extra else []
    items += [cli_help.EXTRAS["default"].format(extra["default"])] if "default" in extra else []
    items += [extra["range"]] if "range" in extra else []
    items += [cli_help.EXTRAS["required"]] if "required" in extra else []
    if items:
        text = f"{text}{'' if text[-1:] in '。）' else ' '}[{'；'.join(items)}]" if text else f"[{'；'.join(items)}]"
    return names, text
