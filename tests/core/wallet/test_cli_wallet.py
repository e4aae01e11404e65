"""The wallet and send commands, run as a person would run them, against anvil."""

from __future__ import annotations

import json
from pathlib import Path

from core.settings import ChainSettings, default_settings, save_settings
from tests.core.wallet.conftest import ANVIL_KEY_1
from tests.harness.anvil import TEST_MNEMONIC, AnvilNode
from tests.harness.cli import run_cli as cli

RECIPIENT = "0x90F79bf6EB2c4f870365E785982E1f101E93b906"


def balance(anvil: AnvilNode, address: str) -> int:
    return int(str(anvil.rpc("eth_getBalance", [address, "latest"])), 16)


def test_import_send_repeat_and_list(anvil: AnvilNode, data_dir: Path, secret_service: str) -> None:
    from dataclasses import replace

    only_anvil = (ChainSettings(anvil.chain_id, "Anvil", (anvil.url,), "ETH", True, True),)
    save_settings(data_dir, replace(default_settings(), chains=only_anvil))

    imported = cli(data_dir, "wallet", "import-key", "--name", "CLI key", stdin=ANVIL_KEY_1 + "\n")
    assert imported.returncode == 0, imported.stderr
    assert "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" in imported.stdout
    assert ANVIL_KEY_1[2:] not in imported.stdout + imported.stderr

    before = balance(anvil, RECIPIENT)
    args = [
        "send",
        "--chain",
        str(anvil.chain_id),
        "--from",
        "CLI key",
        "--to",
        RECIPIENT,
        "--amount",
        "0.75",
        "--yes",
        "--idempotency-key",
        "cli-once",
    ]
    first = cli(data_dir, *args)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("confirmed 0x")
    again = cli(data_dir, *args)
    assert again.returncode == 0 and again.stdout.split()[1] == first.stdout.split()[1]
    assert balance(anvil, RECIPIENT) - before == 750_000_000_000_000_000

    listed = cli(data_dir, "tx", "list")
    assert "confirmed" in listed.stdout and "0.75 native" in listed.stdout


def test_phrase_import_and_clear_errors(data_dir: Path, secret_service: str) -> None:
    ok = cli(
        data_dir,
        "wallet",
        "import-phrase",
        "--name",
        "P",
        "--index",
        "1",
        stdin=TEST_MNEMONIC + "\n",
    )
    assert ok.returncode == 0, ok.stderr
    assert "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" in ok.stdout
    bad = cli(
        data_dir,
        "wallet",
        "import-phrase",
        "--name",
        "Q",
        stdin=TEST_MNEMONIC.replace("junk", "junky") + "\n",
    )
    assert bad.returncode == 2
    assert "Word 12 is not in the BIP-39" in bad.stderr
    assert "junky" not in bad.stderr
    watch = cli(data_dir, "wallet", "watch", "W", "0x90F79bf6EB2c4f870365E785982E1f101E93b907")
    assert watch.returncode == 2 and "checksum" in watch.stderr
    delete = cli(data_dir, "wallet", "delete", "1", "--confirm", "not-the-name")
    assert delete.returncode == 2 and "exact name" in delete.stderr
    assert json.dumps("P") in json.dumps(cli(data_dir, "wallet", "list").stdout.split())
