"""The Wallets page offscreen, on the real anvil node and the real Secret Service."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from core.app import CoreApp
from core.wallet.derivation import derivation_path, derive_account
from core.wallet.secret import Secret
from desktop.flows.create_wallet_flow import CreateState
from tests.core.wallet.conftest import ANVIL_ACCOUNTS, ANVIL_KEY_1
from tests.desktop import wallet_fixtures
from tests.desktop.conftest import Loop
from tests.desktop.wallet_fixtures import Gui, visible_text
from tests.harness.anvil import TEST_MNEMONIC

wcore = wallet_fixtures.wcore  # the fixture, found by pytest in this module


def gui(qtbot: QtBot, core: CoreApp) -> Gui:
    made = Gui(core)
    qtbot.addWidget(made.wallets)
    qtbot.addWidget(made.activity)
    return made


def stored(qloop: Loop, core: CoreApp) -> list[str]:
    return [w.address for w in qloop.run(core.wallets.list())]


def test_create_shows_the_phrase_once_refuses_a_wrong_re_entry_and_saves_the_right_one(
    qtbot: QtBot, qloop: Loop, wcore: CoreApp
) -> None:
    page = gui(qtbot, wcore).wallets
    page.open_panel("create")
    panel = page.panels["create"]
    panel.name.setText("Fresh")  # type: ignore[attr-defined]
    panel.generate_button.click()  # type: ignore[attr-defined]
    flow = panel.flow  # type: ignore[attr-defined]
    qloop.until(lambda: flow.state is CreateState.SHOWING)
    shown = panel.phrase.text()  # type: ignore[attr-defined]
    words = [part for part in shown.split() if not part.endswith(".")]
    assert len(words) == 12
    phrase = " ".join(words)
    panel.written_button.click()  # type: ignore[attr-defined]
    assert panel.phrase.text() == ""  # type: ignore[attr-defined]
    assert flow.take_phrase_for_display() is None  # shown once, never again
    assert phrase not in visible_text(page)

    wrong = " ".join([words[1], words[0], *words[2:]])
    panel.reentry.setText(wrong)  # type: ignore[attr-defined]
    panel.save_button.click()  # type: ignore[attr-defined]
    qloop.until(lambda: flow.state is CreateState.CONFIRMING and "typed back" in flow.message)
    assert "typed back" in panel.status.text()
    assert stored(qloop, wcore) == []  # a wrong re-entry saves nothing

    panel.reentry.setText(phrase)  # type: ignore[attr-defined]
    panel.save_button.click()  # type: ignore[attr-defined]
    qloop.until(lambda: flow.state is CreateState.DONE)
    expected = derive_account(Secret(phrase), derivation_path(0)).address
    assert stored(qloop, wcore) == [expected]
    qloop.until(lambda: page.table.rowCount() == 1)
    assert page.table.item(0, 2).text() == expected
    assert page.table.item(0, 1).text() == "recovery phrase"
    assert not flow.holds_phrase
    assert phrase not in visible_text(page) and words[5] not in panel.reentry.text()  # type: ignore[attr-defined]


def test_cancel_while_the_phrase_is_shown_saves_nothing(
    qtbot: QtBot, qloop: Loop, wcore: CoreApp
) -> None:
    page = gui(qtbot, wcore).wallets
    page.open_panel("create")
    panel = page.panels["create"]
    panel.name.setText("Abandoned")  # type: ignore[attr-defined]
    panel.generate_button.click()  # type: ignore[attr-defined]
    flow = panel.flow  # type: ignore[attr-defined]
    qloop.until(lambda: flow.state is CreateState.SHOWING)
    panel.cancel_button.click()  # type: ignore[attr-defined]
    assert flow.state is CreateState.IDLE and not flow.holds_phrase
    assert panel.phrase.text() == ""  # type: ignore[attr-defined]
    assert stored(qloop, wcore) == []


def test_import_of_the_anvil_phrase_gives_its_well_known_first_account(
    qtbot: QtBot, qloop: Loop, wcore: CoreApp
) -> None:
    page = gui(qtbot, wcore).wallets
    page.open_panel("import_phrase")
    panel = page.panels["import_phrase"]
    panel.name.setText("Anvil 0")  # type: ignore[attr-defined]
    panel.phrase.setText(TEST_MNEMONIC)  # type: ignore[attr-defined]
    panel.index.setValue(0)  # type: ignore[attr-defined]
    panel.import_button.click()  # type: ignore[attr-defined]
    assert panel.phrase.text() == ""  # type: ignore[attr-defined]  # cleared once handed over
    qloop.until(lambda: page.table.rowCount() == 1)
    assert page.table.item(0, 2).text() == "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
    # Account index 1 through the same form: the second well-known address.
    panel.name.setText("Anvil 1")  # type: ignore[attr-defined]
    panel.phrase.setText(TEST_MNEMONIC)  # type: ignore[attr-defined]
    panel.index.setValue(1)  # type: ignore[attr-defined]
    panel.import_button.click()  # type: ignore[attr-defined]
    qloop.until(lambda: page.table.rowCount() == 2)
    assert page.table.item(1, 2).text() == ANVIL_ACCOUNTS[1]


def test_watch_only_with_a_wrong_checksum_is_a_clear_error(
    qtbot: QtBot, qloop: Loop, wcore: CoreApp
) -> None:
    made = gui(qtbot, wcore)
    page = made.wallets
    page.open_panel("watch")
    panel = page.panels["watch"]
    good = ANVIL_ACCOUNTS[2]
    first_letter = next(i for i, c in enumerate(good) if i > 1 and c.isalpha())
    typo = good[:first_letter] + good[first_letter].swapcase() + good[first_letter + 1 :]
    panel.name.setText("Typo")  # type: ignore[attr-defined]
    panel.address.setText(typo)  # type: ignore[attr-defined]
    panel.add_button.click()  # type: ignore[attr-defined]
    qloop.until(lambda: bool(panel.status.text()))
    assert "wrong EIP-55 checksum" in panel.status.text()
    assert any("checksum" in message for message in made.failures)  # the banner heard it too
    assert stored(qloop, wcore) == []
    panel.address.setText(good.lower())  # type: ignore[attr-defined]  # no checksum: accepted
    panel.add_button.click()  # type: ignore[attr-defined]
    qloop.until(lambda: page.table.rowCount() == 1)
    assert page.table.item(0, 2).text() == good and page.table.item(0, 1).text() == "watch-only"
    page.table.selectRow(0)
    assert not page.buttons["send"].isEnabled() and not page.buttons["export"].isEnabled()


def test_rename_then_export_then_delete_each_confirmed(
    qtbot: QtBot, qloop: Loop, wcore: CoreApp
) -> None:
    page = gui(qtbot, wcore).wallets
    page.open_panel("import_key")
    key_panel = page.panels["import_key"]
    key_panel.name.setText("Keyed")  # type: ignore[attr-defined]
    key_panel.key.setText(ANVIL_KEY_1)  # type: ignore[attr-defined]
    key_panel.import_button.click()  # type: ignore[attr-defined]
    qloop.until(lambda: page.table.rowCount() == 1)
    page.table.selectRow(0)

    page.open_panel("rename")
    rename = page.panels["rename"]
    assert rename.name.text() == "Keyed"  # type: ignore[attr-defined]
    rename.name.setText("Spending")  # type: ignore[attr-defined]
    rename.rename_button.click()  # type: ignore[attr-defined]
    qloop.until(lambda: page.table.item(0, 0).text() == "Spending")
    assert [w.name for w in qloop.run(wcore.wallets.list())] == ["Spending"]

    page.open_panel("export")
    export = page.panels["export"]
    assert not export.export_button.isEnabled()  # type: ignore[attr-defined]  # tick first
    export.understand.setChecked(True)  # type: ignore[attr-defined]
    export.typed.setText(ANVIL_ACCOUNTS[0])  # type: ignore[attr-defined]  # not its address
    export.export_button.click()  # type: ignore[attr-defined]
    qloop.until(lambda: "full address" in export.status.text())
    assert ANVIL_KEY_1[2:] not in visible_text(page)
    export.typed.setText(ANVIL_ACCOUNTS[1])  # type: ignore[attr-defined]
    export.export_button.click()  # type: ignore[attr-defined]
    qloop.until(lambda: ANVIL_KEY_1 in export.secret.toPlainText())  # type: ignore[attr-defined]
    assert not export.understand.isChecked()  # type: ignore[attr-defined]  # once per tick
    export.hide_button.click()  # type: ignore[attr-defined]
    assert ANVIL_KEY_1[2:] not in visible_text(page)

    page.open_panel("delete")
    delete = page.panels["delete"]
    delete.typed.setText("spending")  # type: ignore[attr-defined]
    assert not delete.delete_button.isEnabled()  # type: ignore[attr-defined]
    delete.typed.setText("Spending")  # type: ignore[attr-defined]
    assert delete.delete_button.isEnabled()  # type: ignore[attr-defined]
    delete.delete_button.click()  # type: ignore[attr-defined]
    qloop.until(lambda: page.table.rowCount() == 0)
    assert stored(qloop, wcore) == []
    assert "Deleted Spending" in page.status.text()


def test_the_window_shows_the_wallets_page_and_reloads_it_on_view(
    qtbot: QtBot, qloop: Loop, wcore: CoreApp
) -> None:
    from desktop.pages.wallets_page import WalletsPage
    from desktop.window import MainWindow

    window = MainWindow(wcore)
    qtbot.addWidget(window)
    page = window.pages["Wallets"]
    assert isinstance(page, WalletsPage)
    qloop.run(wcore.wallets.add_watch_only("Seen", ANVIL_ACCOUNTS[0]))
    window.show_page("Wallets")
    qloop.until(lambda: page.table.rowCount() == 1)
    assert page.table.item(0, 0).text() == "Seen"
