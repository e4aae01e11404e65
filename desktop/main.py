"""Start the desktop app: Qt application, one qasync loop, the core, the window and the tray."""

from __future__ import annotations

import asyncio
import gc
import logging
import os
from pathlib import Path

from core.app import CoreApp
from core.errors import CoreError
from desktop.qt import QMessageBox, QTimer, make_application, make_event_loop
from desktop.tray import Tray
from desktop.update_notice import check_for_updates
from desktop.window import MainWindow

log = logging.getLogger(__name__)

#: set by tests to quit after the window has been shown for this many milliseconds
ENV_QUIT_AFTER_MS = "CRYPTOORCHESTRATOR_QUIT_AFTER_MS"


def run(data_dir: Path | None = None) -> int:
    app = make_application()
    loop = make_event_loop(app)
    with loop:
        # The whole life runs in one coroutine: qasync only treats the loop as running inside
        # run_until_complete, and core shutdown still needs it running.
        exit_code: int = loop.run_until_complete(_lifecycle(data_dir))
        return exit_code


async def _lifecycle(data_dir: Path | None) -> int:
    try:
        core = CoreApp(data_dir)
        await core.start()
    except CoreError as error:
        QMessageBox.critical(None, error.title, str(error))
        return 2
    try:
        return await _serve(core)
    finally:
        await core.stop()


async def _serve(core: CoreApp) -> int:
    window = MainWindow(core, tray_available=Tray.available())
    done = asyncio.Event()

    def quit_app() -> None:
        window.quitting = True
        window.close()
        done.set()

    tray = Tray(window, quit_app)
    if Tray.available():
        tray.show()
    else:
        log.info("no system tray: closing the window quits")
    window.closed.connect(done.set)
    window.show()
    # Everything built so far lives as long as the app: move it out of the collector's way, so a
    # full collection (triggered by e.g. 100k rows of Activity loading) does not walk it and
    # stall the UI for most of a second (tests/bench/bench_activity_table.py measured it).
    gc.collect()
    gc.freeze()
    check_for_updates(window, window.ops)
    quit_after = os.environ.get(ENV_QUIT_AFTER_MS)
    if quit_after:
        QTimer.singleShot(int(quit_after), quit_app)
    await done.wait()
    return 0
