"""Chain reachability against a real anvil node and a dead port."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from core.app import CoreApp
from core.events import ChainStatusChanged
from core.settings import ChainSettings
from tests.harness.anvil import AnvilNode
from tests.harness.parts import free_port


async def test_online_anvil_and_offline_dead_rpc_are_told_apart(
    anvil: AnvilNode, data_dir: Path
) -> None:
    app = CoreApp(data_dir, background=False)
    await app.start()
    try:
        dead = f"http://127.0.0.1:{free_port()}"
        settings = replace(
            app.settings(),
            chains=(
                ChainSettings(anvil.chain_id, "Anvil", (anvil.url,), "ETH", True, True),
                ChainSettings(999_001, "Dead", (dead,), "ETH", True, True),
            ),
            rpc_timeout_s=2.0,
        )
        await app.update_settings(settings)
        heard: list[ChainStatusChanged] = []
        app.bus.subscribe(ChainStatusChanged, heard.append)

        anvil.rpc("anvil_mine", [3])
        health = await app.check_chains_now()

        head = int(str(anvil.rpc("eth_blockNumber")), 16)
        assert health[anvil.chain_id].online
        assert health[anvil.chain_id].block_number == head
        assert not health[999_001].online
        assert health[999_001].error == "cannot connect"
        assert {e.chain_id: e.online for e in heard} == {anvil.chain_id: True, 999_001: False}

        stored = await app.last_chain_status()
        assert stored[anvil.chain_id].online and not stored[999_001].online
        assert await app.chain_status.offline_since(999_001) is not None
        assert await app.chain_status.offline_since(anvil.chain_id) is None
        titles = [e.title for e in await app.recent_activity()]
        assert "Dead is unreachable" in titles
    finally:
        await app.stop()


async def test_rpc_serving_another_chain_is_not_online(anvil: AnvilNode, data_dir: Path) -> None:
    app = CoreApp(data_dir, background=False)
    await app.start()
    try:
        wrong = ChainSettings(1, "Ethereum", (anvil.url,), "ETH")
        await app.update_settings(replace(app.settings(), chains=(wrong,)))
        health = await app.check_chains_now()
        assert not health[1].online
        assert health[1].error == f"this RPC serves chain {anvil.chain_id}, not 1"
    finally:
        await app.stop()
