"""The Insights page offscreen on a real core: train with progress, forecasts next to baselines,
and the honest "model does not beat baseline; showing baseline" wherever that is the case."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from core.app import CoreApp
from core.insights.service import FORECASTS
from desktop.operations import Operations
from desktop.pages.insights_page import InsightsPage, row_cells
from desktop.window import MainWindow
from models.training import TrainConfig
from tests.desktop.conftest import Loop


def test_window_has_the_insights_page_instead_of_not_built(
    qtbot: QtBot, qloop: Loop, core: CoreApp
) -> None:
    window = MainWindow(core)
    qtbot.addWidget(window)
    page = window.pages["Insights"]
    assert isinstance(page, InsightsPage)
    window.show_page("Insights")
    qloop.until(lambda: page.notes.text() != "")
    assert "No held assets yet" in page.notes.text()
    assert "No forecaster in use: No model has been trained yet." in page.model_status.text()


def test_train_button_progress_and_honest_forecasts(
    qtbot: QtBot, qloop: Loop, core: CoreApp
) -> None:
    core.insights.config = TrainConfig(max_epochs=12, patience=4)
    qloop.run(core.load_sample_data())
    page = InsightsPage(core, Operations(core))
    qtbot.addWidget(page)
    page.show()
    page.view.setCurrentIndex(1)  # demo: the sample prices
    seen: list[int] = []
    page.progress.valueChanged.connect(seen.append)
    page.train_button.click()
    assert not page.train_button.isEnabled()
    qloop.until(lambda: page.train_button.isEnabled(), timeout=600)
    assert page.status.text() in ("Training finished.", "Computing forecasts…", "")
    assert seen and max(seen) == 100 and seen == sorted(seen)  # progress only moves forward
    qloop.until(lambda: page.table.rowCount() == 3 and "trained" in page.model_status.text())

    expected = qloop.run(core.insights.forecasts(demo=True))
    notes = page.notes.text()
    for row, insight in enumerate(expected):
        cells = tuple(page.table.item(row, col).text() for col in range(page.table.columnCount()))
        assert cells == row_cells(insight)  # every figure on screen is the core's number
        beats = insight.track_record["beats"]
        for forecast, col in zip(FORECASTS, (2, 3, 4), strict=True):
            if beats[forecast]:
                assert "(model;" in cells[col]
            else:
                assert "(baseline)" in cells[col] and "(model;" not in cells[col]
                assert (
                    f"{insight.symbol}: Model does not beat baseline for {forecast} on recent "
                    "held-out data; showing baseline." in notes
                )
        assert "vs" in cells[5] and "held-out" in cells[5]
