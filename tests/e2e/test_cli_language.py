"""The command line's help and usage errors in the user's language, as a user runs it (a subprocess): Chinese by
default, with ``--lang zh`` or ``FOODTRACE_LANG=zh``; click's English with ``--lang en`` or ``FOODTRACE_LANG=en``.
Usage errors exit 2 and say the usage line, the hint and the reason."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from foodtrace.cli.main import main
from tests.cli_text_check import choices_of, english_words

CODES = choices_of(main)


def run(*args, lang: str | None = None, env_lang: str | None = None):
    env = {k: v for k, v in os.environ.items() if k != "FOODTRACE_LANG"}
    env |= {"PYTHONIOENCODING": "utf-8", "COLUMNS": "100"}
    if env_lang:
        env["FOODTRACE_LANG"] = env_lang
    cmd = [sys.executable, "-m", "foodtrace", *(["--lang", lang] if lang else []), *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)


@pytest.mark.parametrize("how", [{"lang": "zh"}, {"env_lang": "zh"}, {}])
def test_the_root_help_in_chinese(how):
    p = run("--help", **how)
    assert p.returncode == 0, p.stderr
    out = p.stdout
    assert out.startswith("用法：python -m foodtrace [选项] 命令 [参数]...")
    assert "选项：" in out and "命令：" in out and "显示本帮助并退出。" in out
    assert "  recall            召回批次 CODE...\n" in out and "  keys              接口密钥：创建" in out
    assert "Usage" not in out
    assert not english_words(out, CODES), out


def test_the_root_help_in_english_with_lang_en_given_after_help_or_by_the_environment():
    for p in (run("--help", "--lang", "en"), run("--help", env_lang="en")):
        assert p.returncode == 0 and p.stdout.startswith("Usage: python -m foodtrace [OPTIONS] COMMAND [ARGS]...")
        assert "Show this message and exit." in p.stdout and "用法" not in p.stdout


def test_a_subcommands_help_in_chinese_and_english():
    zh = run("keys", "create", "--help", lang="zh").stdout
    assert zh.startswith("用法：python -m foodtrace keys create [选项]")
    assert "签发一个密钥并显示——仅此一次；只保存其 SHA-256 摘要。" in zh
    assert "--party 文本" in zh and "密钥所代表的主体编号。[必填]" in zh and "--role [operator|inspector|admin|viewer]" in zh
    en = run("keys", "create", "--help", lang="en").stdout
    assert en.startswith("Usage: python -m foodtrace keys create [OPTIONS]")
    assert "The party id the key acts for.  [required]" in en and "签发" not in en
    report = run("report", "--help", env_lang="zh").stdout
    assert "--from 日期" in report and "[默认：md]" in report and "写入文件 FILE，而不是直接输出。" in report


def test_a_bare_group_shows_its_help_in_the_language():
    zh, en = run("keys", lang="zh"), run("keys", lang="en")
    assert zh.returncode == en.returncode == 2
    assert "命令：" in zh.stderr and "create  签发一个密钥并显示" in zh.stderr
    assert "Commands:" in en.stderr and "create  Issue a key and print it" in en.stderr


USAGE_ERRORS = [  # args, the Chinese reason, click's English reason
    (["trace"], "缺少参数 'CODE'。", "Missing argument 'CODE'."),
    (["keys", "create", "--role", "admin"], "缺少选项 '--party'。", "Missing option '--party'."),
    (["report", "--format", "rtf"], "'--format' 的值无效：'rtf' 不是可选值之一：'md'、'html'、'json'、'docx'、'pdf'。",
     "Invalid value for '--format': 'rtf' is not one of 'md', 'html', 'json', 'docx', 'pdf'."),
    (["trace", "X", "--bogus"], "没有选项 '--bogus'。", "No such option '--bogus'."),
    (["trace", "X", "--jsn"], "没有选项 '--jsn'。您是否要用 '--json'？", "No such option '--jsn'. Did you mean '--json'?"),
    (["traec"], "没有命令 'traec'。您是否要用 'trace'？", "No such command 'traec'. Did you mean 'trace'?"),
    (["serve", "--workers", "0"], "'--workers' 的值无效：0 不在范围 x>=1 内。",
     "Invalid value for '--workers': 0 is not in the range x>=1."),
    (["serve", "--port", "eighty"], "'--port' 的值无效：'eighty' 不是有效的整数。",
     "Invalid value for '--port': 'eighty' is not a valid integer."),
    (["template", "invoice", "-o", "x.xlsx"], "不是可选值之一：'purchase'、'sales'",
     "'invoice' is not one of 'purchase', 'sales'"),
    (["template", "-o", "x.xlsx"], "缺少参数 '{purchase|sales|tests|compliance|settlement}'。可选值：purchase、sales",
     "Missing argument '{purchase|sales|tests|compliance|settlement}'. Choose from:"),
    (["audit", "--party", "P", "--since", "yesterday"], "'--since' 的值无效：'yesterday' 不符合格式 '%Y-%m-%d'、",
     "Invalid value for '--since': 'yesterday' does not match the formats '%Y-%m-%d', "),
    (["trace", "A", "B"], "多余的参数（B）。", "Got unexpected extra argument (B)"),
    (["report", "--format", "pdf"], "pdf 文档须写入文件：请用 -o FILE 指定。", "a pdf document is a file: give -o FILE"),
    (["supervise", "interview", "P", "--reason", "r", "--at", "soon"], "错误：--at 的值无效：'soon' 不是 ISO 8601 格式的时间。",
     "Invalid value for --at: 'soon' is not an ISO 8601 time"),
]


@pytest.mark.parametrize("args,zh,en", USAGE_ERRORS, ids=[" ".join(a) for a, _, _ in USAGE_ERRORS])
def test_usage_errors_in_chinese_and_english(args, zh, en):
    said = run(*args, lang="zh")
    assert said.returncode == 2, said.stderr
    assert zh in said.stderr and "错误：" in said.stderr and "用法：python -m foodtrace" in said.stderr
    assert "查看帮助。" in said.stderr and not english_words(said.stderr, CODES | {"invoice", "eighty", "soon"})
    english = run(*args, lang="en")
    assert english.returncode == 2 and en in english.stderr and "Usage: python -m foodtrace" in english.stderr
    assert "Error: " in english.stderr and "错误" not in english.stderr


def test_usage_errors_before_the_settings_are_read(tmp_path):
    """A root option's error and an option lacking its value (click gives no usage line): the raw --lang, else
    FOODTRACE_LANG, else Chinese."""
    bad = run("--lang", "fr", "trace")
    assert bad.returncode == 2 and "'--lang' 的值无效：'fr' 不是可选值之一：'zh'、'en'。" in bad.stderr
    assert "选项 '--from' 需要一个值。" in run("report", "--from", lang="zh").stderr
    assert "Option '--from' requires an argument." in run("report", "--from", lang="en").stderr
    assert "Option '--from' requires an argument." in run("report", "--from", env_lang="en").stderr
    assert "Option '--store' requires an argument." in run("--store", lang="en").stderr  # the root's own option
    assert "选项 '--store' 需要一个值。" in run("--store").stderr
    assert "缺少命令。" in run(lang="zh").stderr and "Missing command." in run(lang="en").stderr
    folder = run("db", "backup", str(tmp_path), lang="zh")
    assert folder.returncode == 2 and f"'PATH' 的值无效：文件 '{tmp_path}' 是目录，不是文件。" in folder.stderr


def test_a_declined_prompt_and_the_version_line_speak_no_english_in_chinese(tmp_path):
    """A password prompt answered with end of input is said in the invocation's language (click would print
    "Aborted!"); ``--version`` prints the name and the version only."""
    store = f"sqlite:///{tmp_path / 's.db'}"
    args = ("--store", store, "users", "create", "zhou", "--name", "周", "--party", "P1", "--role", "admin")
    zh = subprocess.run([sys.executable, "-m", "foodtrace", *args], capture_output=True, text=True,
                        input="", timeout=120, env={**os.environ, "PYTHONIOENCODING": "utf-8", "FOODTRACE_LANG": "zh"})
    assert zh.returncode == 1 and zh.stderr.rstrip().endswith("已取消") and "Aborted" not in zh.stderr
    en = subprocess.run([sys.executable, "-m", "foodtrace", "--lang", "en", *args], capture_output=True, text=True,
                        input="", timeout=120, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert en.returncode == 1 and en.stderr.rstrip().endswith("Aborted.")
    version = run("--version", lang="zh")
    assert version.returncode == 0 and version.stdout.strip().split()[-1][0].isdigit()
    assert "version" not in version.stdout
