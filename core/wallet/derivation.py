"""BIP-39 mnemonics and BIP-32/44 derivation of EVM accounts. CPU-heavy: call in an executor.

Errors never repeat the secret: a bad mnemonic is reported by word position, not by the word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from eth_account import Account
from eth_account.hdaccount import (
    ETHEREUM_DEFAULT_PATH,
    Language,
    generate_mnemonic,
    key_from_seed,
    seed_from_mnemonic,
)
from eth_account.hdaccount.mnemonic import Mnemonic

from core.errors import WalletError
from core.wallet.secret import Secret

__all__ = [
    "DEFAULT_PATH_TEMPLATE",
    "DerivedAccount",
    "account_from_private_key",
    "derivation_path",
    "derive_account",
    "new_mnemonic",
    "normalize_mnemonic",
]

Account.enable_unaudited_hdwallet_features()
DEFAULT_PATH_TEMPLATE = "m/44'/60'/0'/0/{index}"
_PATH = re.compile(r"^m(/\d+'?)+$")
_WORDLIST = frozenset(Mnemonic(Language.ENGLISH).wordlist)
assert DEFAULT_PATH_TEMPLATE.format(index=0) == ETHEREUM_DEFAULT_PATH


@dataclass(frozen=True)
class DerivedAccount:
    address: str
    private_key: Secret  # 0x-prefixed hex


def new_mnemonic(words: int = 12) -> Secret:
    if words not in (12, 15, 18, 21, 24):
        raise WalletError("A mnemonic has 12, 15, 18, 21 or 24 words.")
    return Secret(generate_mnemonic(num_words=words, lang=Language.ENGLISH))


def normalize_mnemonic(phrase: Secret) -> Secret:
    """Lower-case, single spaces; refuse unknown words, a wrong count or a bad checksum."""
    words = phrase.reveal().strip().lower().split()
    if len(words) not in (12, 15, 18, 21, 24):
        raise WalletError(
            f"A recovery phrase has 12, 15, 18, 21 or 24 words; this one has {len(words)}."
        )
    for position, word in enumerate(words, start=1):
        if word not in _WORDLIST:
            raise WalletError(f"Word {position} is not in the BIP-39 English word list.")
    normalized = " ".join(words)
    if not Mnemonic(Language.ENGLISH).is_mnemonic_valid(normalized):
        raise WalletError(
            "The recovery phrase's checksum does not match: a word is wrong or out of order."
        )
    return Secret(normalized)


def derivation_path(account_index: int, template: str = DEFAULT_PATH_TEMPLATE) -> str:
    if account_index < 0 or account_index >= 2**31:
        raise WalletError("The account index must be between 0 and 2147483647.")
    path = template.format(index=account_index)
    if not _PATH.match(path):
        raise WalletError(f"{path!r} is not a derivation path like m/44'/60'/0'/0/0.")
    return path


def derive_account(phrase: Secret, path: str, passphrase: Secret | None = None) -> DerivedAccount:
    if not _PATH.match(path):
        raise WalletError(f"{path!r} is not a derivation path like m/44'/60'/0'/0/0.")
    normalized = normalize_mnemonic(phrase)
    seed = seed_from_mnemonic(normalized.reveal(), passphrase.reveal() if passphrase else "")
    key = key_from_seed(seed, path)
    account = Account.from_key(key)
    return DerivedAccount(account.address, Secret("0x" + key.hex()))


def account_from_private_key(key: Secret) -> DerivedAccount:
    text = key.reveal().strip()
    body = text[2:] if text.lower().startswith("0x") else text
    if len(body) != 64:
        raise WalletError(
            f"A private key is 64 hex digits (32 bytes); this one has {len(body)} characters."
        )
    if not re.fullmatch(r"[0-9a-fA-F]{64}", body):
        raise WalletError("A private key may contain only hex digits 0-9 and a-f.")
    value = int(body, 16)
    if not 0 < value < 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141:
        raise WalletError("This private key is outside the valid range for secp256k1.")
    account = Account.from_key(bytes.fromhex(body))
    return DerivedAccount(account.address, Secret("0x" + body.lower()))
