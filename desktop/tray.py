"""The system tray icon: show/hide the window, alerts (pause, recent, notifications), quit."""

from __future__ import annotations

from collections.abc import Callable

from core.alerts import AlertFired, FiredAlert
from desktop import alert_operations
from desktop.alert_notifier import TrayNotifier
from desktop.icon import app_icon
from desktop.qt import QAction, QMenu, QSystemTrayIcon
from desktop.window import MainWindow


class Tray:
    def __init__(self, window: MainWindow, quit_app: Callable[[], None]) -> None:
        self.window = window
        self.icon = QSystemTrayIcon(app_icon())
        self.icon.setToolTip("CryptoOrchestrator")
        self.menu = QMenu()
        self.toggle_action = QAction("Hide window")
        self.toggle_action.triggered.connect(self.toggle)
        self.quit_action = QAction("Quit")
        self.quit_action.triggered.connect(quit_app)
        self.menu.addAction(self.toggle_action)
        self.menu.addSeparator()
        self._alerts_menu(window)
        self.menu.addSeparator()
        self.menu.addAction(self.quit_action)
        self.menu.aboutToShow.connect(self._sync_label)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        window.hidden_to_tray.connect(self._first_hide_notice)
        self._told_about_tray = False

    def _alerts_menu(self, window: MainWindow) -> None:
        """Alerts fire from the core also while the window is hidden; the tray shows them."""
        self.notifier = TrayNotifier(self.icon)
        self.notifier.open_page.connect(self.open_page)
        window.core.alerts.attach_notifier(self.notifier)
        self.pause_action = QAction("Pause alerts")
        self.pause_action.setCheckable(True)
        self.pause_action.setChecked(window.core.alerts.paused)
        self.pause_action.toggled.connect(self._pause)
        self.recent_menu = QMenu("Recent alerts")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self.menu.addAction(self.pause_action)
        self.menu.addMenu(self.recent_menu)
        self._fill_recent()
        window.signals.alert_fired.connect(self._on_alert_fired)
        window.signals.alerts_changed.connect(self._sync_pause)
        alert_operations.load_history(window.ops, self._seed, limit=10)

    def _pause(self, paused: bool) -> None:
        if paused != self.window.core.alerts.paused:
            alert_operations.set_paused(self.window.ops, paused)

    def _sync_pause(self) -> None:
        paused = self.window.core.alerts.paused
        if self.pause_action.isChecked() != paused:
            self.pause_action.setChecked(paused)

    def _seed(self, history: list[FiredAlert]) -> None:
        self.notifier.seed(history)
        self._fill_recent()

    def _on_alert_fired(self, event: AlertFired) -> None:
        # Alerts fired while paused are listed too (they were recorded, only not shown).
        self.notifier.remember(event.alert)
        self._fill_recent()

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        if not self.notifier.recent:
            empty = self.recent_menu.addAction("No alerts yet")
            empty.setEnabled(False)
            return
        for alert in self.notifier.recent:
            text = f"{alert.fired_at:%m-%d %H:%M}  {alert.rule_name}: {alert.message}"
            action = self.recent_menu.addAction(text[:90])
            action.triggered.connect(lambda _=False, page=alert.page: self.open_page(page))

    def open_page(self, page: str) -> None:
        """Bring the window up on ``page`` (a clicked notification, a recent alert)."""
        self.window.show()
        self.window.raise_()
        self.window.activateWindow()
        self.window.show_page(page)
        self._sync_label()

    @staticmethod
    def available() -> bool:
        return QSystemTrayIcon.isSystemTrayAvailable()

    def show(self) -> None:
        self.icon.show()

    def _sync_label(self) -> None:
        self.toggle_action.setText("Hide window" if self.window.isVisible() else "Show window")

    def toggle(self) -> None:
        if self.window.isVisible():
            self.window.hide()
        else:
            self.window.show()
            self.window.raise_()
            self.window.activateWindow()
        self._sync_label()

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self.toggle()

    def notify(self, title: str, message: str) -> None:
        self.icon.showMessage(title, message, QSystemTrayIcon.MessageIcon.Information, 8000)

    def _first_hide_notice(self) -> None:
        if not self._told_about_tray:
            self._told_about_tray = True
            self.notify(
                "Still running",
                "CryptoOrchestrator keeps running in the tray. Use Quit in its menu to exit.",
            )
