"""Send the native coin or an ERC-20 from the selected wallet: fill in, review, confirm once.

The review (desktop.flows.send_flow + core.wallet.send_review) checks the amount against the
token's decimals and the balance and prices the network fee before anything is signed; the
confirmed form carries one idempotency key, so a double click never sends twice.
"""

from __future__ import annotations

from core.app import CoreApp
from core.wallet.accounts import Wallet
from core.wallet.send_review import SendReview
from core.wallet.sender import SendRequest, SendResult
from desktop import wallet_operations as wops
from desktop.flows.send_flow import SendFlow, SendState
from desktop.operations import Operations
from desktop.pages.wallet_panels import Panel, Report, message_of
from desktop.qt import QComboBox, QLabel, QLineEdit, is_alive

__all__ = ["SendPanel"]


class SendPanel(Panel):
    title = "Send"

    def __init__(self, core: CoreApp, ops: Operations, done: Report) -> None:
        super().__init__(ops, done)
        self._core = core
        self.flow = SendFlow(on_change=lambda _: self.show_state())
        self.chain = QComboBox()
        self.token = QLineEdit()
        self.token.setPlaceholderText("empty for the chain's own coin, or an ERC-20 address")
        self.to = QLineEdit()
        self.to.setPlaceholderText("recipient 0x…")
        self.amount = QLineEdit()
        self.amount.setPlaceholderText("e.g. 0.25")
        self.speed = QComboBox()
        for speed in ("slow", "normal", "fast"):
            self.speed.addItem(speed.capitalize(), speed)
        self.speed.setCurrentIndex(1)
        self.form.addRow("Chain", self.chain)
        self.form.addRow("Token", self.token)
        self.form.addRow("To", self.to)
        self.form.addRow("Amount", self.amount)
        self.form.addRow("Fee", self.speed)
        self.review_button = self._button("Review", self.review)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.layout_.addWidget(self.summary)
        self.confirm_button = self._button("Confirm and send", self.confirm)
        self.back_button = self._button("Back", self.flow.back)
        self.new_button = self._button("New send", self.flow.reset)
        self.reload_chains()
        self.show_state()

    def reload_chains(self) -> None:
        self.chain.clear()
        for chain in self._core.settings().chains:
            if chain.enabled:
                self.chain.addItem(f"{chain.name} ({chain.chain_id})", chain.chain_id)

    def set_wallet(self, wallet: Wallet | None) -> None:
        if self.flow.busy:
            return  # the send in flight keeps its wallet; the list may move on meanwhile
        super().set_wallet(wallet)
        self.flow.reset()

    def _request(self) -> SendRequest | None:
        if self.wallet is None or self.chain.currentData() is None:
            self.status.setText("Pick a wallet that can sign and an enabled chain.")
            return None
        return SendRequest(
            int(self.chain.currentData()),
            self.wallet.id,
            self.to.text().strip(),
            self.amount.text().strip(),
            self.token.text().strip() or None,
            self.speed.currentData(),
        )

    def _native_symbol(self, chain_id: int) -> str:
        for chain in self._core.settings().chains:
            if chain.chain_id == chain_id:
                return chain.native_symbol
        return "native"

    def review(self) -> None:
        request = self._request()
        if request is None:
            return
        self.flow.start_review()
        wops.review(
            self._ops,
            request,
            self._native_symbol(request.chain_id),
            self.flow.reviewed,
            lambda error: self.flow.review_failed(message_of(error)),
        )

    def confirm(self) -> None:
        review: SendReview | None = self.flow.review
        key = self.flow.confirm()
        if key is None or review is None:
            return  # a second click while the first is sending: nothing more is sent
        wops.send(
            self._ops,
            review.request,
            key,
            lambda result: self.flow.submitted(result.intent_id, result.tx_hash),
            self._finished,
            lambda error: self.flow.failed(message_of(error)),
        )

    def _finished(self, result: SendResult) -> None:
        if result.state == "confirmed":
            message = f"Confirmed: {result.tx_hash}"
        elif result.state == "failed":
            message = f"Failed: {result.error or 'the transaction did not go through'}"
        else:
            message = f"Still pending: {result.tx_hash}. Follow it in Activity."
        self.flow.finished(result.state, message)
        self._done(message)

    def show_state(self) -> None:
        if not is_alive(self):
            return  # the send finished after the page was closed
        state = self.flow.state
        editing = state is SendState.EDITING
        for field in (self.chain, self.token, self.to, self.amount, self.speed):
            field.setEnabled(editing)
        self.review_button.setVisible(editing)
        self.confirm_button.setVisible(state in (SendState.CONFIRMING, SendState.SENDING))
        self.confirm_button.setEnabled(state is SendState.CONFIRMING)
        self.back_button.setVisible(state is SendState.CONFIRMING)
        self.new_button.setVisible(state in (SendState.DONE, SendState.FAILED))
        review = self.flow.review
        self.summary.setText(review.text() if review is not None and not editing else "")
        texts = {
            SendState.REVIEWING: "Reading balance, decimals and fees…",
            SendState.SENDING: "Signing and sending…",
        }
        self.status.setText(texts.get(state, self.flow.message))
