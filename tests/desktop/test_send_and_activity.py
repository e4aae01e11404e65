"""Sending through the Wallets page on anvil, and following it in Activity: pending, sped up,
confirmed. Real node, real keychain, offscreen window parts wired through the real bridge."""

from __future__ import annotations

import secrets

from pytestqt.qtbot import QtBot

from core.app import CoreApp
from core.money import format_units
from core.wallet import erc20
from core.wallet.secret import Secret
from core.wallet.tx_history import TxHistory
from desktop.flows.send_flow import SendState
from desktop.pages.send_panel import SendPanel
from desktop.qt import QTableWidgetItem
from tests.desktop import wallet_fixtures
from tests.desktop.conftest import Loop
from tests.desktop.wallet_fixtures import Gui, balance, until
from tests.harness.anvil import TEST_MNEMONIC, AnvilNode

wcore = wallet_fixtures.wcore  # fixtures, found by pytest in this module
manual_mining = wallet_fixtures.manual_mining


def fresh_address() -> str:
    return "0x" + secrets.token_hex(20)


def ready(qtbot: QtBot, qloop: Loop, core: CoreApp, account_index: int) -> tuple[Gui, SendPanel]:
    """The pages with one signing wallet (anvil account ``account_index``) selected."""
    made = Gui(core)
    qtbot.addWidget(made.wallets)
    qtbot.addWidget(made.activity)
    qloop.run(core.wallets.import_mnemonic("Sender", Secret(TEST_MNEMONIC), account_index))
    made.wallets.reload()
    qloop.until(lambda: made.wallets.table.rowCount() == 1)
    made.wallets.table.selectRow(0)
    made.wallets.open_panel("send")
    panel = made.wallets.panels["send"]
    assert isinstance(panel, SendPanel)
    return made, panel


async def review(panel: SendPanel, to: str, amount: str, token: str = "") -> None:
    panel.token.setText(token)
    panel.to.setText(to)
    panel.amount.setText(amount)
    panel.review_button.click()
    await until(lambda: panel.flow.state in (SendState.CONFIRMING, SendState.EDITING), 30)


async def intents(core: CoreApp) -> int:
    return await TxHistory(core.db, core.profile).count()


def test_send_eth_changes_the_balance_once_and_activity_shows_it_confirmed(
    qtbot: QtBot, qloop: Loop, wcore: CoreApp, anvil: AnvilNode
) -> None:
    made, panel = ready(qtbot, qloop, wcore, 7)

    async def body() -> None:
        recipient = fresh_address()

        await review(panel, recipient, "0.0000000000000000001")  # 19 decimals
        assert panel.flow.state is SendState.EDITING
        assert "more than 18 decimal places" in panel.status.text()
        await review(panel, recipient, "1000000")
        assert panel.flow.state is SendState.EDITING and "Not enough ETH" in panel.status.text()
        assert await intents(wcore) == 0  # refusals before review write nothing

        await review(panel, recipient, "1.5")
        assert panel.flow.state is SendState.CONFIRMING, panel.status.text()
        assert (
            "Send 1.5 ETH" in panel.summary.text()
            and "Network fee (normal)" in panel.summary.text()
        )
        panel.confirm_button.click()
        panel.confirm()  # a double click: the flow refuses to send a second time
        await until(lambda: panel.flow.state in (SendState.DONE, SendState.FAILED), 60)
        assert panel.flow.state is SendState.DONE, panel.flow.message
        assert balance(anvil, recipient) == 15 * 10**17
        assert await intents(wcore) == 1
        # The wallet list re-reads the sender's balance after the send: what anvil says now.
        sender = made.wallets.wallets[0].address
        shown = f"{format_units(balance(anvil, sender), 18, max_fraction=6)} ETH on Anvil"
        await until(lambda: (made.wallets.table.item(0, 3) or QTableWidgetItem()).text() == shown)

        transactions = made.activity.transactions
        made.activity.refresh()
        await until(lambda: len(transactions.model.rows) == 1)
        row = transactions.model.rows[0]
        assert row.state == "confirmed" and row.to.lower() == recipient
        cells = [transactions.model.cell(row, c) for c in range(8)]
        assert cells[1] == "Anvil" and cells[2] == "confirmed" and cells[4] == "1.5 ETH"
        assert cells[3] == str(row.nonce) and row.tx_hash and cells[6].startswith(row.tx_hash[:10])

    qloop.run(body())


