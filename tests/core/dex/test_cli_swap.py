"""`cryptoorchestrator quote` and `swap --yes --idempotency-key K` against the fakes and anvil."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from pathlib import Path

from core.settings import ChainSettings, default_settings, save_settings
from tests.core.dex.conftest import provider_settings
from tests.fakes.dex import okx as fake_okx
from tests.fakes.dex import zeroex as fake_zeroex
from tests.fakes.dex.base import FakeAggregator
from tests.fakes.dex.world import DexWorld
from tests.harness.anvil import TEST_MNEMONIC
from tests.harness.cli import run_cli

# swaps wait for receipts on anvil: more time than the other CLI tests
cli = partial(run_cli, timeout=180)


def test_quote_then_swap_once(
    dex_world: DexWorld, fakes: dict[str, FakeAggregator], data_dir: Path, secret_service: str
) -> None:
    chain = ChainSettings(dex_world.chain_id, "Anvil", (dex_world.anvil.url,), "ETH", True, True)
    save_settings(
        data_dir,
        replace(
            default_settings(),
            chains=(chain,),
            providers=provider_settings(dex_world, fakes),
            price_sources=(),
        ),
    )
    assert (
        cli(data_dir, "providers", "set-key", "0x", stdin=fake_zeroex.API_KEY + "\n").returncode
        == 0
    )
    okx_keys = f"{fake_okx.API_KEY}\n{fake_okx.SECRET}\n{fake_okx.PASSPHRASE}\n"
    assert cli(data_dir, "providers", "set-key", "okx", stdin=okx_keys).returncode == 0
    imported = cli(
        data_dir,
        "wallet",
        "import-phrase",
        "--name",
        "CLI trader",
        "--index",
        "8",
        stdin=TEST_MNEMONIC + "\n",
    )
    assert imported.returncode == 0, imported.stderr
    trader = imported.stdout.split()[-1]
    dex_world.fund(trader)

    common = [
        "--chain",
        str(dex_world.chain_id),
        "--sell",
        dex_world.usd.address,
        "--buy",
        "native",
        "--amount",
        "30",
    ]
    quoted = cli(data_dir, "quote", *common, "--taker", trader)
    assert quoted.returncode == 0, quoted.stderr
    rows = quoted.stdout.splitlines()[1:]
    assert {row.split()[0] for row in rows} == {"0x", "okx", "rubic", "kyberswap", "paraswap"}
    # 30 DUSD at 3000 DUSD/ETH through the router's integer rate, shown truncated, never rounded up
    assert all(row.split()[1] == "0.00999999" for row in rows)
    assert all("unknown" in row for row in rows)  # no price source here: no fiat figures

    before = int(str(dex_world.anvil.rpc("eth_getBalance", [trader, "latest"])), 16)
    args = ["swap", *common, "--from", "CLI trader", "--yes", "--idempotency-key", "cli-swap-1"]
    first = cli(data_dir, *args)
    assert first.returncode == 0, first.stderr
    swap_line = first.stdout.splitlines()[-1]
    assert swap_line.startswith("swap confirmed 0x")
    assert "approval confirmed" in first.stdout
    again = cli(data_dir, *args)
    assert (
        again.returncode == 0 and again.stdout.splitlines()[-1].split()[2] == swap_line.split()[2]
    )
    after = int(str(dex_world.anvil.rpc("eth_getBalance", [trader, "latest"])), 16)
    assert 0 < after - before <= 10**16  # received 0.01 ETH once, less gas
