"""Kill the process at every step of a send; restart; exactly one transaction per key."""

from __future__ import annotations

import signal
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from core.app import CoreApp
from core.settings import ChainSettings
from core.wallet.sender import SendRequest
from tests.harness.anvil import AnvilNode
from tests.harness.parts import REPO

CRASH_ACCOUNT = "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65"  # anvil mnemonic, account 4


def nonce(anvil: AnvilNode) -> int:
    return int(str(anvil.rpc("eth_getTransactionCount", [CRASH_ACCOUNT, "latest"])), 16)


@pytest.mark.parametrize(
    "point", ["after_journal", "after_sign", "after_record", "after_broadcast"]
)
async def test_a_crash_at_any_step_still_makes_exactly_one_transaction(
    point: str, anvil: AnvilNode, data_dir: Path, secret_service: str
) -> None:
    profile = f"crash-{point}"
    key = f"crash-{point}"
    before = nonce(anvil)
    crashed = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.core.wallet.crash_send",
            str(data_dir),
            profile,
            anvil.url,
            str(anvil.chain_id),
            key,
            point,
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr[-2000:]
    assert "ready" in crashed.stdout and "finished" not in crashed.stdout
    on_chain_after_crash = nonce(anvil) - before
    assert on_chain_after_crash == (1 if point == "after_broadcast" else 0)

    app = CoreApp(data_dir, background=False, profile=profile)
    await app.start()
    try:
        chain = ChainSettings(anvil.chain_id, "Anvil", (anvil.url,), "ETH", True, True)
        await app.update_settings(replace(app.settings(), chains=(chain,)))
        app.sender.poll_s = 0.05
        intent = await app.journal.by_key(key)
        assert intent is not None, "the intent must be journaled before anything else happens"
        await app.sender.reconcile()
        result = await app.sender.wait(intent.id, timeout_s=30)
        assert result.state == "confirmed"
        assert nonce(anvil) - before == 1

        # Submitting again with the same key, after recovery, is the same single outcome.
        wallet = await app.wallets.by_address(CRASH_ACCOUNT)
        request = SendRequest(
            anvil.chain_id, wallet.id, "0x90F79bf6EB2c4f870365E785982E1f101E93b906", "0.5"
        )
        again = await app.sender.send(request, key)
        assert again.tx_hash == result.tx_hash
        assert nonce(anvil) - before == 1
        signed = [t for t in await app.journal.transactions(intent.id) if t.state != "rejected"]
        assert len({t.nonce for t in signed}) == 1
    finally:
        await app.stop()