def test_erc20_amount_is_checked_against_the_token_decimals_then_sent(
    qtbot: QtBot, qloop: Loop, wcore: CoreApp, anvil: AnvilNode, test_token: str
) -> None:
    _, panel = ready(qtbot, qloop, wcore, 5)  # account 5 holds the 6-decimal test token

    async def body() -> None:
        recipient = fresh_address()
        await review(panel, recipient, "1.0000001", test_token)
        assert "more than 6 decimal places" in panel.status.text()
        await review(panel, recipient, "2.5", test_token)
        assert panel.flow.state is SendState.CONFIRMING, panel.status.text()
        assert "Send 2.5 TUSD" in panel.summary.text()
        panel.confirm_button.click()
        await until(lambda: panel.flow.state in (SendState.DONE, SendState.FAILED), 60)
        assert panel.flow.state is SendState.DONE, panel.flow.message
        client = wcore.clients.get(anvil.chain_id)
        assert (await erc20.balance_of(client, test_token, recipient)) == 2_500_000

    qloop.run(body())


def test_pending_send_is_sped_up_from_activity_and_the_replacement_confirms(
    qtbot: QtBot, qloop: Loop, wcore: CoreApp, anvil: AnvilNode, manual_mining: None
) -> None:
    made, panel = ready(qtbot, qloop, wcore, 8)

    async def body() -> None:
        transactions = made.activity.transactions
        made.activity.refresh()
        await until(lambda: transactions.model.exhausted)
        recipient = fresh_address()
        await review(panel, recipient, "0.25")
        panel.confirm_button.click()
        await until(lambda: panel.flow.state is SendState.SUBMITTED, 30)

        # The broadcast event reaches Activity through the bridge: the row appears, pending.
        await until(lambda: bool(transactions.model.rows))
        original = transactions.model.rows[0]
        assert original.state == "pending" and original.tx_hash == panel.flow.tx_hash
        assert transactions.select_intent(original.intent_id)
        assert transactions.speed_up_button.isEnabled() and transactions.cancel_button.isEnabled()
        transactions.speed_up_button.click()
        await until(lambda: transactions.model.rows[0].replacements == 1, 30)
        faster = transactions.model.rows[0]
        assert faster.tx_hash != original.tx_hash and faster.nonce == original.nonce
        assert faster.state == "pending"

        anvil.rpc("evm_mine")
        await until(lambda: transactions.model.rows[0].state == "confirmed", 30)
        await until(lambda: panel.flow.state is SendState.DONE, 30)
        assert transactions.model.rows[0].tx_hash == faster.tx_hash
        assert not transactions.speed_up_button.isEnabled()  # nothing left to replace
        receipt = anvil.rpc("eth_getTransactionReceipt", [faster.tx_hash])
        assert isinstance(receipt, dict) and receipt["status"] == "0x1"
        assert anvil.rpc("eth_getTransactionReceipt", [original.tx_hash]) is None
        assert balance(anvil, recipient) == 25 * 10**16

    qloop.run(body())


def test_pending_send_is_cancelled_from_activity_and_nothing_arrives(
    qtbot: QtBot, qloop: Loop, wcore: CoreApp, anvil: AnvilNode, manual_mining: None
) -> None:
    made, panel = ready(qtbot, qloop, wcore, 9)

    async def body() -> None:
        transactions = made.activity.transactions
        made.activity.refresh()
        await until(lambda: transactions.model.exhausted)
        recipient = fresh_address()
        await review(panel, recipient, "0.5")
        panel.confirm_button.click()
        await until(
            lambda: bool(transactions.model.rows) and transactions.model.rows[0].replaceable
        )
        assert transactions.select_intent(transactions.model.rows[0].intent_id)
        transactions.cancel_button.click()
        await until(lambda: transactions.model.rows[0].replacements == 1, 30)
        anvil.rpc("evm_mine")
        await until(lambda: panel.flow.state is SendState.FAILED, 30)
        await until(lambda: transactions.model.rows[0].state == "failed", 30)
        assert "Cancelled" in panel.flow.message
        assert "Cancelled" in (transactions.model.rows[0].error or "")
        assert balance(anvil, recipient) == 0

    qloop.run(body())
