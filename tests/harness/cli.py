"""Run the `cryptoorchestrator` CLI as a person does: a separate process, its own data dir."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.harness.parts import REPO


def run_cli(
    data_dir: Path, *args: str, stdin: str = "", timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop", "--data-dir", str(data_dir), *args],
        cwd=REPO,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
