"""Imports flow desktop -> core -> models. core/ and models/ never import Qt, qasync or desktop."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
QT = ("PySide6", "shiboken6", "qasync", "PyQt5", "PyQt6", "pyqtgraph")
FORBIDDEN = {
    "core": (*QT, "desktop"),
    "models": (*QT, "desktop", "core", "server"),
    "server": (*QT, "desktop", "models"),
}


def imported_modules(source: str) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def violations(package: str) -> list[str]:
    found = []
    for path in sorted((REPO / package).rglob("*.py")):
        for name in imported_modules(path.read_text(encoding="utf-8")):
            root = name.split(".")[0]
            if root in FORBIDDEN[package]:
                found.append(f"{path.relative_to(REPO)} imports {name}")
    return found


def test_walker_sees_every_import_form() -> None:
    source = "import PySide6.QtCore\nfrom desktop.qt import Qt\nif True:\n    import qasync\n"
    assert imported_modules(source) == ["PySide6.QtCore", "desktop.qt", "qasync"]


def test_core_never_imports_the_gui() -> None:
    assert violations("core") == []


def test_models_import_only_numeric_libraries() -> None:
    assert violations("models") == []


def test_server_shares_nothing_with_the_gui() -> None:
    assert violations("server") == []


def test_core_is_importable_without_qt_loaded() -> None:
    import subprocess
    import sys

    probe = (
        "import sys, core.app, core.cli, core.doctor; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'qasync', 'desktop')]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
