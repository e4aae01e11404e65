"""The system tray icon: show/hide the window, quit, and notifications."""

from __future__ import annotations

from collections.abc import Callable

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
        self.menu.addAction(self.quit_action)
        self.menu.aboutToShow.connect(self._sync_label)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        window.hidden_to_tray.connect(self._first_hide_notice)
        self._told_about_tray = False

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
