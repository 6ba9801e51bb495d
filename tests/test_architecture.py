"""The house rules of issue 10 as tests: module size, ordinary imports, no guarded imports of our own code.

The import directions are checked by import-linter (setup.cfg [importlinter], `make lint`)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCE_PACKAGES = ("app", "courses", "contest_engine", "community", "monitoring")
MAX_LINES = 400

# The one import inside a function: create_app loads the rooms' wiring when it is called, because
# the rooms import app.extensions, which runs app/__init__.py first (see the comment there).
IMPORTS_INSIDE_FUNCTIONS_ALLOWED = {("app/__init__.py", "create_app", "app")}


def _modules(*packages: str) -> list[Path]:
    return sorted(path for package in packages for path in (ROOT / package).rglob("*.py"))


def _name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _line_count(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_no_source_module_is_over_400_lines() -> None:
    """One module per use case keeps each under 400 lines (the aim is 40–300): split, don't grow."""
    too_long = {
        _name(path): _line_count(path) for path in _modules(*SOURCE_PACKAGES) if _line_count(path) > MAX_LINES
    }
    assert too_long == {}


def test_no_test_module_is_over_400_lines() -> None:
    """Tests split by use case like the code they test."""
    too_long = {_name(path): _line_count(path) for path in _modules("tests") if _line_count(path) > MAX_LINES}
    assert too_long == {}


def _imports_inside_functions(path: Path) -> set[tuple[str, str, str]]:
    found = set()
    for function in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.Import):
                found |= {(_name(path), function.name, alias.name) for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                found.add((_name(path), function.name, node.module or "."))
    return found


def test_imports_are_at_the_top_of_the_module() -> None:
    """An import inside a function hides a dependency (and often a cycle) from the reader and from
    import-linter; a real cycle is broken by moving code, not by deferring the import."""
    found = set().union(*(_imports_inside_functions(path) for path in _modules(*SOURCE_PACKAGES)))
    assert found - IMPORTS_INSIDE_FUNCTIONS_ALLOWED == set()


def _guarded_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Try):
            continue
        caught = {
            name.id
            for handler in node.handlers
            if handler.type is not None
            for name in ast.walk(handler.type)
            if isinstance(name, ast.Name)
        }
        if caught & {"ImportError", "ModuleNotFoundError"}:
            found.append(f"{_name(path)}:{node.lineno}")
    return found


def test_no_import_is_guarded_by_except_import_error() -> None:
    """Our own code always ships: a guard around its import only hides a broken import (issue 10
    found one hiding a bug in awards)."""
    assert [hit for path in _modules(*SOURCE_PACKAGES) for hit in _guarded_imports(path)] == []


@pytest.mark.parametrize("registration", ["@tick_job", "@panel", "@demo_part", "register_attempt_policy("])
def test_rooms_do_not_register_themselves_on_import(registration: str) -> None:
    """Tick jobs, dashboard panels, demo parts and attempt policies are registered in one place,
    app/wiring.py, called by create_app; a module that registers itself when imported hides it."""
    allowed = {
        "app/wiring.py",
        "app/ticks.py",
        "app/main/dashboard.py",
        "app/demo.py",
        "courses/quiz/policies.py",
    }
    found = [
        _name(path)
        for path in _modules(*SOURCE_PACKAGES)
        if _name(path) not in allowed and registration in path.read_text(encoding="utf-8")
    ]
    assert found == []
