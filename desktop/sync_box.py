"""Settings > Sync: set up or join end-to-end encrypted sync, see its status and conflicts.

The passphrase and token fields are password fields, cleared as soon as an action takes them;
they reach the core wrapped in ``Secret`` and are never shown again (except a newly created
account token, shown once so the person can copy it to their other devices).
"""

from __future__ import annotations

from typing import Any

from core.app import CoreApp
from core.sync.engine import SyncReport, describe
from core.sync.service import SyncStatus
from core.sync.store import ConflictView
from core.wallet.secret import Secret
from desktop import sync_operations
from desktop.operations import Operations
from desktop.qt import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

__all__ = ["SyncBox"]

_CONFLICT_COLUMNS = ("Record", "Field", "Kept", "Lost (from device)")


class SyncBox(QGroupBox):
    def __init__(self, core: CoreApp, ops: Operations) -> None:
        super().__init__("Sync (optional, end-to-end encrypted)")
        self._core = core
        self._ops = ops
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "Shares wallets' addresses and labels, tokens, alert rules, settings, "
                "transactions and snapshots with your other devices through a server you choose. "
                "Keys, recovery phrases, API secrets and the passphrase never leave this device; "
                "the server only stores sealed data."
            )
        )
        self.state = QLabel("Sync: checking…")
        self.state.setWordWrap(True)
        layout.addWidget(self.state)

        self.setup = QWidget()
        form = QFormLayout(self.setup)
        self.server = QLineEdit()
        self.server.setPlaceholderText("https://sync.example.org")
        self.token = QLineEdit()
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setPlaceholderText("account token (leave empty to create an account)")
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText("at least 8 characters; the same on every device")
        self.new_account = QCheckBox("This is my first device")
        self.new_account.setChecked(True)
        form.addRow("Server", self.server)
        form.addRow("Account token", self.token)
        form.addRow("Sync passphrase", self.passphrase)
        form.addRow("", self.new_account)
        layout.addWidget(self.setup)

        buttons = QHBoxLayout()
        self.connect_button = QPushButton("Turn on sync")
        self.connect_button.clicked.connect(self.turn_on)
        self.now_button = QPushButton("Sync now")
        self.now_button.clicked.connect(self.sync_now)
        self.off_button = QPushButton("Turn off on this device")
        self.off_button.clicked.connect(self.turn_off)
        self.seen_button = QPushButton("Mark conflicts seen")
        self.seen_button.clicked.connect(self.mark_seen)
        for button in (self.connect_button, self.now_button, self.off_button, self.seen_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

        self.created_token = QLineEdit()
        self.created_token.setReadOnly(True)
        self.created_token.hide()
        layout.addWidget(self.created_token)

        self.conflicts = QTableWidget(0, len(_CONFLICT_COLUMNS))
        self.conflicts.setHorizontalHeaderLabels(_CONFLICT_COLUMNS)
        self.conflicts.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.conflicts.verticalHeader().setVisible(False)
        self.conflicts.setMaximumHeight(160)
        layout.addWidget(self.conflicts)
        self._conflict_ids: list[int] = []
        self.refresh()

    # -- showing ---------------------------------------------------------------------------------
    def refresh(self) -> None:
        sync_operations.load(self._ops, self.display)

    def display(self, loaded: dict[str, Any]) -> None:
        status: SyncStatus = loaded["status"]
        conflicts: list[ConflictView] = loaded["conflicts"]
        self.state.setText("\n".join(status.lines()))
        self.setup.setVisible(not status.enabled)
        self.connect_button.setVisible(not status.enabled)
        self.now_button.setVisible(status.enabled)
        self.off_button.setVisible(status.enabled)
        self.seen_button.setEnabled(bool(conflicts))
        self.conflicts.setRowCount(0)
        self._conflict_ids = [c.id for c in conflicts]
        for c in conflicts:
            row = self.conflicts.rowCount()
            self.conflicts.insertRow(row)
            cells = (
                f"{c.kind} {c.record_id}",
                c.field,
                describe(c.kept),
                f"{describe(c.lost)} ({c.lost_device})",
            )
            for column, text in enumerate(cells):
                self.conflicts.setItem(row, column, QTableWidgetItem(text))
        self.conflicts.setVisible(bool(conflicts))

    def _failed(self, error: BaseException) -> None:
        self.connect_button.setEnabled(True)
        self.now_button.setEnabled(True)
        message = getattr(error, "user_message", None) or type(error).__name__
        self.state.setText(f"Sync: {message}")

    # -- actions -----------------------------------------------------------------------------------
    def turn_on(self) -> None:
        server = self.server.text().strip()
        if not server:
            self.state.setText("Enter the sync server's address.")
            return
        passphrase = Secret(self.passphrase.text())
        token_text = self.token.text().strip()
        token = Secret(token_text) if token_text else None
        self.passphrase.clear()
        self.token.clear()
        self.connect_button.setEnabled(False)
        self.state.setText("Deriving the key and syncing…")
        if self.new_account.isChecked():
            sync_operations.set_up(
                self._ops, server, token, passphrase, self._set_up_done, self._failed
            )
        elif token is None:
            self._failed(ValueError("Enter the account token from your first device."))
        else:
            sync_operations.join(self._ops, server, token, passphrase, self._joined, self._failed)

    def _set_up_done(self, result: tuple[SyncReport, Secret | None]) -> None:
        _report, created = result
        self.connect_button.setEnabled(True)
        if created is not None:
            # Shown once: the other devices need it to join.
            self.created_token.setText(created.reveal())
            self.created_token.show()
        self.refresh()

    def _joined(self, _report: SyncReport) -> None:
        self.connect_button.setEnabled(True)
        self.refresh()

    def sync_now(self) -> None:
        self.now_button.setEnabled(False)
        sync_operations.sync_now(self._ops, self._synced, self._failed)

    def _synced(self, _report: SyncReport) -> None:
        self.now_button.setEnabled(True)
        self.refresh()

    def turn_off(self) -> None:
        self.created_token.clear()
        self.created_token.hide()
        sync_operations.turn_off(self._ops, self._changed)

    def mark_seen(self) -> None:
        sync_operations.resolve(self._ops, list(self._conflict_ids), self._changed)

    def _changed(self, _result: object) -> None:
        self.refresh()
