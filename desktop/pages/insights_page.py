"""Insights: per held asset, next-week volatility, P(up) and a 90% interval, next to the
baselines and the model's held-out track record. Where the model did not beat the baseline the
page says so and shows the baseline's number."""

from __future__ import annotations

from typing import Any

from core.app import CoreApp
from core.errors import CoreError
from core.insights import InsightsModelChanged, InsightsTrainingProgress
from core.insights.service import HORIZON, AssetInsight, ForecastValues
from desktop import insights_operations as ops_insights
from desktop.operations import Operations
from desktop.qt import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    Qt,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

COLUMNS = (
    "Asset",
    "As of",
    "Volatility (annualised)",
    "P(up)",
    "90% interval",
    "Track record: model vs baseline",
)


def _vol(v: ForecastValues | None) -> str:
    return "—" if v is None else f"{v.volatility:.1%}"


def _cell(shown: str, model: str, baseline: str) -> str:
    if shown == "model":
        return f"{model} (model; baseline {baseline})"
    return f"{baseline} (baseline)" + ("" if model == "—" else f"; model said {model}")


def _track(insight: AssetInsight) -> str:
    t = insight.track_record
    if not t:
        return "no held-out record"
    m, b = t["model"], t["baseline"]
    return (
        f"QLIKE {m['qlike']:.3f} vs {b['qlike']:.3f} · Brier {m['brier']:.4f} vs "
        f"{b['brier']:.4f} · pinball {m['pinball']:.4f} vs {b['pinball']:.4f} "
        f"({t['rows']} days, {insight.track_scope})"
    )


def row_cells(insight: AssetInsight) -> tuple[str, ...]:
    """What one table row says; pure, so tests compare it with the core's numbers."""
    if insight.baseline is None or insight.as_of is None:
        return (insight.symbol, "—", "—", "—", "—", " ".join(insight.notes))
    model, base = insight.model, insight.baseline
    p_model = "—" if model is None else f"{model.p_up:.1%}"

    def interval(v: ForecastValues | None) -> str:
        return "—" if v is None else f"{v.low:,.2f} to {v.high:,.2f}"

    return (
        insight.symbol,
        f"{insight.as_of:%Y-%m-%d}",
        _cell(insight.shown["volatility"], _vol(model), _vol(base)),
        _cell(insight.shown["direction"], p_model, f"{base.p_up:.1%}"),
        _cell(insight.shown["interval"], interval(model), interval(base)),
        _track(insight),
    )


class InsightsPage(QWidget):
    def __init__(self, core: CoreApp, ops: Operations) -> None:
        super().__init__()
        self._core = core
        self._ops = ops
        self.insights: list[AssetInsight] = []
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        heading = QLabel(f"<h2>Insights</h2>Forecasts for the next {HORIZON} days, on this device.")
        heading.setTextFormat(Qt.TextFormat.RichText)
        top.addWidget(heading, 1)
        self.view = QComboBox()
        self.view.addItems(["My holdings", "Demo (sample data)"])
        self.view.currentIndexChanged.connect(lambda _: self.load())
        top.addWidget(self.view)
        self.train_button = QPushButton("Train now")
        self.train_button.setToolTip(
            "Train the forecaster on your stored price history and the shipped sample prices."
        )
        self.train_button.clicked.connect(self.train)
        top.addWidget(self.train_button)
        layout.addLayout(top)

        self.model_status = QLabel()
        self.model_status.setWordWrap(True)
        layout.addWidget(self.model_status)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setVisible(False)
        layout.addWidget(self.progress)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for narrow in (0, 1):  # asset and date need only their text's width
            self.table.horizontalHeader().setSectionResizeMode(
                narrow, QHeaderView.ResizeMode.ResizeToContents
            )
        self.table.setWordWrap(True)
        layout.addWidget(self.table, 1)
        self.notes = QLabel()
        self.notes.setObjectName("insightsNotes")
        self.notes.setWordWrap(True)
        self.notes.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.notes)
        self.status = QLabel()
        layout.addWidget(self.status)
        # Bus events arrive on the loop thread, which is the Qt thread under qasync; the bus
        # holds these bound methods weakly, so a closed page is not kept alive by them.
        core.bus.subscribe(InsightsTrainingProgress, self._on_progress)
        core.bus.subscribe(InsightsModelChanged, self._on_model_changed)

    # -- actions ----------------------------------------------------------------------------
    def on_shown(self) -> None:
        self.load()

    @property
    def demo(self) -> bool:
        return self.view.currentIndex() == 1

    def load(self) -> None:
        self.status.setText("Computing forecasts…")
        ops_insights.load_insights(self._ops, self.show_insights, demo=self.demo)

    def train(self) -> None:
        self.train_button.setEnabled(False)
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.status.setText("Training in the background; the app stays usable.")
        ops_insights.train(self._ops, self._trained, self._train_failed)

    def _trained(self, _status: Any) -> None:
        self.train_button.setEnabled(True)
        self.progress.setValue(100)
        self.progress.setVisible(False)
        self.status.setText("Training finished.")
        self.load()

    def _train_failed(self, error: BaseException) -> None:
        self.train_button.setEnabled(True)
        self.progress.setVisible(False)
        self.status.setText(error.user_message if isinstance(error, CoreError) else "Failed.")

    def _on_progress(self, event: InsightsTrainingProgress) -> None:
        self.progress.setVisible(True)
        self.progress.setValue(int(event.fraction * 100))
        if event.stage == "training":
            self.status.setText(
                f"Training: epoch {event.epoch} of at most {event.max_epochs} "
                f"(stops early when held-back data stop improving)."
            )
        else:
            self.status.setText(f"Training: {event.stage}…")

    def _on_model_changed(self, _event: InsightsModelChanged) -> None:
        if self.isVisible():
            self.load()

    # -- showing -----------------------------------------------------------------------------
    def show_insights(self, data: dict[str, Any]) -> None:
        status = data["status"]
        self.insights = data["insights"]
        if status.trained_at is None:
            self.model_status.setText(
                f"No forecaster in use: {status.problem} Baselines are shown meanwhile."
            )
        else:
            rows = status.details.get("rows", {})
            self.model_status.setText(
                f"Forecaster trained {status.trained_at:%Y-%m-%d %H:%M} UTC on "
                f"{rows.get('train', 0)} rows, early-stopped on {rows.get('validation', 0)}, "
                f"judged on the newest {rows.get('test', 0)} it never saw; retrains after "
                f"{status.expires_at:%Y-%m-%d %H:%M} UTC."
            )
        self.table.setRowCount(len(self.insights))
        for row, insight in enumerate(self.insights):
            for col, text in enumerate(row_cells(insight)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, col, item)
        self.table.resizeRowsToContents()
        lines = [f"{i.symbol}: {note}" for i in self.insights for note in i.notes]
        if not self.insights:
            lines.append(
                "No held assets yet: refresh your portfolio, or choose the demo to see forecasts "
                "on the sample prices."
                if not self.demo
                else "The demo has no holdings yet: load it from the Portfolio page "
                "(Try with sample data)."
            )
        self.notes.setText("\n".join(lines))
        self.status.setText("")
