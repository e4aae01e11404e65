"""Wallets: the list (name, kind, EIP-55 address) and one form at a time under it.

Keys and phrases go straight to the OS keychain through the core; this page never stores or logs
them, and clears every field that held one as soon as it was handed over.
"""

from __future__ import annotations

from core.app import CoreApp
from core.money import format_units
from core.wallet.accounts import Wallet
from desktop import operations, wallet_operations
from desktop.operations import Operations
from desktop.pages.send_panel import SendPanel
from desktop.pages.wallet_panels import (
    CreatePanel,
    DeletePanel,
    ExportPanel,
    ImportKeyPanel,
    ImportPhrasePanel,
    Panel,
    RenamePanel,
    WatchPanel,
)
from desktop.qt import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    is_alive,
)

__all__ = ["WalletsPage"]

KINDS = {"mnemonic": "recovery phrase", "private_key": "private key", "watch": "watch-only"}
COLUMNS = ("Name", "Kind", "Address", "Balance")
#: panels that act on the selected wallet, and whether that wallet must be able to sign
_NEEDS_WALLET = {"rename": False, "delete": False, "export": True, "send": True}


class WalletsPage(QWidget):
    def __init__(self, core: CoreApp, ops: Operations) -> None:
        super().__init__()
        self._core = core
        self._ops = ops
        self.wallets: list[Wallet] = []
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>Wallets</h2>"))
        self.empty = QLabel("No wallets yet: create one, import one, or watch an address.")
        layout.addWidget(self.empty)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        layout.addWidget(self.table, 1)

        self.send_panel = SendPanel(core, ops, self._done)
        self.panels: dict[str, Panel] = {
            "create": CreatePanel(ops, self._done),
            "import_phrase": ImportPhrasePanel(ops, self._done),
            "import_key": ImportKeyPanel(ops, self._done),
            "watch": WatchPanel(ops, self._done),
            "rename": RenamePanel(ops, self._done),
            "delete": DeletePanel(ops, self._done),
            "export": ExportPanel(ops, self._done),
            "send": self.send_panel,
        }
        labels = {
            "create": "Create…",
            "import_phrase": "Import phrase…",
            "import_key": "Import key…",
            "watch": "Watch address…",
            "rename": "Rename…",
            "delete": "Delete…",
            "export": "Export…",
            "send": "Send…",
        }
        buttons = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        self.stack = QStackedWidget()
        self.stack.addWidget(QWidget())  # nothing open
        for name, panel in self.panels.items():
            button = QPushButton(labels[name])
            button.clicked.connect(lambda _=False, n=name: self.open_panel(n))
            buttons.addWidget(button)
            self.buttons[name] = button
            self.stack.addWidget(panel)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addWidget(self.stack)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.open: str | None = None
        self._selection_changed()

    # -- data ---------------------------------------------------------------------------------
    def on_shown(self) -> None:
        self.reload()

    def reload(self) -> None:
        self.send_panel.reload_chains()
        operations.load_wallets(self._ops, self.show_wallets)

    def show_wallets(self, wallets: list[Wallet]) -> None:
        keep = self.selected()
        self.wallets = wallets
        self.empty.setVisible(not wallets)
        self.table.blockSignals(True)
        self.table.setRowCount(len(wallets))
        for row, wallet in enumerate(wallets):
            for col, text in enumerate((wallet.name, KINDS[wallet.kind], wallet.address)):
                self.table.setItem(row, col, QTableWidgetItem(text))
        # Re-select quietly: a reload must not look like the person picking another wallet
        # (that would reset the open form, e.g. a finished send's result).
        self.table.clearSelection()
        if keep is not None:
            self.select(keep.id)
        self.table.blockSignals(False)
        self._selection_changed()
        chains = [c for c in self._core.settings().chains if c.enabled]
        if wallets and chains:
            wallet_operations.load_balances(
                self._ops,
                [c.chain_id for c in chains],
                [w.address for w in wallets],
                self.show_balances,
            )

    def show_balances(self, balances: dict[tuple[str, int], int | None]) -> None:
        """Native balance per enabled chain; a chain that did not answer says so."""
        chains = [c for c in self._core.settings().chains if c.enabled]
        for row, wallet in enumerate(self.wallets):
            parts = []
            for chain in chains:
                if (wallet.address, chain.chain_id) not in balances:
                    continue  # a list that changed while the balances were read
                value = balances[(wallet.address, chain.chain_id)]
                amount = "unreachable" if value is None else format_units(value, 18, max_fraction=6)
                unit = "" if value is None else f" {chain.native_symbol}"
                parts.append(f"{amount}{unit} on {chain.name}")
            if parts:
                self.table.setItem(row, 3, QTableWidgetItem("; ".join(parts)))

    def select(self, wallet_id: int) -> None:
        for row, wallet in enumerate(self.wallets):
            if wallet.id == wallet_id:
                self.table.selectRow(row)

    def selected(self) -> Wallet | None:
        rows = {i.row() for i in self.table.selectedIndexes()}
        if len(rows) != 1:
            return None
        row = rows.pop()
        return self.wallets[row] if row < len(self.wallets) else None

    # -- panels -------------------------------------------------------------------------------
    def open_panel(self, name: str) -> None:
        if self.open is not None and self.open != name:
            self.panels[self.open].clear()  # leaving a form forgets what was typed in it
        self.open = name
        panel = self.panels[name]
        if name in _NEEDS_WALLET:
            panel.set_wallet(self.selected())
        self.stack.setCurrentWidget(panel)

    def _selection_changed(self) -> None:
        wallet = self.selected()
        for name, needs_signer in _NEEDS_WALLET.items():
            usable = wallet is not None and (wallet.can_sign or not needs_signer)
            self.buttons[name].setEnabled(usable)
            if self.panels[name].wallet != wallet:
                self.panels[name].set_wallet(wallet if usable else None)
        if self.open in _NEEDS_WALLET and not self.buttons[self.open].isEnabled():
            self.stack.setCurrentIndex(0)
            self.open = None

    def _done(self, message: str) -> None:
        if not is_alive(self):
            return
        self.status.setText(message)
        self.reload()
