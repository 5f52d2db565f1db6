"""Every error a person reads is said in their language: in the services of supervision, administration
and safety (with the rules) and in the command line, each ``foodtrace.errors`` error is made with a
message key (``key=``, or ``i18n.keyed.keyed``), its details with ``refusal`` (never the English-only
``errors.detail``), and every key used has a text in zh and en. An AST scan of the source, so the rule
holds for code written from now on."""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path
import string

import pytest

import foodtrace
from foodtrace.errors import FoodtraceError
from foodtrace.i18n.refusals import REFUSALS_TEXT

ROOT = Path(foodtrace.__file__).parent
FOLDERS = ("services/supervision", "services/admin", "services/safety", "cli")
FILES = sorted(p for f in FOLDERS for p in (ROOT / f).rglob("*.py"))


def _names(path: Path, root: Path, tree: ast.Module) -> dict:
    """The module's names, and those imported inside its functions (``from m import X``)."""
    names = dict(vars(importlib.import_module(".".join(path.relative_to(root.parent).with_suffix("").parts))))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            module = importlib.import_module(node.module)
            names.update({a.asname or a.name: getattr(module, a.name, None) for a in node.names})
    return names


def _error_class(node: ast.expr, names: dict) -> type | None:
    """The ``FoodtraceError`` class that ``node`` (a name or ``module.Name``) is, in the module's names."""
    obj = None
    if isinstance(node, ast.Name):
        obj = names.get(node.id)
    elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        obj = getattr(names.get(node.value.id), node.attr, None)
    return obj if inspect.isclass(obj) and issubclass(obj, FoodtraceError) else None


def _constant_keys(call: ast.Call, position: int | None, keyword: str | None) -> list[str]:
    arg = None
    if position is not None and len(call.args) > position:
        arg = call.args[position]
    for kw in call.keywords:
        if kw.arg == keyword:
            arg = kw.value
    return [arg.value] if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else []


def _arguments_short(call: ast.Call, key: str, given: ast.expr | None = None) -> list[str]:
    """The placeholders of text ``key`` (zh or en) the call gives no argument for (a KeyError, a 500, when
    raised); none when its arguments are spread (``**args``) or not a literal."""
    if key not in REFUSALS_TEXT:
        return []
    if given is None:
        if any(kw.arg is None for kw in call.keywords):
            return []
        names = {kw.arg for kw in call.keywords}
    elif isinstance(given, ast.Dict) and all(isinstance(k, ast.Constant) for k in given.keys):
        names = {k.value for k in given.keys}
    else:
        return []
    wanted = {f for text in REFUSALS_TEXT[key] for _, f, _, _ in string.Formatter().parse(text) if f}
    return sorted(wanted - names)


def _findings(path: Path, root: Path = ROOT) -> tuple[list[str], list[str]]:
    """(refusals: error made without a key or a detail made with ``detail``; the message keys used)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = _names(path, root, tree)
    bad, keys = [], []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        where = f"{path.relative_to(root.parent)}:{node.lineno}"
        func = node.func
        callee = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if callee == "detail" and names.get("detail") is foodtrace.errors.detail:
            bad.append(f"{where}: detail(...) is English only; use refusal(...)")
        elif callee in ("keyed", "refusal"):
            found = _constant_keys(node, 1 if callee == "keyed" else 2, "key")
            keys += found
            bad += [f"{where}: {k} needs {short}" for k in found if (short := _arguments_short(node, k))]
        elif _error_class(func, names) is not None:
            if not any(kw.arg == "key" for kw in node.keywords):
                bad.append(f"{where}: {callee}(...) without key=")
            found = _constant_keys(node, None, "key")
            keys += found
            given = next((kw.value for kw in node.keywords if kw.arg == "args"), None)  # else its keywords
            bad += [f"{where}: {k} needs {short}" for k in found if (short := _arguments_short(node, k, given))]
    return bad, keys


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_error_is_keyed_and_every_key_has_its_texts(path):
    bad, keys = _findings(path)
    assert not bad, "\n".join(bad)
    missing = sorted(k for k in keys if k not in REFUSALS_TEXT)
    assert not missing, f"keys without texts in zh and en: {missing}"


def test_the_scan_sees_an_unkeyed_error(tmp_path, monkeypatch):
    """The scan itself fails on an error without a key, on a ``detail`` and on a text's missing argument:
    it is not vacuous."""
    pkg = tmp_path / "scanprobe"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "probe.py").write_text(
        "from foodtrace.errors import NotFound, detail\n"
        "from foodtrace.i18n.keyed import keyed\n"
        "def f(x):\n"
        "    raise NotFound(f'no {x}', [detail(None, 'x', 'unknown')])\n"
        "def g(x):\n"
        "    raise keyed(NotFound, 'case_none', case=x)\n"
        "def h(x):\n"
        "    raise keyed(NotFound, 'case_none', code=x)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    bad, keys = _findings(pkg / "probe.py", pkg)
    assert sorted(b.split(": ", 1)[1] for b in bad) == [
        "NotFound(...) without key=", "case_none needs ['case']", "detail(...) is English only; use refusal(...)"], bad
    assert keys == ["case_none", "case_none"]


def test_a_lot_refused_by_the_resolver_keeps_its_own_keyed_reason():
    """supervision/records.py: an unknown lot's reason is the resolver's own keyed text when it has one
    (its arguments as they are, even one named ``field``), said in the reader's language."""
    from foodtrace.errors import InvalidInput, NotFound
    from foodtrace.i18n.keyed import keyed
    from foodtrace.i18n.refusals import localize
    from foodtrace.services.supervision.records import _unresolved

    inner = InvalidInput("bad date 'x' for from", key="bad_date", args={"value": "x", "field": "from"})
    err = keyed(InvalidInput, "sup_lots_unknown", [_unresolved("lots[0]", "x", inner),
                                                   _unresolved("lots[1]", "L-9", NotFound("no lot"))])
    assert [d["reason"] for d in err.details] == ["bad date 'x' for from", "no lot with trace code 'L-9'"]
    localize(err, "zh")
    assert [d["reason"] for d in err.details] == ["日期“x”（from）无效", "没有追溯码为 L-9 的批次"]
    assert err.message == "有无法识别的批次，未记录任何内容"
