"""The main window offscreen: navigation, honest placeholders, settings editing, close-to-tray."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from pytestqt.qtbot import QtBot

from core.app import CoreApp
from core.events import TaskFailed
from core.settings import ChainSettings, load_settings
from desktop.pages.not_built import NotBuiltPage
from desktop.qt import Qt
from desktop.window import PAGES, MainWindow
from tests.desktop.conftest import Loop
from tests.harness.anvil import AnvilNode
from tests.harness.parts import free_port


def make_window(qtbot: QtBot, core: CoreApp, tray: bool = False) -> MainWindow:
    window = MainWindow(core, tray_available=tray)
    qtbot.addWidget(window)
    window.show()
    return window


def test_every_feature_has_a_page_and_unbuilt_ones_say_so(
    qtbot: QtBot, qloop: Loop, core: CoreApp
) -> None:
    window = make_window(qtbot, core)
    assert [window.nav.item(i).text() for i in range(window.nav.count())] == list(PAGES)
    for name in PAGES:
        page = window.pages[name]
        if isinstance(page, NotBuiltPage):
            assert "Not built yet" in page.notice.text()
        window.show_page(name)  # each page comes into view (and reloads what it shows)
        assert window.current_page() == name
    for built in ("Portfolio", "Swap", "Activity", "Settings"):
        assert not isinstance(window.pages[built], NotBuiltPage)
    window.show_page("Settings")
    assert window.current_page() == "Settings"


def test_settings_page_saves_a_custom_chain_to_disk(
    qtbot: QtBot, qloop: Loop, core: CoreApp, data_dir: Path
) -> None:
    window = make_window(qtbot, core)
    page = window.settings_page
    page.new_id.setText("31337")
    page.new_name.setText("Local anvil")
    page.new_rpc.setText("http://127.0.0.1:8545")
    page.add_chain()
    page.fiat.setCurrentText("EUR")
    page.save()
    qloop.until(lambda: page.status.text() == "Saved.")
    stored = load_settings(data_dir)
    assert stored.fiat == "EUR"
    assert stored.chain(31337).rpc_urls == ("http://127.0.0.1:8545",)
    assert stored.chain(31337).custom
    assert 31337 in window.chain_status.labels


def test_a_bad_rpc_is_refused_clearly_and_nothing_is_lost(
    qtbot: QtBot, qloop: Loop, core: CoreApp, data_dir: Path
) -> None:
    window = make_window(qtbot, core)
    page = window.settings_page
    before = core.settings()
    page.chains.item(0, 4).setText("ftp://not-an-rpc")
    page.save()
    qloop.until(lambda: page.status.text().startswith("Not saved"))
    assert "is not an RPC address" in page.status.text()
    assert window.banner.isVisible() and "is not an RPC address" in window.banner.message.text()
    assert core.settings() == before
    assert not (data_dir / "settings.json").exists()
    assert page.chains.item(0, 4).text() == "ftp://not-an-rpc"  # the edit is still there to fix


def test_status_bar_and_activity_follow_real_chain_checks(
    qtbot: QtBot, qloop: Loop, core: CoreApp, anvil: AnvilNode
) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    chains = (
        ChainSettings(anvil.chain_id, "Anvil", (anvil.url,), "ETH", True, True),
        ChainSettings(424242, "Gone", (dead,), "ETH", True, True),
    )
    # a refused connection answers at once; the timeout only has to outlast a busy machine
    qloop.run(core.update_settings(replace(core.settings(), chains=chains, rpc_timeout_s=10.0)))
    window = make_window(qtbot, core)
    qloop.run(core.check_chains_now())
    qloop.until(lambda: window.chain_status.online.get(424242) is False)
    assert window.chain_status.online[anvil.chain_id] is True
    assert "Block" in window.chain_status.labels[anvil.chain_id].toolTip()
    assert "cannot connect" in window.chain_status.labels[424242].toolTip()
    window.show_page("Activity")
    table = window.activity_page.table
    qloop.until(lambda: table.rowCount() > 0)
    titles = [table.item(r, 2).text() for r in range(table.rowCount())]
    assert "Gone is unreachable" in titles


def test_task_failures_reach_the_one_error_banner(qtbot: QtBot, qloop: Loop, core: CoreApp) -> None:
    window = make_window(qtbot, core)
    core.bus.publish(TaskFailed("refresh", "Network problem", "Base did not answer."))
    assert window.banner.isVisible()
    assert window.banner.message.text() == "Base did not answer."


def test_close_hides_to_tray_and_quit_really_closes(
    qtbot: QtBot, qloop: Loop, core: CoreApp
) -> None:
    window = make_window(qtbot, core, tray=True)
    closed: list[bool] = []
    window.closed.connect(lambda: closed.append(True))
    window.close()
    assert not window.isVisible() and closed == []
    window.show()
    window.quitting = True
    window.close()
    assert closed == [True]


def test_without_a_tray_closing_the_window_quits(qtbot: QtBot, qloop: Loop, core: CoreApp) -> None:
    window = make_window(qtbot, core, tray=False)
    closed: list[bool] = []
    window.closed.connect(lambda: closed.append(True))
    window.close()
    assert closed == [True]


def test_chain_rows_can_be_switched_off(qtbot: QtBot, qloop: Loop, core: CoreApp, data_dir: Path):
    window = make_window(qtbot, core)
    page = window.settings_page
    page.chains.item(0, 0).setCheckState(Qt.CheckState.Unchecked)
    first_id = int(page.chains.item(0, 1).text())
    page.save()
    qloop.until(lambda: page.status.text() == "Saved.")
    assert load_settings(data_dir).chain(first_id).enabled is False
    assert first_id not in window.chain_status.labels
