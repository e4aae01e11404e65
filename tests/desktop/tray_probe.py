"""Run under a real X server: build the real window and tray, report what the tray host did.

Started as a subprocess by test_real_screen.py (pytest-qt's offscreen QApplication cannot switch
to a real screen inside one process). Prints one JSON line.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path

from core.app import CoreApp
from desktop.qt import QApplication, make_application, make_event_loop
from desktop.tray import Tray
from desktop.window import MainWindow


async def probe(data_dir: Path) -> dict[str, object]:
    core = CoreApp(data_dir, background=False)
    await core.start()
    deadline = time.monotonic() + 10
    while not Tray.available() and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    available = Tray.available()
    window = MainWindow(core, tray_available=available)
    quits: list[bool] = []
    tray = Tray(window, lambda: quits.append(True))
    closed: list[bool] = []
    window.closed.connect(lambda: closed.append(True))
    tray.show()
    window.show()
    await asyncio.sleep(1.0)
    geometry = tray.icon.geometry()
    messages_supported = tray.icon.supportsMessages()
    tray.notify("Test", "A notification from the tray probe")
    window.close()  # with a tray: hides instead of quitting
    await asyncio.sleep(0.2)
    hidden_not_closed = not window.isVisible() and not closed
    tray.toggle()  # the tray brings it back
    await asyncio.sleep(0.2)
    shown_again = window.isVisible()
    tray.quit_action.trigger()
    await core.stop()
    return {
        "available": available,
        "visible": tray.icon.isVisible(),
        "geometry": [geometry.x(), geometry.y(), geometry.width(), geometry.height()],
        "messages": messages_supported,
        "hidden_to_tray": hidden_not_closed,
        "shown_again": shown_again,
        "quit_requested": quits == [True],
        "closed_on_close": closed == [True],
    }


def main() -> None:
    app = make_application()
    assert isinstance(app, QApplication)
    loop = make_event_loop(app)
    with loop:
        result = loop.run_until_complete(probe(Path(sys.argv[1])))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
