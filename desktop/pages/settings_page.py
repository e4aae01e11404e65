"""Settings: chains and their RPC addresses, currency, tray behaviour, data folder, keychain.

The page only collects what the person typed; validation and saving happen in the core, and a
refused change leaves both the stored settings and the person's edits in place.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from core.app import CoreApp
from core.errors import ConfigError, CoreError
from core.keychain import KeychainStatus
from core.paths import chosen_data_dir
from core.settings import FIATS, ChainSettings, Settings
from desktop import operations
from desktop.operations import Operations
from desktop.qt import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from desktop.sync_box import SyncBox

_COLUMNS = ("On", "Chain id", "Name", "Coin", "RPC addresses (comma-separated)")


class SettingsPage(QWidget):
    def __init__(self, core: CoreApp, ops: Operations) -> None:
        super().__init__()
        self._core = core
        self._ops = ops
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>Settings</h2>"))
        layout.addWidget(self._chains_box())
        layout.addWidget(self._general_box())
        layout.addWidget(self._data_box())
        layout.addWidget(self._keychain_box())
        self.sync_box = SyncBox(core, ops)
        layout.addWidget(self.sync_box)
        buttons = QHBoxLayout()
        self.status = QLabel()
        buttons.addWidget(self.status, 1)
        self.revert_button = QPushButton("Revert")
        self.revert_button.clicked.connect(self.load)
        self.save_button = QPushButton("Save")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)
        self.load()

    # -- building -------------------------------------------------------------------------------
    def _chains_box(self) -> QGroupBox:
        box = QGroupBox("Chains")
        layout = QVBoxLayout(box)
        self.chains = QTableWidget(0, len(_COLUMNS))
        self.chains.setHorizontalHeaderLabels(_COLUMNS)
        self.chains.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.chains.verticalHeader().setVisible(False)
        layout.addWidget(self.chains)
        add = QHBoxLayout()
        self.new_id = QLineEdit()
        self.new_id.setPlaceholderText("chain id")
        self.new_name = QLineEdit()
        self.new_name.setPlaceholderText("name")
        self.new_symbol = QLineEdit("ETH")
        self.new_symbol.setMaximumWidth(70)
        self.new_rpc = QLineEdit()
        self.new_rpc.setPlaceholderText("https://rpc.example/...")
        self.add_button = QPushButton("Add chain")
        self.add_button.clicked.connect(self.add_chain)
        self.remove_button = QPushButton("Remove selected")
        self.remove_button.clicked.connect(self.remove_selected)
        self.check_button = QPushButton("Check now")
        self.check_button.clicked.connect(lambda: operations.check_chains(self._ops))
        for widget in (self.new_id, self.new_name, self.new_symbol):
            add.addWidget(widget)
        add.addWidget(self.new_rpc, 1)
        for button in (self.add_button, self.remove_button, self.check_button):
            add.addWidget(button)
        layout.addLayout(add)
        return box

    def _general_box(self) -> QGroupBox:
        box = QGroupBox("General")
        form = QFormLayout(box)
        self.fiat = QComboBox()
        self.fiat.addItems(FIATS)
        self.close_to_tray = QCheckBox("Keep running in the tray when the window is closed")
        self.rpc_timeout = QDoubleSpinBox()
        self.rpc_timeout.setRange(0.5, 120)
        self.rpc_timeout.setSuffix(" s")
        self.poll = QSpinBox()
        self.poll.setRange(5, 3600)
        self.poll.setSuffix(" s")
        form.addRow("Currency", self.fiat)
        form.addRow("", self.close_to_tray)
        form.addRow("RPC timeout", self.rpc_timeout)
        form.addRow("Check chains every", self.poll)
        return box

    def _data_box(self) -> QGroupBox:
        box = QGroupBox("Data folder")
        layout = QHBoxLayout(box)
        self.data_dir_label = QLabel()
        self.data_dir_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.data_dir_label, 1)
        change = QPushButton("Change…")
        change.clicked.connect(self.pick_data_dir)
        default = QPushButton("Use default")
        default.clicked.connect(lambda: self.set_data_dir(None))
        layout.addWidget(change)
        layout.addWidget(default)
        return box

    def _keychain_box(self) -> QGroupBox:
        box = QGroupBox("Keychain")
        layout = QHBoxLayout(box)
        self.keychain_label = QLabel("Checking…")
        self.keychain_label.setWordWrap(True)
        layout.addWidget(self.keychain_label, 1)
        recheck = QPushButton("Check again")
        recheck.clicked.connect(self.check_keychain)
        layout.addWidget(recheck)
        return box

    # -- showing --------------------------------------------------------------------------------
    def load(self) -> None:
        settings = self._core.settings()
        self.chains.setRowCount(0)
        for chain in settings.chains:
            self._append_row(chain)
        self.chains.resizeColumnsToContents()
        self.fiat.setCurrentText(settings.fiat)
        self.close_to_tray.setChecked(settings.close_to_tray)
        self.rpc_timeout.setValue(settings.rpc_timeout_s)
        self.poll.setValue(int(settings.status_poll_s))
        self._show_data_dir()
        self.status.setText("")

    def _append_row(self, chain: ChainSettings) -> None:
        row = self.chains.rowCount()
        self.chains.insertRow(row)
        enabled = QTableWidgetItem()
        enabled.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
        enabled.setCheckState(Qt.CheckState.Checked if chain.enabled else Qt.CheckState.Unchecked)
        enabled.setData(Qt.ItemDataRole.UserRole, chain.custom)
        chain_id = QTableWidgetItem(str(chain.chain_id))
        chain_id.setFlags(chain_id.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.chains.setItem(row, 0, enabled)
        self.chains.setItem(row, 1, chain_id)
        self.chains.setItem(row, 2, QTableWidgetItem(chain.name))
        self.chains.setItem(row, 3, QTableWidgetItem(chain.native_symbol))
        self.chains.setItem(row, 4, QTableWidgetItem(", ".join(chain.rpc_urls)))

    def _show_data_dir(self) -> None:
        chosen = chosen_data_dir()
        text = f"In use: {self._core.data_dir}"
        if chosen is not None and chosen != self._core.data_dir:
            text += f"\nFrom the next start: {chosen}"
        self.data_dir_label.setText(text)

    def show_keychain(self, status: KeychainStatus) -> None:
        state = "usable" if status.usable else "not usable"
        self.keychain_label.setText(f"{status.backend}: {state}. {status.message}")

    def on_shown(self) -> None:
        self.check_keychain()

    def check_keychain(self) -> None:
        self.keychain_label.setText("Checking…")
        operations.check_keychain(self._ops, self.show_keychain)

    # -- editing --------------------------------------------------------------------------------
    def add_chain(self) -> None:
        try:
            chain_id = int(self.new_id.text().strip())
        except ValueError:
            self.status.setText("Chain id must be a whole number.")
            return
        existing = {self._row_chain_id(r) for r in range(self.chains.rowCount())}
        if chain_id in existing:
            self.status.setText(f"Chain {chain_id} is already listed; edit its row instead.")
            return
        rpcs = tuple(u.strip() for u in self.new_rpc.text().split(",") if u.strip())
        self._append_row(
            ChainSettings(
                chain_id,
                self.new_name.text().strip(),
                rpcs,
                self.new_symbol.text().strip() or "ETH",
                True,
                True,
            )
        )
        for widget in (self.new_id, self.new_name, self.new_rpc):
            widget.clear()
        self.status.setText("Chain added; press Save to keep it.")

    def remove_selected(self) -> None:
        rows = sorted({index.row() for index in self.chains.selectedIndexes()}, reverse=True)
        for row in rows:
            self.chains.removeRow(row)
        if rows:
            self.status.setText("Removed; press Save to keep the change.")

    def _row_chain_id(self, row: int) -> int:
        item = self.chains.item(row, 1)
        return int(item.text()) if item is not None else -1

    def collect(self) -> Settings:
        """The settings as typed in the form (not yet validated by the core)."""
        chains = []
        for row in range(self.chains.rowCount()):

            def text(col: int, r: int = row) -> str:
                item = self.chains.item(r, col)
                return item.text().strip() if item is not None else ""

            enabled_item = self.chains.item(row, 0)
            chains.append(
                ChainSettings(
                    chain_id=self._row_chain_id(row),
                    name=text(2),
                    rpc_urls=tuple(u.strip() for u in text(4).split(",") if u.strip()),
                    native_symbol=text(3),
                    enabled=enabled_item is not None
                    and enabled_item.checkState() == Qt.CheckState.Checked,
                    custom=bool(
                        enabled_item is not None and enabled_item.data(Qt.ItemDataRole.UserRole)
                    ),
                )
            )
        return replace(
            self._core.settings(),
            chains=tuple(chains),
            fiat=self.fiat.currentText(),
            close_to_tray=self.close_to_tray.isChecked(),
            rpc_timeout_s=float(self.rpc_timeout.value()),
            status_poll_s=float(self.poll.value()),
        )

    def save(self) -> None:
        self.save_button.setEnabled(False)
        self.status.setText("Saving…")
        operations.save_settings(self._ops, self.collect(), self._saved, self._failed)

    def _saved(self, _: None) -> None:
        self.save_button.setEnabled(True)
        self.load()
        self.status.setText("Saved.")

    def _failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        message = str(error) if isinstance(error, ConfigError) else "Not saved."
        self.status.setText(f"Not saved: {message}" if isinstance(error, ConfigError) else message)

    def pick_data_dir(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Choose a data folder")
        if path:
            self.set_data_dir(Path(path))

    def set_data_dir(self, path: Path | None) -> None:
        try:
            operations.choose_data_dir(self._ops, path)
        except CoreError as error:
            self.status.setText(f"Not changed: {error}")
            return
        self._show_data_dir()
        self.status.setText("The new data folder is used from the next start.")
