"""Sizes a newcomer can read: no module over 300 lines (texts and models excepted), no function over 60."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "cabinet"
MAX_MODULE_LINES = 300
MAX_FUNCTION_LINES = 60
# Every Russian string in one place for review and translation; every table in one schema file.
LONG_BY_NATURE = {"texts.py", "models.py"}


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_no_module_is_over_300_lines():
    long = {
        str(path.relative_to(PACKAGE)): lines
        for path in _modules()
        if path.name not in LONG_BY_NATURE
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


def test_no_function_is_over_60_lines():
    long = {}
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long[f"{path.relative_to(PACKAGE)}::{node.name}"] = lines
    assert long == {}


def test_the_check_sees_the_whole_package():
    names = {path.name for path in _modules()}
    assert {"cabinet.py", "texts.py", "calls.py", "transactions.py"} <= names
