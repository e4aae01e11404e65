"""A send in its own process, to be killed at a named crash point by test_crash_recovery.py.

argv: data_dir profile rpc_url chain_id key crash_point. Prints the intent id once journaled.
"""

from __future__ import annotations

import asyncio
import os
import sys
from dataclasses import replace
from pathlib import Path

from core.app import CoreApp
from core.errors import WalletError
from core.faults import ENV_CRASH_AT
from core.settings import ChainSettings
from core.wallet.secret import Secret
from core.wallet.sender import SendRequest
from tests.harness.anvil import TEST_MNEMONIC

RECIPIENT = "0x90F79bf6EB2c4f870365E785982E1f101E93b906"


async def main(data_dir: str, profile: str, url: str, chain_id: int, key: str) -> None:
    app = CoreApp(Path(data_dir), background=False, profile=profile)
    await app.start()
    chain = ChainSettings(chain_id, "Anvil", (url,), "ETH", True, True)
    await app.update_settings(replace(app.settings(), chains=(chain,)))
    try:
        wallet = await app.wallets.import_mnemonic("Crash", Secret(TEST_MNEMONIC), account_index=4)
    except WalletError:
        wallet = await app.wallets.by_address("0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65")
    print("ready", flush=True)
    await app.sender.send(SendRequest(chain_id, wallet.id, RECIPIENT, "0.5"), key)
    print("finished", flush=True)
    await app.stop()


if __name__ == "__main__":
    data_dir, profile, url, chain_id, key, point = sys.argv[1:7]
    os.environ[ENV_CRASH_AT] = point
    asyncio.run(main(data_dir, profile, url, int(chain_id), key))
