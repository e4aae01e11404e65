"""The Activity page's transactions: pending, confirmed and failed sends, with Speed up / Cancel.

One QTableView over TransactionsModel. The two buttons act on the selected row (no button per
row: 100k rows would mean 200k widgets). Core events (TxStatusChanged, through the bridge)
refresh the one row they concern.
"""

from __future__ import annotations

from core.app import CoreApp
from core.errors import CoreError
from core.wallet.sender import SendResult, TxStatusChanged
from core.wallet.tx_history import TxView
from desktop import wallet_operations
from desktop.operations import Operations
from desktop.pages.transactions_model import COLUMNS, TransactionsModel
from desktop.qt import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
    is_alive,
)

__all__ = ["TransactionsView"]

_WIDTHS = (150, 90, 130, 60, 150, 180, 180)
ROW_HEIGHT = 22


class TransactionsView(QWidget):
    def __init__(self, core: CoreApp, ops: Operations) -> None:
        super().__init__()
        self._core = core
        self._ops = ops
        self.model = TransactionsModel(ops, self._chain_symbols, parent=self)
        layout = QVBoxLayout(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Fixed row heights and column widths: the view never measures 100k rows' contents.
        rows = self.table.verticalHeader()
        rows.setVisible(False)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(ROW_HEIGHT)
        header = self.table.horizontalHeader()
        for column, width in enumerate(_WIDTHS):
            header.resizeSection(column, width)
        header.setStretchLastSection(True)
        layout.addWidget(self.table, 1)

        bottom = QHBoxLayout()
        self.count = QLabel()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.speed_up_button = QPushButton("Speed up")
        self.cancel_button = QPushButton("Cancel transaction")
        self.speed_up_button.clicked.connect(lambda: self._replace("speed_up"))
        self.cancel_button.clicked.connect(lambda: self._replace("cancel"))
        bottom.addWidget(self.count)
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.speed_up_button)
        bottom.addWidget(self.cancel_button)
        layout.addLayout(bottom)

        self.model.page_loaded.connect(self._counted)
        self.model.dataChanged.connect(lambda *_: self._selection_changed())
        self.model.rowsInserted.connect(lambda *_: self._counted(len(self.model.rows), -1))
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        self._replacing = False
        self._selection_changed()

    def _chain_symbols(self, chain_id: int) -> tuple[str, str]:
        for chain in self._core.settings().chains:
            if chain.chain_id == chain_id:
                return chain.name, chain.native_symbol
        return f"chain {chain_id}", "native"

    def reload(self) -> None:
        self.model.reload()

    def on_tx_status(self, event: TxStatusChanged) -> None:
        self.model.refresh_intent(event.intent_id)

    def selected(self) -> TxView | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.model.rows):
            return None
        return self.model.rows[rows[0].row()]

    def select_intent(self, intent_id: int) -> bool:
        row = self.model.row_of(intent_id)
        if row is None:
            return False
        self.table.selectRow(row)
        return True

    def _counted(self, loaded: int, total: int) -> None:
        known = self.model.total
        self.count.setText(
            f"{loaded} of {known} transactions" if known > loaded else f"{loaded} transactions"
        )

    def _selection_changed(self) -> None:
        if not is_alive(self.table):
            return  # a late event after the page was closed
        view = self.selected()
        can = view is not None and view.replaceable and not self._replacing
        self.speed_up_button.setEnabled(can)
        self.cancel_button.setEnabled(can)

    def _replace(self, mode: str) -> None:
        view = self.selected()
        if view is None or not view.replaceable or self._replacing:
            return
        self._replacing = True
        self._selection_changed()
        what = "Speeding up" if mode == "speed_up" else "Cancelling"
        self.status.setText(f"{what} nonce {view.nonce}…")

        def done(result: SendResult) -> None:
            self._replacing = False
            self.status.setText(f"Replacement sent: {result.tx_hash}")
            self.model.refresh_intent(result.intent_id)

        def failed(error: BaseException) -> None:
            self._replacing = False
            self.status.setText(
                error.user_message if isinstance(error, CoreError) else f"{what} failed."
            )
            self._selection_changed()

        wallet_operations.replace_tx(self._ops, view.intent_id, mode, done, failed)


assert len(_WIDTHS) == len(COLUMNS) - 1
