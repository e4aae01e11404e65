"""The legacy (pre-EIP-1559) fee path: a send through the Wallets page on an anvil node running
the berlin hardfork, where blocks have no base fee and only gasPrice exists."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from core.app import CoreApp
from core.settings import ChainSettings
from core.wallet.secret import Secret
from desktop.flows.send_flow import SendState
from desktop.pages.send_panel import SendPanel
from tests.desktop.conftest import Loop
from tests.desktop.wallet_fixtures import Gui, balance, until
from tests.harness.anvil import TEST_MNEMONIC, AnvilNode, start_anvil

BERLIN_CHAIN = 31338


@pytest.fixture(scope="module")
def berlin() -> Iterator[AnvilNode]:
    node = start_anvil(BERLIN_CHAIN, hardfork="berlin")
    try:
        yield node
    finally:
        node.stop()


@pytest.fixture
def legacy_core(
    qloop: Loop, berlin: AnvilNode, data_dir: Path, secret_service: str
) -> Iterator[CoreApp]:
    app = CoreApp(data_dir, background=False, profile=f"legacy-{data_dir.parent.name}")

    async def start() -> None:
        await app.start()
        chain = ChainSettings(BERLIN_CHAIN, "Berlin", (berlin.url,), "ETH", True, True)
        await app.update_settings(replace(app.settings(), chains=(chain,), price_sources=()))
        app.sender.poll_s = 0.05

    qloop.run(start())
    yield app
    qloop.run(app.stop())


def test_send_on_a_berlin_chain_uses_a_legacy_gas_price(
    qtbot: QtBot, qloop: Loop, legacy_core: CoreApp, berlin: AnvilNode
) -> None:
    assert "baseFeePerGas" not in berlin.rpc("eth_getBlockByNumber", ["latest", False])  # type: ignore[operator]
    made = Gui(legacy_core)
    qtbot.addWidget(made.wallets)
    qloop.run(legacy_core.wallets.import_mnemonic("Old chain", Secret(TEST_MNEMONIC), 3))
    made.wallets.reload()
    qloop.until(lambda: made.wallets.table.rowCount() == 1)
    made.wallets.table.selectRow(0)
    made.wallets.open_panel("send")
    panel = made.wallets.panels["send"]
    assert isinstance(panel, SendPanel)

    async def body() -> None:
        recipient = "0x000000000000000000000000000000000000bEEF"
        before = balance(berlin, recipient)
        panel.to.setText(recipient)
        panel.amount.setText("0.75")
        panel.speed.setCurrentIndex(2)  # fast: 125% of the node's gas price
        panel.review_button.click()
        await until(lambda: panel.flow.state in (SendState.CONFIRMING, SendState.EDITING), 30)
        review = panel.flow.review
        assert review is not None, panel.status.text()
        gas_price = int(str(berlin.rpc("eth_gasPrice")), 16)
        assert review.max_fee == review.expected_fee == 21_000 * (gas_price * 125 // 100)
        panel.confirm_button.click()
        await until(lambda: panel.flow.state in (SendState.DONE, SendState.FAILED), 60)
        assert panel.flow.state is SendState.DONE, panel.flow.message
        assert balance(berlin, recipient) - before == 75 * 10**16
        tx = berlin.rpc("eth_getTransactionByHash", [panel.flow.tx_hash])
        assert isinstance(tx, dict) and int(tx["type"], 16) == 0  # a legacy transaction
        assert int(tx["gasPrice"], 16) == gas_price * 125 // 100

    qloop.run(body())
