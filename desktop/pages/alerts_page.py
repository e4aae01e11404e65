"""Alerts: the rules (add, edit, delete, switch on/off) with their live status, and the history.

The page only collects text; the core parses and validates it (core.alerts.forms), so a refused
rule shows the core's own reason under the form, nothing is saved, and the edits stay in place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from core.alerts import KINDS, FiredAlert, Rule, RuleForm, form_from_rule
from core.app import CoreApp
from core.errors import CoreError
from desktop import alert_operations as ops_alerts
from desktop.bridge import CoreSignals
from desktop.operations import Operations
from desktop.qt import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)

KIND_LABELS = {
    "price_above": "Price above",
    "price_below": "Price below",
    "pct_move": "% move within a window",
    "drawdown": "Portfolio drawdown",
    "volatility_above": "Forecast volatility above",
    "tx_confirmed": "Transaction confirmed",
    "tx_failed": "Transaction failed",
    "swap_quote": "Swap quote better than",
}
LEVEL_HINTS = {
    "price_above": "USD, e.g. 3500",
    "price_below": "USD, e.g. 2500",
    "pct_move": "percent, e.g. 5",
    "drawdown": "percent below the peak, e.g. 10",
    "volatility_above": "annualised percent, e.g. 80",
    "swap_quote": "minimum amount received",
}
# Which fields each kind uses; the others are hidden.
FIELDS = {
    "price_above": {"asset", "level"},
    "price_below": {"asset", "level"},
    "pct_move": {"asset", "level", "window", "direction"},
    "drawdown": {"level", "window"},
    "volatility_above": {"asset", "level"},
    "tx_confirmed": set(),
    "tx_failed": set(),
    "swap_quote": {"level", "swap"},
}
RULE_COLUMNS = ("On", "Name", "Kind", "Watches", "Level", "Status")
HISTORY_COLUMNS = ("Fired (UTC)", "Rule", "What happened", "Shown")


class RuleEditor(QGroupBox):
    """The add/edit form. Emits ``submitted`` with a RuleForm; shows the core's refusal."""

    submitted = Signal(object)

    def __init__(self) -> None:
        super().__init__("New alert")
        self._editing: Rule | None = None
        form = QFormLayout(self)
        self.kind = QComboBox()
        for kind in KINDS:
            self.kind.addItem(KIND_LABELS[kind], kind)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.name = QLineEdit()
        self.name.setPlaceholderText("optional: a description is made up from the fields")
        self.asset = QLineEdit()
        self.asset.setPlaceholderText("ETH, USDC@8453 or 0x...@1")
        self.level = QLineEdit()
        self.window_edit = QLineEdit()
        self.window_edit.setPlaceholderText("e.g. 15m, 4h, 1d")
        self.direction = QComboBox()
        for label, value in (("either way", "either"), ("up", "up"), ("down", "down")):
            self.direction.addItem(label, value)
        self.cooldown = QLineEdit("15m")
        self.hysteresis = QLineEdit("1")
        self.swap_chain = QLineEdit()
        self.swap_chain.setPlaceholderText("chain id, e.g. 1")
        self.swap_sell = QLineEdit()
        self.swap_sell.setPlaceholderText("token to sell: ETH or 0x...")
        self.swap_buy = QLineEdit()
        self.swap_buy.setPlaceholderText("token to buy: 0x...")
        self.swap_amount = QLineEdit()
        self.swap_amount.setPlaceholderText("amount to sell, e.g. 1.5")
        self._rows: dict[str, list[QWidget]] = {}
        form.addRow("Kind", self.kind)
        form.addRow("Name", self.name)
        self._add(form, "asset", "Asset", self.asset)
        self._add(form, "level", "Level", self.level)
        self._add(form, "window", "Window", self.window_edit)
        self._add(form, "direction", "Direction", self.direction)
        form.addRow("Cooldown", self.cooldown)
        form.addRow("Hysteresis %", self.hysteresis)
        self._add(form, "swap", "Swap on chain", self.swap_chain)
        self._add(form, "swap", "Sell", self.swap_sell)
        self._add(form, "swap", "Buy", self.swap_buy)
        self._add(form, "swap", "Amount", self.swap_amount)
        self.error = QLabel()
        self.error.setObjectName("alertFormError")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        form.addRow(self.error)
        buttons = QHBoxLayout()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.clear)
        self.save_button = QPushButton("Add alert")
        self.save_button.clicked.connect(self.submit)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        form.addRow(buttons)
        self._kind_changed()

    def _add(self, form: QFormLayout, group: str, label: str, field: QWidget) -> None:
        caption = QLabel(label)
        form.addRow(caption, field)
        self._rows.setdefault(group, []).extend([caption, field])

    def current_kind(self) -> str:
        return str(self.kind.currentData())

    def _kind_changed(self) -> None:
        kind = self.current_kind()
        for group, widgets in self._rows.items():
            for widget in widgets:
                widget.setVisible(group in FIELDS[kind])
        self.level.setPlaceholderText(LEVEL_HINTS.get(kind, ""))
        self.cooldown.setText(self.cooldown.text() or "15m")

    def form(self) -> RuleForm:
        editing = self._editing
        return RuleForm(
            kind=self.current_kind(),
            name=self.name.text(),
            asset=self.asset.text(),
            threshold=self.level.text(),
            window=self.window_edit.text(),
            direction=str(self.direction.currentData()),
            cooldown=self.cooldown.text(),
            hysteresis_pct=self.hysteresis.text(),
            enabled=editing.enabled if editing else True,
            swap_chain=self.swap_chain.text(),
            swap_sell=self.swap_sell.text(),
            swap_buy=self.swap_buy.text(),
            swap_amount=self.swap_amount.text(),
            swap_taker=editing.swap.taker if editing and editing.swap else "",
            id=editing.id if editing else None,
            uid=editing.uid if editing else "",
        )

    def submit(self) -> None:
        self.error.clear()
        self.save_button.setEnabled(False)
        self.submitted.emit(self.form())

    def refused(self, error: BaseException) -> None:
        """Keep every edit; say why in the core's words."""
        self.save_button.setEnabled(True)
        text = error.user_message if isinstance(error, CoreError) else str(error)
        hint = getattr(error, "hint", None)
        self.error.setText(f"{text} ({hint})" if hint else text)

    def edit(self, rule: Rule) -> None:
        self._editing = rule
        form = form_from_rule(rule)
        self.setTitle(f"Edit alert {rule.id}")
        self.kind.setCurrentIndex(KINDS.index(rule.kind))
        self.name.setText(form.name)
        self.asset.setText(form.asset)
        self.level.setText(form.threshold)
        self.window_edit.setText(form.window)
        self.direction.setCurrentIndex(max(0, self.direction.findData(form.direction)))
        self.cooldown.setText(form.cooldown)
        self.hysteresis.setText(form.hysteresis_pct)
        self.swap_chain.setText(form.swap_chain)
        self.swap_sell.setText(form.swap_sell)
        self.swap_buy.setText(form.swap_buy)
        self.swap_amount.setText(form.swap_amount)
        self.save_button.setText("Save changes")
        self.error.clear()

    def clear(self, *_args: Any) -> None:
        self._editing = None
        self.setTitle("New alert")
        for field in (
            self.name,
            self.asset,
            self.level,
            self.window_edit,
            self.swap_chain,
            self.swap_sell,
            self.swap_buy,
            self.swap_amount,
        ):
            field.clear()
        self.cooldown.setText("15m")
        self.hysteresis.setText("1")
        self.save_button.setText("Add alert")
        self.save_button.setEnabled(True)
        self.error.clear()


