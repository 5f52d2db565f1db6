"""Every error a person reads is said in their language: in the importers, the look-ups of trace codes,
the capture services, the store and the HTTP layer, each ``raise`` of a ``foodtrace.errors`` class passes
its message ``key=`` (``i18n/input_errors.py`` and the other tables) — directly or through
``i18n.keyed.keyed`` — and no detail of it is a plain English ``detail(...)``. An AST scan of the source,
so that the rule holds for code written from now on."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import foodtrace
from foodtrace import errors
from foodtrace.i18n.refusals import REFUSALS_TEXT

ROOT = Path(foodtrace.__file__).parent
FOLDERS = ["ingest", "services/tracing", "services/capture", "graph", "api"]
# (file, line's text) raised as given, with why
ALLOWED = {
    ("api/ratelimit.py", "raise RateLimited(self.message, wait, [per])"),  # a caller's own plain message
}


def _files() -> list[Path]:
    return sorted(p for folder in FOLDERS for p in (ROOT / folder).rglob("*.py"))


def _error_classes(trees: dict[Path, ast.Module]) -> set[str]:
    """The names of ``FoodtraceError`` and its subclasses: ``foodtrace.errors``'s and those the scanned
    modules define on them (``MalformedJson``…)."""
    names = {n for n, c in inspect.getmembers(errors, inspect.isclass) if issubclass(c, errors.FoodtraceError)}
    while True:
        more = {node.name for tree in trees.values() for node in ast.walk(tree) if isinstance(node, ast.ClassDef)
                and any(isinstance(b, ast.Name) and b.id in names for b in node.bases)} - names
        if not more:
            return names
        names |= more


def _name(func: ast.expr) -> str | None:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def _plain_details(call: ast.Call) -> list[int]:
    """Lines of ``detail(...)`` calls among the call's arguments (its details, said in English only)."""
    return [n.lineno for arg in [*call.args, *(k.value for k in call.keywords)] for n in ast.walk(arg)
            if isinstance(n, ast.Call) and _name(n.func) == "detail"]


def _said_already(call: ast.Call) -> bool:
    """A message said in the reader's language where it is raised (``ledger_words.say(key, lang)``)."""
    return bool(call.args) and isinstance(call.args[0], ast.Call) and _name(call.args[0].func) == "say"


def _unkeyed(files: list[Path] | None = None, root: Path = ROOT) -> list[str]:
    trees = {p: ast.parse(p.read_text("utf-8")) for p in (files if files is not None else _files())}
    classes = _error_classes(trees)
    out = []
    for path, tree in trees.items():
        rel = path.relative_to(root).as_posix()
        lines = path.read_text("utf-8").splitlines()
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
                continue
            call, name = node.exc, _name(node.exc.func)
            if (rel, lines[node.lineno - 1].strip()) in ALLOWED or _said_already(call):
                continue
            if name in classes and not any(k.arg == "key" for k in call.keywords):
                out.append(f"{rel}:{node.lineno}: {name}(...) without key=")
            elif name in classes or name == "keyed":
                out += [f"{rel}:{line}: a plain detail(...) in {name}(...)" for line in _plain_details(call)]
    return out


def test_every_error_raised_has_a_message_key_and_keyed_details():
    assert _unkeyed() == []


def test_every_key_given_to_keyed_has_its_texts():
    trees = {p: ast.parse(p.read_text("utf-8")) for p in _files()}
    classes, missing = _error_classes(trees), []
    for path, tree in trees.items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            key = None
            if _name(node.func) == "keyed" and len(node.args) >= 2 and _name(node.args[0]) in classes:
                key = node.args[1]
            elif _name(node.func) == "refusal" and len(node.args) >= 3:
                key = node.args[2]
            if isinstance(key, ast.Constant) and key.value not in REFUSALS_TEXT:
                    missing.append(f"{path.relative_to(ROOT)}:{node.lineno}: {key.value}")
    assert missing == []


def test_the_scan_finds_an_unkeyed_raise(tmp_path):
    bad = tmp_path / "probe.py"
    bad.write_text("from foodtrace.errors import InvalidInput, detail\n"
                   "from foodtrace.i18n.keyed import keyed\n\n"
                   "def f(n):\n"
                   "    if n:\n"
                   "        raise InvalidInput('bad', [detail(None, 'x', 'y')])\n"
                   "    raise keyed(InvalidInput, 'capture_errors', [detail(None, 'x', 'y')], n=1)\n", "utf-8")
    assert sorted(_unkeyed([bad], tmp_path)) == ["probe.py:6: InvalidInput(...) without key=",
                                                 "probe.py:7: a plain detail(...) in keyed(...)"]
