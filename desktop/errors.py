"""The one place that shows an error to a person: a banner at the top of the window.

A banner, not a modal dialog: a failing background refresh must not block the person, and tests
can read what was shown. Every message comes from CoreError.user_message (already fit to show).
"""

from __future__ import annotations

import logging

from core.errors import CoreError
from desktop.qt import QHBoxLayout, QLabel, QPushButton, Qt, QWidget, Signal

log = logging.getLogger(__name__)


class ErrorBanner(QWidget):
    shown = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("errorBanner")
        self.setStyleSheet(
            "#errorBanner { background: #fdecea; border: 1px solid #f5c2c0; border-radius: 4px; }"
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold; color: #8a1c13;")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        dismiss = QPushButton("Dismiss")
        dismiss.clicked.connect(self.hide)
        layout.addWidget(self.title)
        layout.addWidget(self.message, 1)
        layout.addWidget(dismiss)
        self.hide()

    def show_message(self, title: str, message: str) -> None:
        self.title.setText(title + ":")
        self.message.setText(message)
        self.show()
        self.shown.emit(message)

    def show_error(self, error: BaseException) -> None:
        if isinstance(error, CoreError):
            self.show_message(error.title, str(error))
        else:
            # Never show str() of an unknown exception: it may carry data we did not choose.
            log.error("unexpected error in the GUI", exc_info=error)
            self.show_message(
                "Unexpected error", f"{type(error).__name__}; see the log for details."
            )
