"""The Alerts page and the tray's alert menu, offscreen on a real core and database."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from core.alerts import KINDS, RuleForm
from core.app import CoreApp
from desktop.pages.alerts_page import AlertsPage
from desktop.qt import Qt
from desktop.tray import Tray
from desktop.window import MainWindow
from tests.desktop.conftest import Loop


def window_on_alerts(qtbot: QtBot, core: CoreApp) -> tuple[MainWindow, AlertsPage]:
    window = MainWindow(core)
    qtbot.addWidget(window)
    window.show()
    page = window.pages["Alerts"]
    assert isinstance(page, AlertsPage)
    window.show_page("Alerts")
    return window, page


def fill(page: AlertsPage, kind: str, **fields: str) -> None:
    editor = page.editor
    editor.kind.setCurrentIndex(KINDS.index(kind))  # type: ignore[arg-type]
    for name, value in fields.items():
        getattr(editor, name).setText(value)


def test_bad_rule_is_refused_in_place_then_fixed(qtbot: QtBot, qloop: Loop, core: CoreApp) -> None:
    _, page = window_on_alerts(qtbot, core)
    fill(page, "pct_move", asset="ETH", level="5", window_edit="-5m")
    assert page.editor.window_edit.isVisible() and not page.editor.swap_chain.isVisible()
    page.editor.submit()
    qloop.until(lambda: page.editor.error.text() != "")
    assert page.editor.error.text() == "The window must be longer than zero, not -5m."
    assert page.rules.rowCount() == 0 and core.alerts.rules == {}
    assert page.editor.asset.text() == "ETH"  # the edits stay for fixing
    page.editor.window_edit.setText("1h")
    page.editor.submit()
    qloop.until(lambda: page.rules.rowCount() == 1)
    assert page.rules.item(0, 1).text() == "ETH@1 moves 5% in 1h"
    assert page.rules.item(0, 5).text() == "waiting for the first reading"
    assert page.editor.asset.text() == "" and page.editor.error.text() == ""


def test_unknown_asset_says_what_to_do(qtbot: QtBot, qloop: Loop, core: CoreApp) -> None:
    _, page = window_on_alerts(qtbot, core)
    fill(page, "price_above", asset="WAT", level="1")
    page.editor.submit()
    qloop.until(lambda: page.editor.error.text() != "")
    assert page.editor.error.text() == (
        "Unknown asset 'WAT': it is not the native coin or a known token on any enabled chain. "
        "(add the token under Portfolio first, or write SYMBOL@CHAIN_ID)"
    )
    assert page.editor.save_button.isEnabled()


def test_edit_switch_off_and_delete(qtbot: QtBot, qloop: Loop, core: CoreApp) -> None:
    _, page = window_on_alerts(qtbot, core)
    fill(page, "price_below", asset="USDC@8453", level="0.98")
    page.editor.submit()
    qloop.until(lambda: page.rules.rowCount() == 1)
    assert page.rules.item(0, 3).text() == "USDC@8453"
    page.rules.selectRow(0)
    page.edit_selected()
    assert page.editor.level.text() == "0.98" and page.editor.save_button.text() == "Save changes"
    page.editor.level.setText("0.97")
    page.editor.submit()
    qloop.until(lambda: page.rules.item(0, 4).text() == "0.97")
    assert len(core.alerts.rules) == 1
    page.rules.item(0, 0).setCheckState(Qt.CheckState.Unchecked)
    qloop.until(lambda: page.rules.item(0, 5).text() == "disabled")
    assert [r.enabled for r in core.alerts.rules.values()] == [False]
    page.rules.selectRow(0)
    page.delete_selected()
    qloop.until(lambda: page.rules.rowCount() == 0)
    assert qloop.run(core.alerts.store.rules()) == []


def test_check_now_fills_the_history_and_a_row_opens_its_page(
    qtbot: QtBot, qloop: Loop, core: CoreApp
) -> None:
    window, page = window_on_alerts(qtbot, core)
    fill(page, "price_above", asset="ETH", level="3000", cooldown="0")
    page.editor.submit()
    qloop.until(lambda: page.rules.rowCount() == 1)
    qloop.run(core.prices.set_override(1, "native", "2990"))
    page.check_now()
    qloop.until(lambda: page.rules.item(0, 5).text() == "armed, watching")
    qloop.run(core.prices.set_override(1, "native", "3010"))
    page.check_now()
    qloop.until(lambda: page.history.rowCount() == 1)
    assert page.history.item(0, 2).text() == "ETH@1 is at 3,010 USD, above 3,000 USD"
    assert page.history.item(0, 3).text() == "yes"
    page.history.itemDoubleClicked.emit(page.history.item(0, 2))
    assert window.current_page() == "Portfolio"


def test_pause_from_the_page_and_the_tray_agree(qtbot: QtBot, qloop: Loop, core: CoreApp) -> None:
    window, page = window_on_alerts(qtbot, core)
    tray = Tray(window, lambda: None)
    assert page.pause_button.text() == "Pause alerts" and not tray.pause_action.isChecked()
    page.pause_button.click()
    qloop.until(lambda: tray.pause_action.isChecked())
    assert core.alerts.paused and page.pause_button.text() == "Resume alerts"
    assert "no notification is shown" in page.paused_label.text()
    tray.pause_action.trigger()  # resume from the tray
    qloop.until(lambda: not core.alerts.paused)
    qloop.until(lambda: page.pause_button.text() == "Pause alerts")


def test_tray_lists_recent_alerts_and_a_click_opens_the_page(
    qtbot: QtBot, qloop: Loop, core: CoreApp
) -> None:
    window = MainWindow(core, tray_available=True)
    qtbot.addWidget(window)
    tray = Tray(window, lambda: None)
    qloop.until(lambda: "load alert history" not in core.tasks.names())
    window.hide()  # in the tray
    qloop.run(core.alerts.save_form(RuleForm("price_below", asset="ETH", threshold="1000")))
    qloop.run(core.prices.set_override(1, "native", "1100"))
    qloop.run(core.alerts.check_now())
    qloop.run(core.prices.set_override(1, "native", "900"))
    (fired,) = qloop.run(core.alerts.check_now())
    assert tray.notifier.last == fired
    tray._fill_recent()
    (item,) = tray.recent_menu.actions()
    assert "ETH@1 is at 900 USD, below 1,000 USD" in item.text()
    tray.icon.messageClicked.emit()  # what a click on the balloon emits
    assert window.isVisible() and window.current_page() == "Portfolio"
    window.show_page("Settings")
    item.trigger()
    assert window.current_page() == "Portfolio"
