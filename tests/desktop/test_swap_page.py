"""A whole swap through the Swap page (offscreen), against the provider fakes on anvil."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from core.app import CoreApp
from core.wallet import erc20
from core.wallet.secret import Secret
from desktop.flows.swap_flow import SwapState
from desktop.operations import Operations
from desktop.pages.swap_page import SwapPage
from tests.core.dex.conftest import wire_to_fakes
from tests.desktop.conftest import Loop
from tests.fakes.dex.base import FakeAggregator
from tests.fakes.dex.world import DexWorld
from tests.harness.anvil import TEST_MNEMONIC


@pytest.fixture
def wired(
    qloop: Loop,
    core: CoreApp,
    dex_world: DexWorld,
    fakes: dict[str, FakeAggregator],
    secret_service: str,
) -> Iterator[CoreApp]:
    async def setup() -> None:
        await wire_to_fakes(core, dex_world, fakes)
        wallet = await core.wallets.import_mnemonic("GUI trader", Secret(TEST_MNEMONIC), 12)
        dex_world.fund(wallet.address)
        core.sender.poll_s = 0.05

    qloop.run(setup())
    yield core


def test_quote_pick_confirm_swap(
    qtbot: QtBot,
    qloop: Loop,
    wired: CoreApp,
    dex_world: DexWorld,
) -> None:
    page = SwapPage(wired, Operations(wired))
    qtbot.addWidget(page)
    page.reload()
    qloop.until(lambda: page.wallet.count() == 1)
    page.sell.setText(dex_world.usd.address)
    page.buy.setText("native")
    page.amount.setText("30")
    page.get_quotes()
    qloop.until(lambda: page.flow.state is SwapState.READY and len(page.flow.ranked) == 5)
    assert page.table.rowCount() == 5
    page.table.selectRow(3)
    chosen = page.flow.chosen
    assert chosen == page.flow.ranked[3].quote.provider
    assert page.table.item(3, 0).text().endswith("(chosen)")
    page.swap_button.click()
    assert page.confirm_box.isVisible() or page.flow.state is SwapState.CONFIRMING
    assert "approves exactly 30 DUSD" in page.summary.text()
    client = wired.clients.get(dex_world.chain_id)
    taker = page._wallets[0].address
    before = qloop.run(erc20.balance_of(client, dex_world.usd.address, taker))
    page.confirm_button.click()
    assert not page.quote_button.isEnabled()  # no second swap while one runs
    qloop.until(lambda: page.flow.state in (SwapState.DONE, SwapState.FAILED), timeout=60)
    assert page.flow.state is SwapState.DONE, page.flow.message
    assert f"via {chosen}" in page.status.text() and "confirmed" in page.status.text()
    after = qloop.run(erc20.balance_of(client, dex_world.usd.address, taker))
    assert before - after == 30 * 10**6


def test_no_wallet_is_a_clear_message(
    qtbot: QtBot, qloop: Loop, core: CoreApp, data_dir: Path
) -> None:
    page = SwapPage(core, Operations(core))
    qtbot.addWidget(page)
    page.get_quotes()
    assert "wallet that can sign" in page.status.text()
