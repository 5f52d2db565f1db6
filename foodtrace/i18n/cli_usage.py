"""The Chinese of the command line's usage errors (``foodtrace/cli/usage_errors.py``): the frame (用法, hint,
错误), the errors known by their class (missing parameter, no such option or command), and the English forms of
click's and the CLI's own messages (a regular expression over the whole English message, its named groups
carried into the Chinese). English is click's own text."""

from __future__ import annotations

_V = r"(?P<value>'.*'|\S+)"

USAGE: dict = {
    "hint": "请运行 '{command} --help' 查看帮助。",
    "error": "错误：{message}",
    "bad_value_for": "{hint} 的值无效：{message}",
    "bad_value": "值无效：{message}",
    "missing_argument": "缺少参数{hint}。",
    "missing_option": "缺少选项{hint}。",
    "missing_parameter": "缺少参数{hint}。",
    "choose_from": "可选值：{choices}",
    "no_such_option": "没有选项 {name}。",
    "no_such_command": "没有命令 {name}。",
    "did_you_mean": "您是否要用 {possibility}？",
    "did_you_mean_one_of": "（您是否要用以下之一：{possibilities}？）",
    # messages of click's parser and of the commands themselves (UsageError, BadOptionUsage, BadArgumentUsage)
    "forms": [
        (r"Option '(?P<name>.+)' requires an argument\.", "选项 '{name}' 需要一个值。"),
        (r"Option '(?P<name>.+)' requires (?P<n>\d+) arguments\.", "选项 '{name}' 需要 {n} 个值。"),
        (r"Option '(?P<name>.+)' does not take a value\.", "选项 '{name}' 不接受值。"),
        (r"Argument '(?P<name>.+)' takes (?P<n>\d+) values\.", "参数 '{name}' 需要 {n} 个值。"),
        (r"Got unexpected extra arguments? \((?P<args>.*)\)", "多余的参数（{args}）。"),
        (r"Missing command\.", "缺少命令。"),
        (r"No such command '(?P<name>.+)'\.", "没有命令 '{name}'。"),
        (r"a (?P<fmt>\w+) document is a file: give -o FILE", "{fmt} 文档须写入文件：请用 -o FILE 指定。"),
    ],
    # messages of click's types and of the commands' own value checks (BadParameter)
    "values": [
        (_V + r" is not one of (?P<choices>.+)\.", "{value} 不是可选值之一：{choices}。"),
        (_V + r" is not (?P<choices>'.*')\.", "{value} 不是 {choices}。"),
        (_V + r" is not a valid (?P<number>integer|float)\.", "{value} 不是有效的{number}。"),
        (_V + r" is not a valid boolean\. Recognized values: (?P<states>.+)", "{value} 不是有效的是否值。可用的值：{states}"),
        (_V + r" is not a valid UUID\.", "{value} 不是有效的 UUID。"),
        (r"(?P<value>\S+) is not in the range (?P<range>.+)\.", "{value} 不在范围 {range} 内。"),
        (_V + r" does not match the formats? (?P<formats>.+)\.", "{value} 不符合格式 {formats}。"),
        (r"(?P<kind>[Ff]ile|[Dd]irectory|[Pp]ath) " + _V + r" does not exist\.", "{kind} {value} 不存在。"),
        (r"(?P<kind>[Ff]ile|[Dd]irectory|[Pp]ath) " + _V + r" is a file\.", "{kind} {value} 是文件，不是目录。"),
        (r"(?P<kind>[Ff]ile|[Dd]irectory|[Pp]ath) " + _V + r" is a directory\.", "{kind} {value} 是目录，不是文件。"),
        (r"(?P<kind>[Ff]ile|[Dd]irectory|[Pp]ath) " + _V + r" is not readable\.", "{kind} {value} 不可读。"),
        (r"(?P<kind>[Ff]ile|[Dd]irectory|[Pp]ath) " + _V + r" is not writable\.", "{kind} {value} 不可写。"),
        (r"(?P<kind>[Ff]ile|[Dd]irectory|[Pp]ath) " + _V + r" is not executable\.", "{kind} {value} 不可执行。"),
        (r"(?P<n>\d+) values are required, but (?P<m>\d+) (?:was|were) given\.", "需要 {n} 个值，但给出了 {m} 个。"),
        (r"Takes (?P<n>\d+) values but (?P<m>\d+) (?:was|were) given\.", "需要 {n} 个值，但给出了 {m} 个。"),
        (r"Value must be an iterable\.", "须给出多个值。"),
        (_V + r" is not an ISO 8601 time", "{value} 不是 ISO 8601 格式的时间。"),
        (r"a time zone is required \(e\.g\. (?P<example>\S+)\)", "须带时区（例如 {example}）。"),
        (_V + r" is not a date \(YYYY-MM-DD\)", "{value} 不是日期（YYYY-MM-DD）。"),
    ],
}
USAGE_PATH_KINDS = {"file": "文件", "directory": "目录", "path": "路径",
                    "File": "文件", "Directory": "目录", "Path": "路径"}
USAGE_NUMBER_KINDS = {"integer": "整数", "float": "数值"}
