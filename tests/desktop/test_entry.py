"""The console script answers --version without loading the core (web3, torch)."""

from __future__ import annotations

import subprocess
import sys

from core.version import __version__
from tests.harness.parts import REPO

PROBE = """
import sys
from desktop import entry
sys.argv = ["cryptoorchestrator", "--version"]
try:
    entry.main()
except SystemExit as done:
    print("loaded core.app" if "core.app" in sys.modules else "core not loaded", done.code)
"""


def test_version_is_answered_without_loading_the_core() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.splitlines() == [f"cryptoorchestrator {__version__}", "core not loaded 0"]
