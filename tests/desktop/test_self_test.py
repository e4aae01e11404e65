"""`cryptoorchestrator --self-test` from source, as a person (or CI) would run it."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.self_test import WINDOW_SHOWN_MARK, StepFailed, _timed

REPO = Path(__file__).resolve().parents[2]


def test_self_test_from_source_passes_every_step(tmp_path: Path) -> None:
    script = shutil.which("cryptoorchestrator", path=str(Path(sys.executable).parent))
    assert script, "the console script is installed with the package"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
    done = subprocess.run(
        [script, "--self-test"], capture_output=True, text=True, env=env, timeout=300, cwd=tmp_path
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.strip().splitlines()
    for step in ("database", "window", "model runtime"):
        assert any(line.startswith(f"self-test: {step} ok") for line in lines), done.stdout
    assert WINDOW_SHOWN_MARK in lines
    report = json.loads(lines[-1])
    assert report["self_test"] == "ok"
    assert set(report["steps_ms"]) == {"database", "window", "model runtime"}
    assert report["migration_heads"] and "ok" in report["model_runtime"]
    # It used a throwaway data dir, never the person's own.
    assert not (tmp_path / ".local" / "share" / "CryptoOrchestrator").exists()


def test_a_failing_step_is_named_with_its_reason() -> None:
    async def broken() -> None:
        raise FileNotFoundError("alembic.ini")

    with pytest.raises(StepFailed) as failure:
        asyncio.run(_timed("database", {}, broken))
    assert failure.value.step == "database"
    assert "FileNotFoundError: alembic.ini" in failure.value.reason
