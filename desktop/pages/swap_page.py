"""Swap: every provider's quote side by side, ranked by what you receive after gas; checked
before signing; the next route is used if the chosen one fails its checks."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from core.app import CoreApp
from core.dex.swap import SwapOutcome
from core.dex.types import Quote, QuoteFailure, RankedQuote
from core.errors import CoreError
from core.money import format_units
from core.wallet.accounts import Wallet
from desktop import operations, swap_operations
from desktop.flows.swap_flow import SwapFlow, SwapState
from desktop.operations import Operations
from desktop.qt import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
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

COLUMNS = (
    "Provider",
    "You receive",
    "Minimum",
    "Gas (USD)",
    "Net (USD)",
    "Behind best",
    "Impact",
    "Route",
)


def _usd(value: Decimal | None) -> str:
    return "unknown" if value is None else f"{value:,.2f}"


class SwapPage(QWidget):
    def __init__(self, core: CoreApp, ops: Operations) -> None:
        super().__init__()
        self._core = core
        self._ops = ops
        self.flow = SwapFlow(on_change=lambda _: self.refresh_view())
        self._wallets: list[Wallet] = []
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<h2>Swap</h2>"))
        form_box = QGroupBox("Trade")
        form = QFormLayout(form_box)
        self.chain = QComboBox()
        self.wallet = QComboBox()
        self.sell = QLineEdit("native")
        self.buy = QLineEdit()
        self.buy.setPlaceholderText("token address, or 'native'")
        self.amount = QLineEdit()
        self.amount.setPlaceholderText("e.g. 0.5")
        self.slippage = QLineEdit("0.5")
        form.addRow("Chain", self.chain)
        form.addRow("From wallet", self.wallet)
        form.addRow("Sell", self.sell)
        form.addRow("Buy", self.buy)
        form.addRow("Amount", self.amount)
        form.addRow("Max slippage (%)", self.slippage)
        self.quote_button = QPushButton("Get quotes")
        self.quote_button.clicked.connect(self.get_quotes)
        form.addRow("", self.quote_button)
        layout.addWidget(form_box)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(7, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.itemSelectionChanged.connect(self._picked)
        layout.addWidget(self.table, 1)

        self.confirm_box = QGroupBox("Confirm")
        confirm = QVBoxLayout(self.confirm_box)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.unlimited = QCheckBox("Approve unlimited spending (not recommended)")
        buttons = QHBoxLayout()
        self.confirm_button = QPushButton("Check and swap")
        self.confirm_button.clicked.connect(self.confirm)
        self.back_button = QPushButton("Back")
        self.back_button.clicked.connect(self.flow.cancel_confirmation)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.confirm_button)
        confirm.addWidget(self.summary)
        confirm.addWidget(self.unlimited)
        confirm.addLayout(buttons)
        layout.addWidget(self.confirm_box)

        bottom = QHBoxLayout()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.swap_button = QPushButton("Swap…")
        self.swap_button.clicked.connect(self.flow.ask_confirmation)
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.swap_button)
        layout.addLayout(bottom)
        self.reload()
        self.refresh_view()

    # -- inputs ------------------------------------------------------------
    def on_shown(self) -> None:
        # Wallets or chains may have changed elsewhere; never disturb a swap being decided or run.
        if self.flow.state in (SwapState.IDLE, SwapState.DONE, SwapState.FAILED):
            self.reload()

    def reload(self) -> None:
        """Chains from settings; signing wallets from the core (asynchronously)."""
        self.chain.clear()
        for chain in self._core.settings().chains:
            if chain.enabled:
                self.chain.addItem(f"{chain.name} ({chain.chain_id})", chain.chain_id)
        operations.load_wallets(self._ops, self._show_wallets)

    def _show_wallets(self, wallets: list[Wallet]) -> None:
        self._wallets = [w for w in wallets if w.can_sign]
        self.wallet.clear()
        for wallet in self._wallets:
            self.wallet.addItem(f"{wallet.name} ({wallet.address[:10]}…)", wallet.id)

    def _form(self) -> tuple[int, str, str, str, str, Decimal] | None:
        if self.chain.currentData() is None or self.wallet.currentData() is None:
            self.status.setText("Add a chain and a wallet that can sign first.")
            return None
        try:
            slippage = Decimal(self.slippage.text().strip())
        except InvalidOperation:
            self.status.setText("Slippage must be a number of percent, like 0.5.")
            return None
        taker = next(w.address for w in self._wallets if w.id == self.wallet.currentData())
        return (
            int(self.chain.currentData()),
            self.sell.text().strip(),
            self.buy.text().strip(),
            self.amount.text().strip(),
            taker,
            slippage,
        )

    # -- actions ------------------------------------------------------------
    def get_quotes(self) -> None:
        form = self._form()
        if form is None:
            return
        self.flow.start_quoting()
        swap_operations.stream_quotes(
            self._ops,
            form,
            self.flow.add_result,
            self.flow.set_ranking,
            lambda _: self.flow.quoting_finished(),
            self._quote_failed,
        )

    def _quote_failed(self, error: BaseException) -> None:
        self.flow.failed(error.user_message if isinstance(error, CoreError) else "Quoting failed.")

    def _picked(self) -> None:
        rows = {i.row() for i in self.table.selectedIndexes()}
        if rows and self.flow.state is SwapState.READY:
            row = rows.pop()
            if row < len(self.flow.ranked):
                self.flow.pick(self.flow.ranked[row].quote.provider)

    def confirm(self) -> None:
        key = self.flow.idempotency_key
        assert key is not None
        self.flow.executing()
        swap_operations.execute_swap(
            self._ops,
            self.flow.candidates(),
            int(self.wallet.currentData()),
            key,
            self.unlimited.isChecked(),
            self._done,
            self._swap_failed,
        )

    def _done(self, outcome: SwapOutcome) -> None:
        message = f"Swap {outcome.swap.state} via {outcome.provider}: {outcome.swap.tx_hash}"
        if outcome.approval is not None:
            message += f" (approval {outcome.approval.state})"
        self.flow.finished(message, outcome.skipped)

    def _swap_failed(self, error: BaseException) -> None:
        self.flow.failed(error.user_message if isinstance(error, CoreError) else "Swap failed.")

    # -- rendering ------------------------------------------------------------
    def refresh_view(self) -> None:
        flow = self.flow
        rows: list[RankedQuote | QuoteFailure] = [*flow.ranked, *flow.failures]
        self.table.setRowCount(len(rows))
        for index, row in enumerate(rows):
            cells = self._cells(row)
            for col, text in enumerate(cells):
                self.table.setItem(index, col, QTableWidgetItem(text))
        busy = flow.state in (SwapState.QUOTING, SwapState.EXECUTING)
        self.quote_button.setEnabled(not busy and flow.state is not SwapState.CONFIRMING)
        self.swap_button.setEnabled(flow.state is SwapState.READY)
        self.confirm_box.setVisible(flow.state is SwapState.CONFIRMING)
        if flow.state is SwapState.CONFIRMING:
            self.summary.setText(self._summary())
        texts = {
            SwapState.IDLE: "",
            SwapState.QUOTING: f"Asking providers… {len(flow.quotes)} quote(s) so far.",
            SwapState.READY: f"{len(flow.ranked)} quote(s); best first. Pick one or swap the best.",
            SwapState.CONFIRMING: "Review, then check and swap.",
            SwapState.EXECUTING: "Building, checking and sending…",
        }
        status = texts.get(flow.state, flow.message)
        if flow.skipped:
            status += " Skipped: " + "; ".join(f"{p}: {why}" for p, why in flow.skipped)
        self.status.setText(status)

    def _cells(self, row: RankedQuote | QuoteFailure) -> list[str]:
        if isinstance(row, QuoteFailure):
            return [row.provider, f"error: {row.reason}", "", "", "", "", "", ""]
        quote: Quote = row.quote
        decimals = quote.request.buy.decimals
        symbol = quote.request.buy.symbol
        marker = " (chosen)" if self.flow.chosen == quote.provider else ""
        impact = f"{quote.price_impact_pct:.2f}%" if quote.price_impact_pct is not None else ""
        return [
            quote.provider + marker,
            f"{format_units(quote.buy_amount, decimals, max_fraction=8)} {symbol}",
            f"{format_units(quote.min_buy_amount, decimals, max_fraction=8)} {symbol}",
            _usd(row.gas_cost),
            _usd(row.net_value),
            _usd(row.gap_to_best),
            impact,
            quote.route,
        ]

    def _summary(self) -> str:
        first = self.flow.candidates()[0]
        request = first.request
        sell = format_units(request.sell_amount, request.sell.decimals)
        receive = format_units(first.min_buy_amount, request.buy.decimals, max_fraction=8)
        approval = (
            ""
            if request.sell.native
            else f" The app first approves exactly {sell} {request.sell.symbol} to the provider's"
            " known spender (unless you tick unlimited)."
        )
        stale = (
            " This quote is older than its validity and will be refreshed first."
            if (self.flow.stale())
            else ""
        )
        return (
            f"Sell {sell} {request.sell.symbol} via {first.provider}; receive at least {receive} "
            f"{request.buy.symbol}. Before signing, the transaction is checked: chain, known "
            f"router, known spender, value, minimum output, and a simulation of what you receive."
            f"{approval}{stale} If these checks fail, the next route is tried and you are told why."
        )
