"""After the GUI's secret-handling flows (create, import key, export), neither the database
files nor the log output hold a mnemonic or a private key."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from core.app import CoreApp
from desktop.flows.create_wallet_flow import CreateState
from tests.core.wallet.conftest import ANVIL_ACCOUNTS, ANVIL_KEY_1
from tests.desktop import wallet_fixtures
from tests.desktop.conftest import Loop
from tests.desktop.wallet_fixtures import Gui

wcore = wallet_fixtures.wcore  # the fixture, found by pytest in this module


def leaks(blob: bytes, words: list[str]) -> list[str]:
    text = blob.decode("latin-1").lower()
    found = []
    key_hex = ANVIL_KEY_1[2:].lower()
    if key_hex in text or bytes.fromhex(key_hex).decode("latin-1").lower() in text:
        found.append("private key")
    for i in range(len(words) - 2):  # any 3 words of the phrase in a row would give it away
        if re.search(r"\W".join(words[i : i + 3]), text):
            found.append(f"mnemonic words {i + 1}-{i + 3}")
    return found


def test_no_phrase_or_key_in_the_database_or_the_logs(
    qtbot: QtBot,
    qloop: Loop,
    wcore: CoreApp,
    data_dir: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    made = Gui(wcore)
    page = made.wallets
    qtbot.addWidget(page)

    page.open_panel("create")  # a fresh phrase, typed back wrong once and then right
    create = page.panels["create"]
    create.name.setText("Created")  # type: ignore[attr-defined]
    create.generate_button.click()  # type: ignore[attr-defined]
    qloop.until(lambda: create.flow.state is CreateState.SHOWING)  # type: ignore[attr-defined]
    words = [p for p in create.phrase.text().split() if not p.endswith(".")]  # type: ignore[attr-defined]
    create.written_button.click()  # type: ignore[attr-defined]
    create.reentry.setText(" ".join(words[:-1]))  # type: ignore[attr-defined]
    create.save_button.click()  # type: ignore[attr-defined]
    qloop.until(lambda: "typed back" in create.flow.message)  # type: ignore[attr-defined]
    create.reentry.setText(" ".join(words))  # type: ignore[attr-defined]
    create.save_button.click()  # type: ignore[attr-defined]
    qloop.until(lambda: create.flow.state is CreateState.DONE)  # type: ignore[attr-defined]

    page.open_panel("import_key")  # a key, then the same key again (a refusal)
    key_panel = page.panels["import_key"]
    for name, done in (
        ("Keyed", lambda: page.table.rowCount() == 2),
        ("Again", lambda: "already in your wallets" in key_panel.status.text()),
    ):
        key_panel.name.setText(name)  # type: ignore[attr-defined]
        key_panel.key.setText(ANVIL_KEY_1)  # type: ignore[attr-defined]
        key_panel.import_button.click()  # type: ignore[attr-defined]
        qloop.until(done)

    for row, address in ((0, None), (1, ANVIL_ACCOUNTS[1])):  # export both, shown then hidden
        page.table.selectRow(row)
        page.open_panel("export")
        export = page.panels["export"]
        export.understand.setChecked(True)  # type: ignore[attr-defined]
        export.typed.setText(address or page.wallets[0].address)  # type: ignore[attr-defined]
        export.export_button.click()  # type: ignore[attr-defined]
        qloop.until(lambda e=export: bool(e.secret.toPlainText()))  # type: ignore[attr-defined,misc]
        export.hide_button.click()  # type: ignore[attr-defined]

    assert leaks(b"x " + " ".join(words).encode(), words)  # the detector does see the phrase
    qloop.run(wcore.db.close())  # flush the WAL into the main file before reading it raw
    files = [p for p in data_dir.rglob("*") if p.is_file()]
    assert any(p.suffix == ".sqlite3" for p in files)
    for path in files:
        assert leaks(path.read_bytes(), words) == [], f"secret found in {path.name}"
    assert leaks(caplog.text.encode(), words) == []
    assert "typed back" in caplog.text  # the refusal itself was logged, without the words
    qloop.run(wcore.db.engine.dispose())
