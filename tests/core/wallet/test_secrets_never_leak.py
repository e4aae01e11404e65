"""Private keys and mnemonic words never reach the database, logs or exception text."""

from __future__ import annotations

import logging
import pickle
import re
from pathlib import Path

import pytest

from core.app import CoreApp
from core.errors import CoreError
from core.wallet.derivation import new_mnemonic
from core.wallet.secret import Secret
from core.wallet.sender import SendRequest
from tests.core.wallet.conftest import ANVIL_KEY_1
from tests.harness.anvil import AnvilNode

# A fresh mnemonic, not anvil's (whose words "test"/"junk" would appear in any text anyway).
MNEMONIC = new_mnemonic().reveal()


def leaks(blob: bytes) -> list[str]:
    text = blob.decode("latin-1").lower()
    found = []
    key_hex = ANVIL_KEY_1[2:].lower()
    if key_hex in text or bytes.fromhex(key_hex).decode("latin-1").lower() in text:
        found.append("private key")
    # The phrase itself, or any 3 of its words in a row, would give it away.
    words = MNEMONIC.split()
    for i in range(len(words) - 2):
        if re.search(r"\W".join(words[i : i + 3]), text):
            found.append(f"mnemonic words {i + 1}-{i + 3}")
    return found


async def test_db_logs_and_errors_hold_no_secret(
    core: CoreApp, anvil: AnvilNode, data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    errors: list[str] = []
    keyed = await core.wallets.import_private_key("Keyed", Secret(ANVIL_KEY_1))
    phrased = await core.wallets.import_mnemonic("Phrased", Secret(MNEMONIC))
    result = await core.sender.send(
        SendRequest(anvil.chain_id, keyed.id, phrased.address, "0.01"), "leak-check"
    )
    await core.sender.wait(result.intent_id, timeout_s=30)
    # Provoke every refusal we can and keep what it says.
    attempts = [
        core.wallets.import_private_key("Dup", Secret(ANVIL_KEY_1)),
        core.wallets.import_mnemonic("Bad", Secret("zzzz " + " ".join(MNEMONIC.split()[1:]))),
        core.wallets.import_mnemonic("Short", Secret(" ".join(MNEMONIC.split()[:11]))),
        core.wallets.import_private_key("Wrong", Secret(ANVIL_KEY_1[:-2])),
        core.wallets.export_secret(keyed.id, confirm_address="0x0"),
        core.sender.send(SendRequest(anvil.chain_id, phrased.id, keyed.address, "1000"), "x"),
    ]
    for attempt in attempts:
        with pytest.raises(CoreError) as caught:
            await attempt
        errors.append(f"{caught.value!s} {caught.value!r} {caught.value.__cause__!r}")
    await core.db.close()  # flush WAL into the main file before reading it raw
    for path in data_dir.rglob("*"):
        if path.is_file():
            assert leaks(path.read_bytes()) == [], f"secret found in {path.name}"
    assert leaks(caplog.text.encode()) == []
    assert leaks(" ".join(errors).encode()) == []
    await core.db.engine.dispose()


def test_the_secret_box_never_prints_or_pickles_itself() -> None:
    secret = Secret(ANVIL_KEY_1)
    shown = f"{secret} {secret!r} {secret:>80} {[secret]} { ({'k': secret}) }"
    assert ANVIL_KEY_1[2:] not in shown
    with pytest.raises(TypeError):
        pickle.dumps(secret)


def test_the_leak_detector_finds_a_planted_secret() -> None:
    assert leaks(f"log: key={ANVIL_KEY_1}".encode()) == ["private key"]
    assert leaks(f"phrase {MNEMONIC} end".encode())
