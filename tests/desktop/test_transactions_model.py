"""The Activity transactions table pages through a long journal as the view scrolls, keeps
newest-first order without gaps or repeats, and takes live updates into the right row."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from core.app import CoreApp
from desktop.operations import Operations
from desktop.pages.transactions_model import PAGE_SIZE
from desktop.pages.transactions_view import TransactionsView
from desktop.qt import QApplication
from tests.desktop.conftest import Loop
from tests.harness.journal_seed import seed_journal

ROWS = 1_234


def test_scrolling_loads_every_page_in_order_and_live_updates_find_their_row(
    qtbot: QtBot, qloop: Loop, core: CoreApp
) -> None:
    qloop.run(seed_journal(core.db, core.profile, ROWS))
    view = TransactionsView(core, Operations(core))
    qtbot.addWidget(view)
    view.resize(900, 400)
    view.show()
    model = view.model
    view.reload()
    qloop.until(lambda: len(model.rows) == PAGE_SIZE)
    assert model.total == ROWS and not model.exhausted
    assert view.count.text() == f"{PAGE_SIZE} of {ROWS} transactions"
    pages = 1
    while not model.exhausted:
        view.table.scrollToBottom()  # the view asks for more at the bottom (canFetchMore)
        QApplication.processEvents()
        qloop.until(lambda: not model.loading)
        pages += 1
        assert pages < 10, "scrolling never reached the end"
    ids = [row.intent_id for row in model.rows]
    assert ids == list(range(ROWS, 0, -1))  # newest first, nothing missing, nothing twice
    assert view.count.text() == f"{ROWS} transactions"

    newest, failed = model.rows[0], model.rows[model.row_of(18) or 0]
    assert newest.state == "pending" and newest.replaceable
    assert failed.intent_id == 18 and failed.state == "failed" and not failed.replaceable
    assert model.cell(failed, 2) == "failed"
    assert model.data(model.index(model.row_of(18) or 0, 7)) == "native transfer"
    assert model.row_of(ROWS + 5) is None

    view.select_intent(ROWS)
    assert view.speed_up_button.isEnabled()
    view.select_intent(18)
    assert not view.speed_up_button.isEnabled()  # nothing to replace on a finished one

    # A send made while the table is open: its row appears on top when its event arrives.
    qloop.run(seed_journal(core.db, core.profile, 1, first_id=ROWS + 1))
    model.refresh_intent(ROWS + 1)
    qloop.until(lambda: model.rows[0].intent_id == ROWS + 1)
    assert len(model.rows) == ROWS + 1 and model.total == ROWS + 1
