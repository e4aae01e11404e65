"""The transactions table model: intent-journal rows, loaded page by page as the view scrolls.

A QAbstractTableModel (no item objects, no per-row widgets): the view asks only for the cells it
paints, and ``fetchMore`` pulls the next keyset page from the database in the background. Rows are
kept newest first, so a row is found by bisection on its intent id (live updates stay O(log n)
even with 100k rows loaded).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from typing import Any

from core.money import format_units
from core.wallet.tx_history import TxView
from desktop import wallet_operations
from desktop.operations import Operations
from desktop.qt import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
    is_alive,
)

__all__ = ["COLUMNS", "TransactionsModel"]

COLUMNS = ("When", "Chain", "State", "Nonce", "Amount", "To", "Hash", "What")
PAGE_SIZE = 500
Index = QModelIndex | QPersistentModelIndex


def _short(text: str | None, keep: int = 10) -> str:
    if not text:
        return ""
    return text if len(text) <= 2 * keep else f"{text[:keep]}…{text[-6:]}"


class TransactionsModel(QAbstractTableModel):
    #: emitted after each page arrives (loaded rows, total rows or -1 when unknown)
    page_loaded = Signal(int, int)

    def __init__(
        self,
        ops: Operations,
        symbols: Callable[[int], tuple[str, str]],
        page_size: int = PAGE_SIZE,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._ops = ops
        self._symbols = symbols  # chain id -> (chain name, native symbol)
        self.page_size = page_size
        self.rows: list[TxView] = []
        self.total = -1
        self._loading = False
        self._exhausted = False
        self._generation = 0  # a page that arrives after a reload belongs to no one

    # -- loading ------------------------------------------------------------------------------
    def reload(self) -> None:
        self.beginResetModel()
        self.rows, self.total, self._exhausted, self._loading = [], -1, False, False
        self._generation += 1
        self.endResetModel()
        self._fetch()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008 - Qt's default
        return not parent.isValid() and not self._exhausted and not self._loading

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008 - Qt's default
        if self.canFetchMore(parent):
            self._fetch()

    @property
    def loading(self) -> bool:
        return self._loading

    @property
    def exhausted(self) -> bool:
        return self._exhausted

    def _fetch(self) -> None:
        self._loading = True
        generation = self._generation
        before = self.rows[-1].intent_id if self.rows else None

        def arrived(result: tuple[int, list[TxView]]) -> None:
            # A page for a table that was closed meanwhile, or reloaded, goes nowhere.
            if is_alive(self) and generation == self._generation:
                self._append(*result)

        def failed(_: BaseException) -> None:
            if is_alive(self) and generation == self._generation:
                self._loading = False  # the banner says why; scrolling again retries

        wallet_operations.load_tx_page(self._ops, before, self.page_size, arrived, failed)

    def _append(self, total: int, views: list[TxView]) -> None:
        self._loading = False
        if total >= 0:
            self.total = total
        if len(views) < self.page_size:
            self._exhausted = True
        if views:
            first = len(self.rows)
            self.beginInsertRows(QModelIndex(), first, first + len(views) - 1)
            self.rows.extend(views)
            self.endInsertRows()
        self.page_loaded.emit(len(self.rows), self.total)

    # -- live updates -----------------------------------------------------------------------------
    def row_of(self, intent_id: int) -> int | None:
        position = bisect_left(self.rows, -intent_id, key=lambda v: -v.intent_id)
        if position < len(self.rows) and self.rows[position].intent_id == intent_id:
            return position
        return None

    def apply(self, view: TxView | None) -> None:
        """Show the new state of one intent; an intent newer than every row goes on top."""
        if view is None:
            return
        row = self.row_of(view.intent_id)
        if row is not None:
            self.rows[row] = view
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
            return
        if not self.rows or view.intent_id > self.rows[0].intent_id:
            self.beginInsertRows(QModelIndex(), 0, 0)
            self.rows.insert(0, view)
            self.endInsertRows()
            if self.total >= 0:
                self.total += 1

    def refresh_intent(self, intent_id: int) -> None:
        wallet_operations.load_tx_view(self._ops, intent_id, self.apply)

    # -- Qt model ---------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's default
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        view = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell(view, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return view.error or view.tx_hash or ""
        if role == Qt.ItemDataRole.UserRole:
            return view.intent_id
        return None

    def cell(self, view: TxView, column: int) -> str:
        if column == 0:
            return view.created_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        if column == 1:
            return self._symbols(view.chain_id)[0]
        if column == 2:
            extra = f" ({view.replacements} repl.)" if view.replacements else ""
            return view.state + extra
        if column == 3:
            return "" if view.nonce is None else str(view.nonce)
        if column == 4:
            unit = _short(view.token, 6) if view.token else self._symbols(view.chain_id)[1]
            return f"{format_units(view.amount, view.decimals, max_fraction=8)} {unit}"
        if column == 5:
            return _short(view.to)
        if column == 6:
            return _short(view.tx_hash)
        return view.label or view.kind.replace("_", " ")
