"""`cryptoorchestrator --self-test`: prove an installed app (source or bundle) really works.

Three steps, in order, each timed: open a throwaway database through the core (every Alembic
migration runs), open and paint the main window offscreen, load the on-device model runtime
(``models.runtime.self_check()``). It prints one line per step and exits 0; on the first failure
it prints which step failed and why and exits 1. A bundle missing a module, a Qt plugin, a
migration file or a torch library fails here instead of on a person's machine.

The last line is one JSON object with the figures (tests/bench/bench_bundle.py reads it).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

__all__ = ["WINDOW_SHOWN_MARK", "run_self_test"]

#: printed the moment the window has been painted, so a caller can time a cold start to it
WINDOW_SHOWN_MARK = "self-test: window shown"


class StepFailed(Exception):
    def __init__(self, step: str, reason: str) -> None:
        super().__init__(f"{step}: {reason}")
        self.step = step
        self.reason = reason


def _say(line: str) -> None:
    print(line, flush=True)


async def _timed(step: str, timings: dict[str, float], body: Callable[[], Awaitable[Any]]) -> Any:
    started = time.perf_counter()
    try:
        result = await body()
    except Exception as exc:
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        raise StepFailed(step, detail) from exc
    timings[step] = round((time.perf_counter() - started) * 1000, 1)
    _say(f"self-test: {step} ok ({timings[step]:.0f} ms)")
    return result


async def _run_steps(data_dir: Path, timings: dict[str, float]) -> dict[str, Any]:
    from core.app import CoreApp
    from core.storage.db import head_revision

    report: dict[str, Any] = {}
    core = CoreApp(data_dir, background=False)

    async def database() -> None:
        await core.start()
        applied = await core.db.schema_revision()
        expected = head_revision()
        if not expected or applied != expected:
            raise RuntimeError(f"migrated to {applied!r}, expected the heads {expected!r}")
        report["migration_heads"] = expected.split(",")

    await _timed("database", timings, database)
    try:
        await _timed("window", timings, lambda: _show_window(core))
        _say(WINDOW_SHOWN_MARK)
        report["model_runtime"] = await _timed("model runtime", timings, _model_runtime)
    finally:
        await core.stop()
    return report


async def _show_window(core: Any) -> None:
    from desktop.window import MainWindow

    window = MainWindow(core, tray_available=False)
    try:
        window.show()
        for _ in range(200):  # the platform plugin exposes the window on a later event turn
            handle = window.windowHandle()
            if window.isVisible() and handle is not None and handle.isExposed():
                break
            await asyncio.sleep(0.01)
        else:
            raise RuntimeError("the main window never became visible")
        picture = window.grab()
        if picture.isNull() or picture.width() < 100:
            raise RuntimeError("the main window did not paint")
    finally:
        window.quitting = True
        window.close()


async def _model_runtime() -> str:
    try:
        from models.runtime import self_check
    except ImportError as exc:
        raise RuntimeError(f"models.runtime.self_check is not available ({exc})") from exc
    # torch work never runs on the UI thread.
    loop = asyncio.get_running_loop()
    result: str = await loop.run_in_executor(None, self_check)
    return result


async def _self_test() -> int:
    timings: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="cryptoorchestrator-self-test-") as tmp:
        try:
            report = await _run_steps(Path(tmp), timings)
        except StepFailed as failure:
            _say(f"self-test FAILED at step '{failure.step}': {failure.reason}")
            _say(json.dumps({"self_test": "failed", "step": failure.step, "steps_ms": timings}))
            return 1
    _say(f"self-test: model runtime says: {report['model_runtime']}")
    _say(json.dumps({"self_test": "ok", "steps_ms": timings, **report}))
    return 0


def run_self_test() -> int:
    """Run every step in a throwaway data folder; 0 when all pass."""
    # Offscreen unless the caller chose a platform: a self-test must not flash a window.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from core.version import __version__

    _say(f"self-test: cryptoorchestrator {__version__}, Python {sys.version.split()[0]}")
    try:
        from desktop.qt import make_application, make_event_loop

        app = make_application()
        loop = make_event_loop(app)
    except Exception as exc:
        _say(f"self-test FAILED at step 'qt': {type(exc).__name__}: {exc}")
        return 1
    with loop:
        code: int = loop.run_until_complete(_self_test())
    return code
