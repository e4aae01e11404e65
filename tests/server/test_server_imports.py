"""The server stands alone: it imports nothing from core/ or desktop/ (nor Qt), so it can be
deployed from server/ alone (see server/Dockerfile)."""

from __future__ import annotations

import subprocess
import sys

from tests.harness.parts import REPO


def test_server_imports_neither_core_nor_desktop() -> None:
    probe = (
        "import sys, server.app, server.__main__, server.tables, server.limits; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('core', 'desktop', 'models', 'PySide6', 'qasync')); print(bad)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_create_account_from_the_command_line(tmp_path: object) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/cli.sqlite3"
    result = subprocess.run(
        [sys.executable, "-m", "server", "--database-url", url, "create-account"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    lines = dict(line.split(" ", 1) for line in result.stdout.strip().splitlines())
    assert len(lines["account"]) == 32 and lines["token"].startswith("cos_")
