"""The layers written in .importlinter hold, and every module of Grip is in one of them.

`lint-imports` (run first by scripts/test) checks the contract; this test runs the same check
inside the suite, and adds what import-linter cannot: a new package or module that is in no layer
would escape the contract, so it fails here until it is placed (docs/architecture.md)."""

from __future__ import annotations

import ast
import configparser
import re
from pathlib import Path

import pytest
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src" / "grip"
CONFIG = ROOT / ".importlinter"


def _layers() -> list[list[str]]:
    parser = configparser.ConfigParser()
    parser.read(CONFIG)
    lines = parser["importlinter:contract:layers"]["layers"].strip().splitlines()
    return [[name.strip().strip("()") for name in re.split(r"[|:]", line)] for line in lines]


def _modules() -> list[str]:
    """Every module of the grip package (a package counts through its __init__), bar migrations."""
    names = []
    for path in SOURCE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        parts = ("grip", *path.relative_to(SOURCE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names.append(".".join(parts))
    return sorted(names)


def test_the_import_layers_hold():
    assert lint_imports(config_filename=str(CONFIG), no_cache=True) == 0, "lint-imports: see the broken contract above"


def test_every_module_is_in_a_layer():
    layered = [name for layer in _layers() for name in layer]
    outside = [
        module
        for module in _modules()
        if module not in ("grip", "grip.web")  # the bare packages: their __init__ files hold no code
        and not any(module == name or module.startswith(name + ".") for name in layered)
    ]
    assert outside == [], f"modules in no layer of .importlinter: {outside}"


@pytest.mark.parametrize("package", ["grip", "grip.web"])
def test_the_bare_packages_hold_no_code(package):
    """They are in no layer, so an import placed in them would escape the contract."""
    init = SOURCE.joinpath(*package.split(".")[1:], "__init__.py")
    body = ast.parse(init.read_text(encoding="utf-8")).body
    code = [node for node in body if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))]
    assert code == [], f"{init} must hold nothing but a docstring (it is in no layer)"


def test_no_module_reaches_another_by_name_at_run_time():
    """importlib.import_module hides an import from the picture and from the contract."""
    hidden = [
        str(path.relative_to(ROOT))
        for path in SOURCE.rglob("*.py")
        if "migrations" not in path.parts and "import_module(" in path.read_text(encoding="utf-8")
    ]
    assert hidden == []
