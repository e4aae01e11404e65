"""Activity: what happened, newest first, read from the local database (works offline)."""

from __future__ import annotations

from core.app import CoreApp
from core.storage.repositories import ActivityEntry
from desktop import operations
from desktop.operations import Operations
from desktop.pages.transactions_view import TransactionsView
from desktop.qt import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

_COLUMNS = ("When", "Level", "What", "Detail")


class ActivityPage(QWidget):
    def __init__(self, core: CoreApp, ops: Operations) -> None:
        super().__init__()
        self._ops = ops
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("<h2>Activity</h2>"))
        top.addStretch(1)
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.clicked.connect(self.refresh)
        top.addWidget(self.refresh_button)
        layout.addLayout(top)
        self.empty = QLabel("Nothing has happened yet.")
        layout.addWidget(self.empty)
        self.table = QTableWidget(0, len(_COLUMNS))
        self.table.setHorizontalHeaderLabels(_COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        layout.addWidget(self.table, 1)
        # Sends, approvals and swaps from the intent journal, paged for any length of history.
        layout.addWidget(QLabel("<h3>Transactions</h3>"))
        self.transactions = TransactionsView(core, ops)
        layout.addWidget(self.transactions, 2)

    def on_shown(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        operations.load_activity(self._ops, self.show_entries)
        self.transactions.reload()

    def show_entries(self, entries: list[ActivityEntry]) -> None:
        self.empty.setVisible(not entries)
        self.table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            when = entry.created_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
            for col, text in enumerate((when, entry.level, entry.title, entry.detail)):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
