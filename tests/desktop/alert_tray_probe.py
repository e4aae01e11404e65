"""Run under a real X server with a tray host: an alert fires from the core's schedule while the
window is hidden in the tray, the real tray icon shows it, a click on the message opens the page.

Started as a subprocess by test_alert_tray.py (pytest-qt's offscreen QApplication cannot switch
to a real screen inside one process). Prints one JSON line.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QWidget

from core.alerts import Intervals, RuleForm
from core.app import CoreApp
from desktop.qt import QApplication, make_application, make_event_loop
from desktop.tray import Tray
from desktop.window import MainWindow


async def until(condition, within: float = 15.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if condition():
            return True
        await asyncio.sleep(0.05)
    return bool(condition())


def balloons() -> list[QWidget]:
    return [
        w
        for w in QApplication.topLevelWidgets()
        if w.metaObject().className() == "QBalloonTip" and w.isVisible()
    ]


def exposed(widget: QWidget) -> bool:
    """Whether the X server mapped the message window and sent it an Expose (it is on screen)."""
    handle = widget.windowHandle()
    return handle is not None and handle.isExposed()


async def probe(data_dir: Path) -> dict[str, object]:
    core = CoreApp(data_dir, background=False)
    await core.start()
    # The real schedule, only faster: prices every 0.3 s, the slow checks out of the way.
    core.alerts.intervals = Intervals(prices_s=0.3, portfolio_s=3600, forecasts_s=3600)
    core.alerts.start()
    await until(Tray.available, 10)
    window = MainWindow(core, tray_available=Tray.available())
    tray = Tray(window, lambda: None)
    tray.show()
    window.show()
    await asyncio.sleep(1.0)
    await core.alerts.save_form(
        RuleForm("price_above", asset="ETH", threshold="3000", cooldown="0")
    )
    await core.prices.set_override(1, "native", "2900")
    armed = await until(lambda: "armed" in core.alerts.status(1))
    window.close()  # hides to the tray; the core keeps evaluating
    await asyncio.sleep(0.5)
    hidden = not window.isVisible()
    await core.prices.set_override(1, "native", "3100")
    fired = await until(lambda: tray.notifier.last is not None)
    await until(lambda: any("Alert:" in _texts(b) for b in balloons()), 5)
    shown = [b for b in balloons() if "Alert:" in _texts(b)]
    texts = _texts(shown[0]) if shown else ""
    on_screen = await until(lambda: exposed(shown[0]), 5) if shown else False
    if shown:
        QTest.mouseClick(
            shown[0], Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(20, 20)
        )
    opened = await until(lambda: window.isVisible() and window.current_page() == "Portfolio", 5)
    history = await core.alerts.history()
    result = {
        "tray_available": Tray.available(),
        "tray_visible": tray.icon.isVisible(),
        "supports_messages": tray.icon.supportsMessages(),
        "armed": armed,
        "hidden_to_tray": hidden,
        "fired": fired,
        "balloon_text": texts,
        "balloon_exposed": on_screen,
        "opened_page": window.current_page() if opened else None,
        "window_visible": window.isVisible(),
        "history": [h.message for h in history],
    }
    window.quitting = True
    window.close()
    await core.stop()
    return result


def _texts(widget: QWidget) -> str:
    return " | ".join(label.text() for label in widget.findChildren(QLabel))


def main() -> None:
    app = make_application()
    assert isinstance(app, QApplication)
    loop = make_event_loop(app)
    with loop:
        result = loop.run_until_complete(probe(Path(sys.argv[1])))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