class AlertsPage(QWidget):
    #: a history row was activated: open the page it concerns
    open_page = Signal(str)

    def __init__(
        self,
        core: CoreApp,
        ops: Operations,
        signals: CoreSignals | None = None,
        show_page: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__()
        self._core = core
        self._ops = ops
        self._filling = False
        layout = QVBoxLayout(self)
        header = QHBoxLayout()
        header.addWidget(QLabel("<h2>Alerts</h2>"))
        self.paused_label = QLabel()
        header.addWidget(self.paused_label, 1)
        self.pause_button = QPushButton()
        self.pause_button.clicked.connect(self._toggle_pause)
        self.check_button = QPushButton("Check now")
        self.check_button.clicked.connect(self.check_now)
        header.addWidget(self.pause_button)
        header.addWidget(self.check_button)
        layout.addLayout(header)

        body = QHBoxLayout()
        left = QVBoxLayout()
        self.rules = QTableWidget(0, len(RULE_COLUMNS))
        self.rules.setObjectName("alertRules")
        self.rules.setHorizontalHeaderLabels(RULE_COLUMNS)
        self.rules.horizontalHeader().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.rules.setColumnWidth(0, 36)
        self.rules.setColumnWidth(1, 200)
        self.rules.setColumnWidth(2, 170)
        self.rules.verticalHeader().setVisible(False)
        self.rules.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.rules.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.rules.itemChanged.connect(self._switched)
        self.rules.itemDoubleClicked.connect(lambda _item: self.edit_selected())
        left.addWidget(self.rules, 2)
        row_buttons = QHBoxLayout()
        self.edit_button = QPushButton("Edit")
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button = QPushButton("Delete")
        self.delete_button.clicked.connect(self.delete_selected)
        row_buttons.addStretch(1)
        row_buttons.addWidget(self.edit_button)
        row_buttons.addWidget(self.delete_button)
        left.addLayout(row_buttons)
        left.addWidget(QLabel("<b>Fired alerts</b> (kept on this machine)"))
        self.history = QTableWidget(0, len(HISTORY_COLUMNS))
        self.history.setObjectName("alertHistory")
        self.history.setHorizontalHeaderLabels(HISTORY_COLUMNS)
        self.history.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.history.setColumnWidth(0, 150)
        self.history.setColumnWidth(1, 200)
        self.history.verticalHeader().setVisible(False)
        self.history.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.history.itemDoubleClicked.connect(self._open_history_row)
        left.addWidget(self.history, 1)
        body.addLayout(left, 3)
        self.editor = RuleEditor()
        self.editor.submitted.connect(self._save)
        body.addWidget(self.editor, 2)
        layout.addLayout(body, 1)
        self._history: list[FiredAlert] = []
        if signals is not None:
            signals.alerts_changed.connect(self.refresh_rules)
            signals.alert_fired.connect(lambda event: self.add_fired(event.alert))
        if show_page is not None:
            self.open_page.connect(show_page)
        self.refresh_rules()

    # -- rules ----------------------------------------------------------------------------------
    def on_shown(self) -> None:
        self.refresh_rules()
        self.load_history()

    def refresh_rules(self) -> None:
        """Rules and statuses from the core's memory (no I/O), and the paused flag."""
        service = self._core.alerts
        paused = service.paused
        self.paused_label.setText(
            "Paused: alerts are recorded but no notification is shown." if paused else ""
        )
        self.pause_button.setText("Resume alerts" if paused else "Pause alerts")
        self._filling = True
        rules = list(service.rules.values())
        self.rules.setRowCount(len(rules))
        for row, rule in enumerate(rules):
            switch = QTableWidgetItem()
            switch.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            switch.setCheckState(Qt.CheckState.Checked if rule.enabled else Qt.CheckState.Unchecked)
            switch.setData(Qt.ItemDataRole.UserRole, rule.id)
            self.rules.setItem(row, 0, switch)
            watches = rule.asset.label() if rule.asset else _watches(rule)
            level = "" if rule.threshold is None else str(rule.threshold)
            cells = (rule.name, KIND_LABELS[rule.kind], watches, level)
            for column, text in enumerate(cells, start=1):
                self.rules.setItem(row, column, QTableWidgetItem(text))
            self.rules.setItem(row, 5, QTableWidgetItem(service.status(rule.id or 0)))
        self._filling = False

    def selected_rule(self) -> Rule | None:
        row = self.rules.currentRow()
        item = self.rules.item(row, 0) if row >= 0 else None
        if item is None:
            return None
        return self._core.alerts.rules.get(int(item.data(Qt.ItemDataRole.UserRole)))

    def edit_selected(self) -> None:
        rule = self.selected_rule()
        if rule is not None:
            self.editor.edit(rule)

    def delete_selected(self) -> None:
        rule = self.selected_rule()
        if rule is not None and rule.id is not None:
            ops_alerts.remove_rule(self._ops, rule.id, lambda _none: self.refresh_rules())

    def _switched(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() != 0:
            return
        rule_id = int(item.data(Qt.ItemDataRole.UserRole))
        enabled = item.checkState() == Qt.CheckState.Checked
        ops_alerts.set_enabled(self._ops, rule_id, enabled, lambda _rule: self.refresh_rules())

    def _save(self, form: RuleForm) -> None:
        ops_alerts.save_rule(self._ops, form, self._saved, self.editor.refused)

    def _saved(self, _rule: Rule) -> None:
        self.editor.clear()
        self.refresh_rules()

    # -- pause, check, history -------------------------------------------------------------------
    def _toggle_pause(self) -> None:
        paused = not self._core.alerts.paused
        ops_alerts.set_paused(self._ops, paused, lambda _none: self.refresh_rules())

    def check_now(self) -> None:
        self.check_button.setEnabled(False)

        def done(_fired: list[FiredAlert]) -> None:
            self.check_button.setEnabled(True)
            self.refresh_rules()
            self.load_history()

        ops_alerts.check_now(self._ops, done)

    def load_history(self) -> None:
        ops_alerts.load_history(self._ops, self.show_history)

    def show_history(self, entries: list[FiredAlert]) -> None:
        self._history = list(entries)
        self.history.setRowCount(len(entries))
        for row, alert in enumerate(entries):
            cells = (
                f"{alert.fired_at:%Y-%m-%d %H:%M:%S}",
                alert.rule_name,
                alert.message,
                "yes" if alert.notified else "paused",
            )
            for column, text in enumerate(cells):
                self.history.setItem(row, column, QTableWidgetItem(text))

    def add_fired(self, alert: FiredAlert) -> None:
        """A live alert: newest first, without a database round trip."""
        self.show_history([alert, *(a for a in self._history if a.id != alert.id)])

    def _open_history_row(self, item: QTableWidgetItem) -> None:
        if 0 <= item.row() < len(self._history):
            self.open_page.emit(self._history[item.row()].page)


def _watches(rule: Rule) -> str:
    if rule.swap is not None:
        swap = rule.swap
        return f"{swap.amount} {swap.sell} -> {swap.buy[:10]} @{swap.chain_id}"
    if rule.kind == "drawdown":
        return "portfolio value"
    return "your transactions"
