"""A page for a capability that is not built yet. It says so plainly and shows nothing fake."""

from __future__ import annotations

from desktop.qt import QLabel, Qt, QVBoxLayout, QWidget


class NotBuiltPage(QWidget):
    def __init__(self, title: str, what_it_will_do: str) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        heading = QLabel(f"<h2>{title}</h2>")
        body = QLabel(
            f"<p><b>Not built yet.</b> This page will {what_it_will_do}</p>"
            "<p>Nothing here is simulated: until this part of CryptoOrchestrator exists, the page "
            "stays empty rather than showing made-up figures.</p>"
        )
        body.setWordWrap(True)
        body.setObjectName("notBuiltNotice")
        layout.addWidget(heading)
        layout.addWidget(body)
        layout.addStretch(1)
        layout.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.notice = body
