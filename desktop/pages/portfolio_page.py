"""Portfolio: total value over time, allocation, holdings and PnL, all from local snapshots."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyqtgraph as pg

from core.app import CoreApp
from core.errors import CoreError
from core.money import format_units
from core.portfolio.service import HistoryPoint
from desktop import portfolio_operations as ops_portfolio
from desktop.operations import Operations
from desktop.qt import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

HOLDING_COLUMNS = ("Asset", "Chain", "Wallet", "Amount", "Price (USD)", "Value (USD)")
PNL_COLUMNS = ("Asset", "Held", "Cost basis", "Realised", "Unrealised", "Unmatched sells")


def _usd(value: Decimal | None) -> str:
    return "no price" if value is None else f"{value:,.2f}"


def _table(columns: tuple[str, ...]) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(columns)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    return table


TOTAL_SERIES = "Total value"


class PortfolioPage(QWidget):
    def __init__(self, core: CoreApp, ops: Operations) -> None:
        super().__init__()
        self._core = core
        self._ops = ops
        self._history: list[Any] = []
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.total = QLabel("<h2>Portfolio</h2>")
        self.total.setTextFormat(Qt.TextFormat.RichText)
        top.addWidget(self.total, 1)
        self.view = QComboBox()
        self.view.addItems(["My portfolio", "Demo (sample data)"])
        self.view.currentIndexChanged.connect(lambda _: self.load())
        top.addWidget(self.view)
        self.sample_button = QPushButton("Try with sample data")
        self.sample_button.setToolTip(
            "Loads a separate demo portfolio valued at real historical prices (2016-2020)."
        )
        self.sample_button.clicked.connect(self.load_sample)
        top.addWidget(self.sample_button)
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.clicked.connect(self.refresh)
        top.addWidget(self.refresh_button)
        layout.addLayout(top)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        layout.addWidget(self.notice)

        self.chart = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem()})
        self.chart.setLabel("left", "Total value (USD)")
        self.chart.showGrid(x=True, y=True, alpha=0.2)
        self.curve = self.chart.plot([], [], pen=pg.mkPen("#1f6feb", width=2))
        self.region = pg.LinearRegionItem()
        self.region.setZValue(10)
        self.region.sigRegionChanged.connect(self._range_changed)
        self.chart.addItem(self.region)
        self.range_label = QLabel()
        self.series = QComboBox()
        self.series.addItem(TOTAL_SERIES)
        self.series.currentTextChanged.connect(self._series_changed)
        series_row = QHBoxLayout()
        series_row.addWidget(QLabel("Show:"))
        series_row.addWidget(self.series)
        series_row.addStretch(1)
        chart_box = QWidget()
        chart_layout = QVBoxLayout(chart_box)
        chart_layout.setContentsMargins(0, 0, 0, 0)
        chart_layout.addLayout(series_row)
        chart_layout.addWidget(self.chart, 1)
        chart_layout.addWidget(self.range_label)

        self.holdings = _table(HOLDING_COLUMNS)
        self.allocation = QLabel()
        self.allocation.setWordWrap(True)
        self.pnl = _table(PNL_COLUMNS)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(chart_box)
        splitter.addWidget(self.holdings)
        splitter.addWidget(self.pnl)
        layout.addWidget(self.allocation)
        layout.addWidget(splitter, 1)

        csv_row = QHBoxLayout()
        self.csv_format = QComboBox()
        self.csv_format.addItems(["generic", "coinbase"])
        import_button = QPushButton("Import trades CSV…")
        import_button.clicked.connect(self.import_csv)
        csv_row.addWidget(QLabel("CSV:"))
        csv_row.addWidget(self.csv_format)
        csv_row.addWidget(import_button)
        for what in ("holdings", "history", "pnl"):
            button = QPushButton(f"Export {what}…")
            button.clicked.connect(lambda _=False, w=what: self.export_csv(w))
            csv_row.addWidget(button)
        csv_row.addStretch(1)
        layout.addLayout(csv_row)
        self.status = QLabel()
        layout.addWidget(self.status)

    # -- actions ----------------------------------------------------------------------------
    def on_shown(self) -> None:
        """Coming into view shows what is stored; the network is asked only on Refresh."""
        self.load()

    @property
    def demo(self) -> bool:
        return self.view.currentIndex() == 1

    def load(self) -> None:
        self.refresh_button.setEnabled(not self.demo)
        ops_portfolio.load_overview(self._ops, self.show_overview, demo=self.demo)

    def load_sample(self) -> None:
        self.sample_button.setEnabled(False)
        self.status.setText("Loading sample data…")
        ops_portfolio.load_sample_data(self._ops, self._sample_loaded)

    def _sample_loaded(self, days: int) -> None:
        self.sample_button.setEnabled(True)
        self.status.setText(
            f"Demo portfolio: {days} days of real closing prices. Your own data is untouched."
        )
        if self.view.currentIndex() != 1:
            self.view.setCurrentIndex(1)  # triggers load()
        else:
            self.load()

    def refresh(self) -> None:
        self.refresh_button.setEnabled(False)
        chains = sum(1 for c in self._core.settings().chains if c.enabled)
        self.status.setText(f"Reading balances on {chains} chain(s)…")
        ops_portfolio.refresh(self._ops, self._refreshed, self._refresh_failed)

    def _refreshed(self, report: Any) -> None:
        self.refresh_button.setEnabled(True)
        parts = [f"Refreshed: {_usd(report.total_value)} USD."]
        if report.chain_errors:
            parts.append(
                "Not read: "
                + "; ".join(f"chain {c}: {why}" for c, why in report.chain_errors.items())
            )
        if report.unpriced:
            parts.append("No price for " + ", ".join(report.unpriced) + ".")
        self.status.setText(" ".join(parts))
        self.load()

    def _refresh_failed(self, error: BaseException) -> None:
        self.refresh_button.setEnabled(True)
        self.status.setText(error.user_message if isinstance(error, CoreError) else "Failed.")

    def import_csv(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import trades", "", "CSV files (*.csv)")
        if path:
            self.import_file(Path(path), self.csv_format.currentText())

    def import_file(self, path: Path, fmt: str) -> None:
        ops_portfolio.import_csv(self._ops, path, fmt, self._imported, self._import_failed)

    def _imported(self, added: int) -> None:
        self.status.setText(f"Imported {added} new row(s).")
        self.load()

    def _import_failed(self, error: BaseException) -> None:
        self.status.setText(error.user_message if isinstance(error, CoreError) else "Failed.")

    def export_csv(self, what: str) -> None:
        path, _ = QFileDialog.getSaveFileName(self, f"Export {what}", f"{what}.csv", "CSV (*.csv)")
        if path:
            ops_portfolio.export_csv(
                self._ops, what, Path(path), lambda _: self.status.setText(f"Saved {path}.")
            )

    # -- showing ---------------------------------------------------------------------------------
    def show_overview(self, data: dict[str, Any]) -> None:
        snapshot = data["snapshot"]
        if snapshot is None:
            self.total.setText("<h2>Portfolio</h2>No snapshot yet: add a wallet and refresh.")
        else:
            taken = snapshot.taken_at.replace(tzinfo=snapshot.taken_at.tzinfo or UTC)
            self.total.setText(
                f"<h2>{_usd(Decimal(snapshot.total_value))} USD</h2>"
                f"as of {taken.astimezone():%Y-%m-%d %H:%M}"
                + (
                    " — DEMO: hypothetical holdings at real historical prices"
                    if snapshot.demo
                    else ""
                )
            )
        notices = []
        if snapshot is not None and snapshot.incomplete:
            notices.append(f"Last refresh could not read chain(s) {snapshot.incomplete}.")
        for name, since in data["offline_chains"].items():
            notices.append(f"{name} offline since {since.astimezone():%Y-%m-%d %H:%M}.")
        for source in data["sources"].values():
            if source.failing_since is not None:
                notices.append(
                    f"Prices from {source.name} unavailable since "
                    f"{source.failing_since.astimezone():%H:%M} ({source.last_error})."
                )
        self.notice.setText(" ".join(notices))
        self._total_history = data["history"]
        self._show_series_choices(data["assets"])
        self._series_changed(self.series.currentText())
        self._show_holdings(data["holdings"])
        self._show_allocation(data["allocation"], data["allocation_by_chain"])
        self._show_pnl(data["pnl"])

    def _show_allocation(self, by_asset: dict[str, Decimal], by_chain: dict[int, Decimal]) -> None:
        if not by_asset:
            self.allocation.setText("")
            return
        names = {c.chain_id: c.name for c in self._core.settings().chains}
        names[0] = "demo"
        total = sum(by_asset.values()) or Decimal(1)
        assets = ", ".join(f"{k} {v / total:.1%}" for k, v in by_asset.items())
        chains = ", ".join(
            f"{names.get(k, f'chain {k}')} {v / total:.1%}" for k, v in by_chain.items()
        )
        self.allocation.setText(f"Allocation by asset: {assets}.  By chain: {chains}.")

    def _show_series_choices(self, assets: list[str]) -> None:
        current = self.series.currentText()
        self.series.blockSignals(True)
        self.series.clear()
        self.series.addItems([TOTAL_SERIES, *assets])
        self.series.setCurrentText(current if current in assets else TOTAL_SERIES)
        self.series.blockSignals(False)

    def _series_changed(self, name: str) -> None:
        """Total value, or one asset's value over time (summed over chains and wallets)."""
        if not name or name == TOTAL_SERIES:
            self.chart.setLabel("left", "Total value (USD)")
            self._show_history(getattr(self, "_total_history", []))
            return
        self.chart.setLabel("left", f"{name} value (USD)")
        ops_portfolio.load_asset_history(self._ops, name, self._show_asset_history, demo=self.demo)

    def _show_asset_history(self, points: list[Any]) -> None:
        # A snapshot where part of the asset had no price is left out of the value line
        # rather than drawn as zero.
        self._show_history(
            [HistoryPoint(p.taken_at, p.value) for p in points if p.value is not None]
        )

    def _show_history(self, points: list[Any]) -> None:
        self._history = points
        xs = [p.taken_at.timestamp() for p in points]
        ys = [float(p.total_value) for p in points]  # float only for drawing, never for money
        self.curve.setData(xs, ys)
        # Empty axes would show placeholder ticks that read like data: no chart until a snapshot.
        self.chart.setVisible(bool(xs))
        if xs:
            self.region.setRegion((xs[max(0, len(xs) - 30)], xs[-1]))
        self._range_changed()

    def _range_changed(self) -> None:
        if not self._history:
            self.range_label.setText("")
            return
        low, high = self.region.getRegion()
        inside = [p for p in self._history if low <= p.taken_at.timestamp() <= high]
        if len(inside) < 2:
            self.range_label.setText("Select a range on the chart to see its change.")
            return
        first, last = inside[0], inside[-1]
        change = last.total_value - first.total_value
        pct = f" ({change / first.total_value:+.2%})" if first.total_value else ""
        start = datetime.fromtimestamp(first.taken_at.timestamp()).strftime("%Y-%m-%d")
        end = datetime.fromtimestamp(last.taken_at.timestamp()).strftime("%Y-%m-%d")
        self.range_label.setText(
            f"{start} → {end}: {_usd(first.total_value)} → {_usd(last.total_value)} USD, "
            f"{change:+,.2f}{pct}"
        )

    def _show_holdings(self, holdings: list[Any]) -> None:
        names = {c.chain_id: c.name for c in self._core.settings().chains}
        ordered = sorted(holdings, key=lambda h: -(h.value or 0))
        self.holdings.setRowCount(len(ordered))
        for row, h in enumerate(ordered):
            cells = (
                h.symbol,
                names.get(h.chain_id, str(h.chain_id)),
                h.owner,
                format_units(h.amount, h.decimals, max_fraction=8),
                _usd(h.price),
                _usd(h.value),
            )
            for col, text in enumerate(cells):
                self.holdings.setItem(row, col, QTableWidgetItem(text))

    def _show_pnl(self, books: dict[str, Any]) -> None:
        rows = sorted(books.values(), key=lambda b: b.asset)
        self.pnl.setRowCount(len(rows))
        for row, b in enumerate(rows):
            cells = (
                b.asset,
                f"{b.held:f}",
                _usd(b.cost_basis),
                _usd(b.realised),
                _usd(b.unrealised),
                f"{b.unmatched:f}",
            )
            for col, text in enumerate(cells):
                self.pnl.setItem(row, col, QTableWidgetItem(text))
