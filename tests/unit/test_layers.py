"""The layers of foodtrace, checked from the source: every ``import`` of a foodtrace module
(at the top of a module or inside a function) must point down or sideways, never up.

    errors ← model ← (i18n, config) ← graph ← ingest ← services ← (demo, render) ← api ← cli
"""

from __future__ import annotations

import ast
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
