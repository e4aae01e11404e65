"""The Wallets page's forms, one small panel each, shown one at a time under the wallet list.

Panels, not modal dialogs: nothing blocks the window (a send can be followed while another wallet
is renamed), and tests drive them like a person would. Every secret field is cleared as soon as
its value has been handed to the core, whether that worked or not.
"""

from __future__ import annotations

from collections.abc import Callable

from core.errors import CoreError
from core.wallet.accounts import Wallet
from core.wallet.derivation import DEFAULT_PATH_TEMPLATE
from core.wallet.keystore import StoredSecret
from core.wallet.secret import Secret
from desktop import wallet_operations as wops
from desktop.flows.create_wallet_flow import CreateState, CreateWalletFlow
from desktop.operations import Operations
from desktop.qt import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    is_alive,
)

__all__ = [
    "CreatePanel",
    "DeletePanel",
    "ExportPanel",
    "ImportKeyPanel",
    "ImportPhrasePanel",
    "Panel",
    "RenamePanel",
    "WatchPanel",
]

Report = Callable[[str], None]


def message_of(error: BaseException) -> str:
    return error.user_message if isinstance(error, CoreError) else f"{type(error).__name__}."


def _secret_field(placeholder: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setPlaceholderText(placeholder)
    return field


class Panel(QWidget):
    """A form with a status line; ``done`` tells the page to reload the wallet list."""

    title = ""

    def __init__(self, ops: Operations, done: Report) -> None:
        super().__init__()
        self._ops = ops
        self._done = done
        self.layout_ = QVBoxLayout(self)
        self.layout_.addWidget(QLabel(f"<b>{self.title}</b>"))
        self.form = QFormLayout()
        self.layout_.addLayout(self.form)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.layout_.addWidget(self.status)
        self.wallet: Wallet | None = None

    def set_wallet(self, wallet: Wallet | None) -> None:
        self.wallet = wallet
        self.clear()

    def clear(self) -> None:
        """Forget what was typed (called whenever the panel is left)."""
        self.status.clear()

    def _failed(self, error: BaseException) -> None:
        if not is_alive(self):
            return
        self.status.setText(message_of(error))

    def _button(self, text: str, action: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(action)
        self.layout_.addWidget(button)
        return button


class CreatePanel(Panel):
    title = "Create a wallet"

    def __init__(self, ops: Operations, done: Report) -> None:
        super().__init__(ops, done)
        self.flow = CreateWalletFlow(on_change=lambda _: self.show_state())
        self.name = QLineEdit()
        self.words = QComboBox()
        self.words.addItem("12 words", 12)
        self.words.addItem("24 words", 24)
        self.form.addRow("Name", self.name)
        self.form.addRow("Length", self.words)
        self.generate_button = self._button("Make a recovery phrase", self.generate)
        self.phrase = QLabel()
        self.phrase.setWordWrap(True)
        self.phrase.setStyleSheet("font-family: monospace; font-size: 14px;")
        self.layout_.addWidget(self.phrase)
        self.written_button = self._button("I have written it down", self.flow.written_down)
        self.reentry = QLineEdit()
        self.reentry.setPlaceholderText("type all the words, in order, separated by spaces")
        self.layout_.addWidget(self.reentry)
        self.save_button = self._button("Check and save", self.save)
        self.cancel_button = self._button("Cancel", self.flow.cancel)
        self.show_state()

    def generate(self) -> None:
        if not self.name.text().strip():
            self.status.setText("Give the wallet a name first.")
            return
        self.flow.start(self.name.text())
        wops.generate_phrase(
            self._ops,
            self.flow.generated,
            lambda error: self.flow.refused(message_of(error)),
        )

    def save(self) -> None:
        typed = Secret(self.reentry.text())
        self.reentry.clear()
        shown = self.flow.saving()
        wops.create_wallet(
            self._ops,
            self.flow.name,
            shown,
            typed,
            lambda wallet: self._saved(wallet),
            lambda error: self.flow.refused(message_of(error)),
        )

    def _saved(self, wallet: Wallet) -> None:
        self.flow.saved(f"Created {wallet.name}: {wallet.address}")
        self._done(self.flow.message)

    def clear(self) -> None:
        super().clear()
        if self.flow.state is not CreateState.SAVING:
            self.flow.cancel()
            self.status.clear()

    def show_state(self) -> None:
        if not is_alive(self):
            return  # the flow finished after the page was closed
        state = self.flow.state
        if state is CreateState.SHOWING:
            words = self.flow.take_phrase_for_display()
            if words is not None:
                numbered = "   ".join(f"{i}. {w}" for i, w in enumerate(words.split(), 1))
                self.phrase.setText(numbered)
                del words, numbered
        else:
            self.phrase.clear()  # shown once: gone from the screen when the state moves on
        if state is not CreateState.CONFIRMING:
            self.reentry.clear()
        editing = state in (CreateState.IDLE, CreateState.DONE)
        self.name.setEnabled(editing)
        self.words.setEnabled(editing)
        self.generate_button.setVisible(editing)
        self.written_button.setVisible(state is CreateState.SHOWING)
        self.reentry.setVisible(state is CreateState.CONFIRMING)
        self.save_button.setVisible(state in (CreateState.CONFIRMING, CreateState.SAVING))
        self.save_button.setEnabled(state is CreateState.CONFIRMING)
        self.cancel_button.setVisible(not editing)
        texts = {
            CreateState.GENERATING: "Making a phrase…",
            CreateState.SHOWING: "Write these words down, in order, on paper. They are shown "
            "only now; anyone who has them controls the wallet.",
            CreateState.SAVING: "Checking and saving to the keychain…",
        }
        self.status.setText(texts.get(state, self.flow.message))


class ImportPhrasePanel(Panel):
    title = "Import a recovery phrase"

    def __init__(self, ops: Operations, done: Report) -> None:
        super().__init__(ops, done)
        self.name = QLineEdit()
        self.phrase = _secret_field("12 or 24 words")
        self.index = QSpinBox()
        self.index.setRange(0, 2**31 - 1)
        self.path = QLineEdit(DEFAULT_PATH_TEMPLATE)
        self.form.addRow("Name", self.name)
        self.form.addRow("Recovery phrase", self.phrase)
        self.form.addRow("Account index", self.index)
        self.form.addRow("Derivation path", self.path)
        self.import_button = self._button("Import", self.submit)

    def submit(self) -> None:
        phrase = Secret(self.phrase.text())
        self.phrase.clear()
        template = self.path.text().strip() or None
        self.import_button.setEnabled(False)
        wops.import_phrase(
            self._ops,
            self.name.text(),
            phrase,
            self.index.value(),
            template,
            self._imported,
            self._refused,
        )

    def _imported(self, wallet: Wallet) -> None:
        self.import_button.setEnabled(True)
        self.name.clear()
        self._done(f"Imported {wallet.name}: {wallet.address}")

    def _refused(self, error: BaseException) -> None:
        self.import_button.setEnabled(True)
        self._failed(error)

    def clear(self) -> None:
        super().clear()
        self.phrase.clear()


class ImportKeyPanel(Panel):
    title = "Import a private key"

    def __init__(self, ops: Operations, done: Report) -> None:
        super().__init__(ops, done)
        self.name = QLineEdit()
        self.key = _secret_field("64 hex digits, with or without 0x")
        self.form.addRow("Name", self.name)
        self.form.addRow("Private key", self.key)
        self.import_button = self._button("Import", self.submit)

    def submit(self) -> None:
        key = Secret(self.key.text())
        self.key.clear()
        wops.import_key(self._ops, self.name.text(), key, self._imported, self._failed)

    def _imported(self, wallet: Wallet) -> None:
        self.name.clear()
        self._done(f"Imported {wallet.name}: {wallet.address}")

    def clear(self) -> None:
        super().clear()
        self.key.clear()


class WatchPanel(Panel):
    title = "Watch an address"

    def __init__(self, ops: Operations, done: Report) -> None:
        super().__init__(ops, done)
        self.name = QLineEdit()
        self.address = QLineEdit()
        self.address.setPlaceholderText("0x… (checksummed or all lower case)")
        self.form.addRow("Name", self.name)
        self.form.addRow("Address", self.address)
        self.add_button = self._button("Add watch-only", self.submit)

    def submit(self) -> None:
        wops.watch_address(
            self._ops, self.name.text(), self.address.text(), self._added, self._failed
        )

    def _added(self, wallet: Wallet) -> None:
        self.name.clear()
        self.address.clear()
        self._done(f"Watching {wallet.name}: {wallet.address}")


class RenamePanel(Panel):
    title = "Rename"

    def __init__(self, ops: Operations, done: Report) -> None:
        super().__init__(ops, done)
        self.name = QLineEdit()
        self.form.addRow("New name", self.name)
        self.rename_button = self._button("Rename", self.submit)

    def set_wallet(self, wallet: Wallet | None) -> None:
        super().set_wallet(wallet)
        self.name.setText(wallet.name if wallet else "")

    def submit(self) -> None:
        if self.wallet is None:
            return
        wops.rename_wallet(
            self._ops,
            self.wallet.id,
            self.name.text(),
            lambda w: self._done(f"Renamed to {w.name}."),
            self._failed,
        )


class DeletePanel(Panel):
    """Deleting is confirmed by typing the wallet's exact name (the core checks it too)."""

    title = "Delete"

    def __init__(self, ops: Operations, done: Report) -> None:
        super().__init__(ops, done)
        self.explain = QLabel()
        self.explain.setWordWrap(True)
        self.form.addRow(self.explain)
        self.typed = QLineEdit()
        self.form.addRow("Type its name", self.typed)
        self.delete_button = self._button("Delete wallet", self.submit)
        self.typed.textChanged.connect(self._check)
        self._check()

    def set_wallet(self, wallet: Wallet | None) -> None:
        super().set_wallet(wallet)
        if wallet is not None:
            secret = (
                " Its key is removed from the keychain: without a backup of the phrase or key, "
                "the funds are lost."
                if wallet.can_sign
                else ""
            )
            self.explain.setText(f"Delete {wallet.name} ({wallet.address})?{secret}")

    def clear(self) -> None:
        super().clear()
        self.typed.clear()

    def _check(self) -> None:
        ok = self.wallet is not None and self.typed.text() == self.wallet.name
        self.delete_button.setEnabled(ok)

    def submit(self) -> None:
        if self.wallet is None:
            return
        name = self.wallet.name
        wops.delete_wallet(
            self._ops,
            self.wallet.id,
            self.typed.text(),
            lambda _: self._done(f"Deleted {name}."),
            self._failed,
        )


class ExportPanel(Panel):
    """Export re-authenticates twice over: the person types the wallet's full address (not a
    click-through) and ticks that they understand; the core then reads the secret fresh from the
    OS keychain, which asks the OS to unlock it if it is locked. The secret is shown once, in
    this panel, and cleared when the person hides it or leaves the panel."""

    title = "Export secret"

    def __init__(self, ops: Operations, done: Report) -> None:
        super().__init__(ops, done)
        self.typed = QLineEdit()
        self.typed.setPlaceholderText("the wallet's full address, 0x…")
        self.understand = QCheckBox(
            "I understand that anyone who sees this secret can take everything in the wallet."
        )
        self.form.addRow("Type its address", self.typed)
        self.form.addRow(self.understand)
        self.export_button = self._button("Show secret", self.submit)
        self.secret = QPlainTextEdit()
        self.secret.setReadOnly(True)
        self.secret.setVisible(False)
        self.layout_.addWidget(self.secret)
        self.hide_button = self._button("Hide and forget", self.clear)
        self.hide_button.setVisible(False)
        self.understand.toggled.connect(self._check)
        self._check()

    def _check(self) -> None:
        self.export_button.setEnabled(self.wallet is not None and self.understand.isChecked())

    def set_wallet(self, wallet: Wallet | None) -> None:
        super().set_wallet(wallet)
        self._check()

    def submit(self) -> None:
        if self.wallet is None or not self.understand.isChecked():
            return
        wops.export_secret(self._ops, self.wallet.id, self.typed.text(), self._show, self._failed)

    def _show(self, stored: StoredSecret) -> None:
        what = "Recovery phrase" if stored.kind == "mnemonic" else "Private key"
        path = f"\nDerivation path: {stored.path}" if stored.path else ""
        self.secret.setPlainText(f"{what}:\n{stored.secret.reveal()}{path}")
        self.secret.setVisible(True)
        self.hide_button.setVisible(True)
        self.typed.clear()
        self.understand.setChecked(False)
        self.status.setText("Shown once. Write it down, then press Hide and forget.")

    def clear(self) -> None:
        super().clear()
        self.secret.clear()
        self.secret.setVisible(False)
        self.hide_button.setVisible(False)
        self.typed.clear()
        self.understand.setChecked(False)
