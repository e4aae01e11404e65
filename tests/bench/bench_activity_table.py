"""Activity transactions table: the longest UI stall while 100k journal rows are loaded and
scrolled to the end, model/view with paged loading vs a QTableWidget filled item by item.

A QTimer heartbeat every 5 ms records the largest gap between its ticks: that gap is the
longest time the UI thread could not paint or react. Both tables show the same 100,000 rows of
the real intent journal (seeded into a real SQLite file, read through the real TxHistory) in one
run, offscreen. Prints one JSON line last.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import qasync

from core.app import CoreApp
from core.wallet.tx_history import TxHistory, TxView
from desktop.operations import Operations
from desktop.pages.transactions_model import COLUMNS, PAGE_SIZE
from desktop.pages.transactions_view import TransactionsView
from desktop.qt import QApplication, QTableWidget, QTableWidgetItem, make_application
from tests.harness.heartbeat import Heartbeat
from tests.harness.journal_seed import seed_journal

ROWS = 100_000


async def settle(seconds: float = 0.2) -> None:
    await asyncio.sleep(seconds)


async def model_view(core: CoreApp, beat: Heartbeat) -> dict[str, float]:
    view = TransactionsView(core, Operations(core))
    view.resize(1000, 600)
    view.show()
    await settle()
    beat.start()
    started = time.perf_counter()
    view.reload()
    model = view.model
    while not model.exhausted:
        view.table.scrollToBottom()  # at the bottom the view asks the model for the next page
        await asyncio.sleep(0)
        while model.loading:
            await asyncio.sleep(0.001)
    view.table.scrollToBottom()
    await settle(0.05)
    elapsed = time.perf_counter() - started
    stall = beat.stop()
    assert len(model.rows) == ROWS, len(model.rows)
    last = model.index(ROWS - 1, 0)
    assert view.table.visualRect(last).isValid()  # the last row is really in view
    figures = {
        "model_max_stall_ms": round(stall * 1000, 1),
        "model_load_and_scroll_s": round(elapsed, 2),
        "model_heartbeats": beat.ticks,
    }
    view.close()
    view.deleteLater()
    return figures


async def table_widget(
    rows: list[TxView], view: TransactionsView, beat: Heartbeat
) -> dict[str, float]:
    """The baseline: every cell an item, filled in one go (what the page did before)."""
    table = QTableWidget(0, len(COLUMNS))
    table.setHorizontalHeaderLabels(COLUMNS)
    table.resize(1000, 600)
    table.show()
    cell = view.model.cell
    await settle()
    beat.start()
    started = time.perf_counter()

    def fill() -> None:
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c in range(len(COLUMNS)):
                table.setItem(r, c, QTableWidgetItem(cell(row, c)))
        table.scrollToBottom()

    asyncio.get_running_loop().call_soon(fill)
    await settle(0.05)
    elapsed = time.perf_counter() - started
    stall = beat.stop()
    assert table.rowCount() == ROWS
    figures = {
        "widget_max_stall_ms": round(stall * 1000, 1),
        "widget_fill_and_scroll_s": round(elapsed, 2),
        "widget_heartbeats": beat.ticks,
    }
    table.close()
    table.deleteLater()
    return figures


async def run(directory: Path) -> dict[str, object]:
    core = CoreApp(directory, background=False)
    await core.start()
    try:
        seeded = time.perf_counter()
        await seed_journal(core.db, core.profile, ROWS)
        seed_s = time.perf_counter() - seeded
        beat = Heartbeat()
        # As desktop/main.py does once the window is up: start-up objects leave the collector.
        gc.collect()
        gc.freeze()
        figures: dict[str, object] = {
            "rows": ROWS,
            "page_size": PAGE_SIZE,
            "seed_s": round(seed_s, 2),
        }
        figures.update(await model_view(core, beat))
        gc.collect()
        # The baseline gets the same rows, already in memory (its DB read is not counted).
        history = TxHistory(core.db, core.profile)
        rows: list[TxView] = []
        while len(rows) < ROWS:
            rows += await history.page(rows[-1].intent_id if rows else None, 10_000)
        helper = TransactionsView(core, Operations(core))  # for the very same cell texts
        figures.update(await table_widget(rows, helper, beat))
        model_stall = float(figures["model_max_stall_ms"])  # type: ignore[arg-type]
        widget_stall = float(figures["widget_max_stall_ms"])  # type: ignore[arg-type]
        figures["widget_stall_over_model_stall"] = round(widget_stall / max(model_stall, 0.1), 1)
        return figures
    finally:
        await core.stop()


def main() -> None:
    app: QApplication = make_application([])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XDG_CONFIG_HOME"] = str(Path(tmp) / "config")
        with loop:
            figures = loop.run_until_complete(run(Path(tmp) / "data"))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
