"""Settings > Sync offscreen: turn sync on (new account), see status and a real conflict."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from core.app import CoreApp
from core.wallet.secret import Secret
from desktop.operations import Operations
from desktop.pages.settings_page import SettingsPage
from tests.desktop.conftest import Loop
from tests.harness.sync_server import SyncServer, start_sync_server

pytestmark = pytest.mark.usefixtures("secret_service")
WATCHED = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"
PASSPHRASE = "gui passphrase 0c9e2"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[SyncServer]:
    running = start_sync_server(f"sqlite+aiosqlite:///{tmp_path / 'server.sqlite3'}")
    yield running
    running.stop()


def test_turn_on_and_see_a_conflict(
    qtbot: QtBot, qloop: Loop, core: CoreApp, server: SyncServer, tmp_path: Path
) -> None:
    wallet = qloop.run(core.wallets.add_watch_only("Shared", WATCHED))
    page = SettingsPage(core, Operations(core))
    qtbot.addWidget(page)
    box = page.sync_box
    qloop.until(lambda: "sync: off" in box.state.text())
    assert box.connect_button.isVisibleTo(page) and not box.now_button.isVisibleTo(page)

    box.server.setText(server.url)
    box.passphrase.setText(PASSPHRASE)
    box.new_account.setChecked(True)
    box.turn_on()
    assert box.passphrase.text() == ""  # taken, not kept in the widget
    qloop.until(lambda: "sync: on" in box.state.text(), timeout=60)
    token = box.created_token.text()
    assert token.startswith("cos_") and box.created_token.isVisibleTo(page)
    assert box.now_button.isVisibleTo(page) and PASSPHRASE not in box.state.text()

    other = CoreApp(tmp_path / "other", background=False)
    qloop.run(other.start())
    try:
        qloop.run(other.sync.join(server.url, Secret(token), Secret(PASSPHRASE)))
        theirs = qloop.run(other.wallets.list())[0]
        qloop.run(other.wallets.rename(theirs.id, "Renamed elsewhere"))
        qloop.run(core.wallets.rename(wallet.id, "Renamed here"))
        qloop.run(other.sync.sync_now())
    finally:
        qloop.run(other.stop())

    box.sync_now()
    qloop.until(lambda: box.conflicts.rowCount() == 1, timeout=30)
    assert box.conflicts.item(0, 1).text() == "name"
    lost = box.conflicts.item(0, 3).text()
    assert "Renamed" in lost and "unresolved conflicts: 1" in box.state.text()
    box.mark_seen()
    qloop.until(lambda: box.conflicts.rowCount() == 0)
    assert "unresolved conflicts: 0" in box.state.text()
