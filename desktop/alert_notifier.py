"""The tray's notifier: fired alerts as QSystemTrayIcon messages; a click opens the alert's page.

It implements core.alerts.Notifier. The core calls ``notify`` on the loop thread, which under
qasync is the Qt thread, so showing the message directly is safe.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from core.alerts import FiredAlert
from desktop.qt import QObject, QSystemTrayIcon, Signal

__all__ = ["RECENT", "TrayNotifier"]

RECENT = 10  # alerts listed under "Recent alerts" in the tray menu
SHOW_MS = 10_000


class TrayNotifier(QObject):
    #: the page a clicked notification (or a recent alert in the menu) asks to open
    open_page = Signal(str)

    def __init__(self, icon: QSystemTrayIcon) -> None:
        super().__init__()
        self._icon = icon
        self.last: FiredAlert | None = None
        self.recent: deque[FiredAlert] = deque(maxlen=RECENT)
        icon.messageClicked.connect(self._clicked)

    def notify(self, alert: FiredAlert) -> None:
        self.remember(alert)
        self.last = alert
        self._icon.showMessage(
            f"Alert: {alert.rule_name}",
            alert.message,
            QSystemTrayIcon.MessageIcon.Information,
            SHOW_MS,
        )

    def remember(self, alert: FiredAlert) -> None:
        if all(a.id != alert.id or a.id is None for a in self.recent):
            self.recent.appendleft(alert)

    def seed(self, history: Iterable[FiredAlert]) -> None:
        """Fill "Recent alerts" from the stored history at start (newest first)."""
        for alert in reversed(list(history)[:RECENT]):
            self.remember(alert)

    def _clicked(self) -> None:
        if self.last is not None:
            self.open_page.emit(self.last.page)
