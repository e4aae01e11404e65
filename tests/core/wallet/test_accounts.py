"""Creating, importing, renaming, deleting and exporting wallets with a real Secret Service."""

from __future__ import annotations

import keyring
import pytest

from core.app import CoreApp
from core.errors import InvalidAddressError, WalletError
from core.wallet.secret import Secret
from tests.core.wallet.conftest import ANVIL_ACCOUNTS, ANVIL_KEY_1
from tests.harness.anvil import TEST_MNEMONIC


@pytest.mark.parametrize("index", [0, 1, 2])
async def test_phrase_import_matches_the_anvil_vectors(core: CoreApp, index: int) -> None:
    wallet = await core.wallets.import_mnemonic(f"A{index}", Secret(TEST_MNEMONIC), index)
    assert wallet.address == ANVIL_ACCOUNTS[index]
    assert wallet.derivation_path == f"m/44'/60'/0'/0/{index}"


async def test_key_import_and_export_round_trip(core: CoreApp) -> None:
    wallet = await core.wallets.import_private_key("Key", Secret(ANVIL_KEY_1[2:].upper()))
    assert wallet.address == ANVIL_ACCOUNTS[1]
    with pytest.raises(WalletError, match="full address"):
        await core.wallets.export_secret(wallet.id, confirm_address=ANVIL_ACCOUNTS[0])
    stored = await core.wallets.export_secret(wallet.id, confirm_address=wallet.address.lower())
    assert stored.kind == "private_key" and stored.secret.reveal() == ANVIL_KEY_1


@pytest.mark.parametrize(
    ("phrase", "message"),
    [
        (TEST_MNEMONIC.replace("junk", "junky"), "Word 12 is not in the BIP-39"),
        (" ".join(TEST_MNEMONIC.split()[:11]), "this one has 11"),
        (TEST_MNEMONIC.replace("junk", "test"), "checksum does not match"),
    ],
)
async def test_bad_phrases_are_refused_by_position(
    core: CoreApp, phrase: str, message: str
) -> None:
    with pytest.raises(WalletError, match=message) as caught:
        await core.wallets.import_mnemonic("Bad", Secret(phrase))
    assert "junky" not in str(caught.value)
    assert await core.wallets.list() == []


@pytest.mark.parametrize(
    ("key", "message"),
    [
        (ANVIL_KEY_1[:-2], "64 hex digits"),
        (ANVIL_KEY_1 + "00", "64 hex digits"),
        ("0x" + "zz" * 32, "only hex digits"),
        ("0x" + "00" * 32, "outside the valid range"),
    ],
)
async def test_bad_keys_are_refused(core: CoreApp, key: str, message: str) -> None:
    with pytest.raises(WalletError, match=message):
        await core.wallets.import_private_key("Bad", Secret(key))
    assert await core.wallets.list() == []


async def test_create_needs_the_phrase_typed_back(core: CoreApp) -> None:
    shown = await core.wallets.generate_mnemonic()
    words = shown.reveal().split()
    swapped = Secret(" ".join([words[1], words[0], *words[2:]]))
    with pytest.raises(WalletError):
        await core.wallets.create_from_mnemonic("New", shown, swapped)
    assert await core.wallets.list() == []
    typed = Secret("  " + shown.reveal().upper() + " ")
    wallet = await core.wallets.create_from_mnemonic("New", shown, typed)
    assert wallet.kind == "mnemonic" and wallet.can_sign


async def test_watch_only_rename_delete(core: CoreApp) -> None:
    with pytest.raises(InvalidAddressError, match="checksum"):
        await core.wallets.add_watch_only("W", ANVIL_ACCOUNTS[0][:-1] + "7")
    watch = await core.wallets.add_watch_only("W", ANVIL_ACCOUNTS[0].lower())
    assert watch.address == ANVIL_ACCOUNTS[0] and not watch.can_sign
    with pytest.raises(WalletError, match="already in your wallets"):
        await core.wallets.add_watch_only("W2", ANVIL_ACCOUNTS[0])
    keyed = await core.wallets.import_private_key("K", Secret(ANVIL_KEY_1))
    with pytest.raises(WalletError, match="already a wallet called"):
        await core.wallets.rename(keyed.id, "W")
    assert (await core.wallets.rename(keyed.id, "Savings")).name == "Savings"
    with pytest.raises(WalletError, match="exact name"):
        await core.wallets.delete(keyed.id, confirm_name="savings")
    ref = await _keychain_ref(core, keyed.id)
    assert keyring.get_password(core.wallets.keystore.service, ref) is not None
    await core.wallets.delete(keyed.id, confirm_name="Savings")
    assert keyring.get_password(core.wallets.keystore.service, ref) is None
    assert [w.name for w in await core.wallets.list()] == ["W"]


async def _keychain_ref(core: CoreApp, wallet_id: int) -> str:
    from core.storage.tables import WalletRow

    async with core.db.session() as session:
        row = await session.get(WalletRow, wallet_id)
        assert row is not None and row.keychain_ref is not None
        return row.keychain_ref
