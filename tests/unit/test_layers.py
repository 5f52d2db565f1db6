"""The layers of foodtrace, checked from the source: every ``import`` of a foodtrace module
(at the top of a module or inside a function) must point down or sideways, never up.

    errors ← model ← (i18n, config) ← graph ← ingest ← services ← (demo, render) ← api ← cli
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "foodtrace"

RANK = {
    "errors": 0,
    "model": 1,
    "i18n": 2,
    "config": 2,
    "graph": 3,
    "ingest": 4,
    "services": 5,
    "demo": 6,
    "render": 6,
    "api": 7,
    "cli": 8,
    "__main__": 9,
    "__init__": 0,  # the package's own __init__: its version, nothing else
}
# Same rank but no arrow between them: presentation and the demo generator know nothing of each other.
APART = {("render", "demo"), ("demo", "render")}


def layer_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def foodtrace_imports(path: Path) -> list[tuple[int, str]]:
    """(line, imported module) of every foodtrace import in ``path``, relative ones resolved."""
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    me = list(rel.parts)
    package = me if me[-1] == "__init__" else me[:-1]
    if package and package[-1] == "__init__":
        package = package[:-1]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target == "foodtrace":  # from foodtrace import x: x is a module, or a name of __init__
                out.extend((node.lineno, f"foodtrace.{a.name}" if _is_module(a.name) else "foodtrace.__init__")
                           for a in node.names)
            elif target.startswith("foodtrace."):
                out.append((node.lineno, target))
        elif isinstance(node, ast.Import):
            out.extend((node.lineno, a.name) for a in node.names if a.name.startswith("foodtrace."))
    return out


def _is_module(name: str) -> bool:
    return (PACKAGE / f"{name}.py").exists() or (PACKAGE / name / "__init__.py").exists()


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py"))


def test_every_top_level_part_has_a_layer():
    tops = {p.relative_to(PACKAGE).parts[0].removesuffix(".py") for p in modules()}
    assert tops <= set(RANK), f"give these a layer in RANK: {sorted(tops - set(RANK))}"


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_import_runs_back_up(path: Path):
    mine = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
    wrong = []
    for line, target in foodtrace_imports(path):
        theirs = layer_of(target)
        if RANK[theirs] > RANK[mine] or (mine, theirs) in APART:
            wrong.append(f"{path.relative_to(PACKAGE)}:{line} ({mine}) imports {target} ({theirs})")
    assert not wrong, "imports that run back up the layers:\n" + "\n".join(wrong)


def test_the_checker_sees_an_upward_import(tmp_path):
    """The check itself can fail: a services module importing the API is caught."""
    bad = PACKAGE / "services" / "_layer_probe.py"
    bad.write_text("from foodtrace.api.app import create_app\n", encoding="utf-8")
    try:
        with pytest.raises(AssertionError, match="imports foodtrace.api.app"):
            test_no_import_runs_back_up(bad)
    finally:
        bad.unlink()


# The layers below the presentation may not reach into the API's folders by path either (an import is not
# the only arrow: reading ``api/templates/…`` from a service makes it depend on the API's files).
BELOW_THE_API = ("errors", "model", "i18n", "config", "graph", "ingest", "services")
API_FOLDERS = {"api", "templates", "static"}
_API_PATH = re.compile(r"(^|[/\\])(api[/\\])?(templates|static)[/\\]")


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the docstring nodes (a docstring may name a file of the API: it is no arrow)."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                out.add(id(first.value))
    return out


_PATH_CALLS = {"joinpath", "join", "Path", "PurePath"}


def _joined(node: ast.AST) -> list[ast.Constant]:
    """The strings a path expression joins: ``a / "b" / "c"``, ``x.joinpath("b", "c")``, ``os.path.join(a, "b")``,
    ``Path(a, "b")``."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        return [side for side in (node.left, node.right) if isinstance(side, ast.Constant)]
    if isinstance(node, ast.Call):
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
        if name in _PATH_CALLS:
            return [a for a in node.args if isinstance(a, ast.Constant)]
    return []


def api_paths(path: Path) -> list[str]:
    """Where ``path`` names a folder of the API by path: a string with a folder ``templates/`` or ``static/`` in
    it (not a docstring; a URL such as ``/api/v1/keys`` is no path of a file), or ``"api"``, ``"templates"``
    or ``"static"`` joined onto a path."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = _docstrings(tree)
    where = path.relative_to(PACKAGE) if path.is_relative_to(PACKAGE) else path.name
    found = []
    for node in ast.walk(tree):
        for const in _joined(node):
            if isinstance(const.value, str) and const.value.strip("/\\") in API_FOLDERS:
                found.append(f"{where}:{const.lineno} joins {const.value!r} onto a path")
        if (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs
                and _API_PATH.search(node.value)):
            found.append(f"{where}:{node.lineno} names {node.value!r}")
    return found


@pytest.mark.parametrize("layer", BELOW_THE_API)
def test_no_layer_below_the_api_reads_its_files_by_path(layer: str):
    files = sorted((PACKAGE / layer).rglob("*.py")) if (PACKAGE / layer).is_dir() else [PACKAGE / f"{layer}.py"]
    wrong = [hit for f in files for hit in api_paths(f)]
    assert not wrong, "the API's folders named by path below the API:\n" + "\n".join(wrong)


@pytest.mark.parametrize("source", [
    'TEMPLATE = Path(__file__).resolve().parents[2] / "api" / "templates" / "consumer.html"\n',
    'TEMPLATE = ROOT.joinpath("api", "templates", "consumer.html")\n',
    'TEMPLATE = os.path.join(ROOT, "templates")\n',
    'SKIP = "api/static/"\n',
    'PAGE = ROOT / "api/templates/consumer.html"\n',
    'PAGE = Path(ROOT, "api", "templates")\n',
])
def test_the_checker_sees_a_path_into_the_api(source: str, tmp_path):
    """The check itself can fail: each way of naming the API's folders by path is caught (and a URL, a
    docstring or an unrelated join is not)."""
    bad = tmp_path / "probe.py"
    bad.write_text(source, encoding="utf-8")
    assert api_paths(bad)
    good = tmp_path / "fine.py"
    good.write_text('"""Reads ``api/templates/consumer.html``."""\nURL = "/api/v1/keys"\nP = ROOT / "graph" / "x.sql"\n'
                    'S = ",".join(["a", "b"])\n', encoding="utf-8")
    assert not api_paths(good)
