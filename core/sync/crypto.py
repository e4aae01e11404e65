"""Encryption on the device: Argon2id from the passphrase, AES-256-GCM per change.

The passphrase is stretched with Argon2id (salt and cost stored on the server next to a key
check, none of it secret) into a root key kept in the keychain. Two subkeys come from it with HKDF:
one seals changes, one turns record ids into opaque tags the server can store without learning
them. Every change is sealed with a fresh random 96-bit nonce and its identity (change id, record
tag, device, version) as associated data, so a blob moved, replayed under another id, cut short or
sealed with another key fails to open.
"""

from __future__ import annotations

import base64
import hmac
import os
from dataclasses import dataclass
from hashlib import sha256
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from core.sync.errors import SyncIntegrityError, WrongPassphraseError
from core.wallet.secret import Secret

__all__ = ["KdfParams", "SyncKeys", "derive_root_key", "make_key_check", "verify_key_check"]

_VERSION = b"\x01"
_NONCE = 12
_TAG = 16
_KEY_CHECK_TEXT = b"cryptoorchestrator sync key check v1"


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost. The defaults follow RFC 9106's second recommendation (64 MiB, t=3)."""

    salt: bytes
    iterations: int = 3
    memory_kib: int = 64 * 1024
    lanes: int = 4

    def as_dict(self) -> dict[str, Any]:
        return {
            "alg": "argon2id",
            "salt": base64.b64encode(self.salt).decode(),
            "iterations": self.iterations,
            "memory_kib": self.memory_kib,
            "lanes": self.lanes,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> KdfParams:
        try:
            if data["alg"] != "argon2id":
                raise ValueError("unknown key derivation")
            params = cls(
                base64.b64decode(data["salt"], validate=True),
                int(data["iterations"]),
                int(data["memory_kib"]),
                int(data["lanes"]),
            )
        except (KeyError, ValueError, TypeError) as exc:
            raise SyncIntegrityError(
                "The sync account's key settings on the server are damaged."
            ) from exc
        if len(params.salt) < 16 or params.memory_kib < 8 * params.lanes or params.iterations < 1:
            raise SyncIntegrityError("The sync account's key settings on the server are invalid.")
        return params

    @classmethod
    def fresh(cls, *, iterations: int = 3, memory_kib: int = 64 * 1024) -> KdfParams:
        return cls(os.urandom(16), iterations, memory_kib)


def derive_root_key(passphrase: Secret, params: KdfParams) -> Secret:
    """Slow on purpose (tens to hundreds of ms): call it in an executor."""
    text = passphrase.reveal()
    if len(text) < 8:
        raise WrongPassphraseError("A sync passphrase needs at least 8 characters.")
    kdf = Argon2id(
        salt=params.salt,
        length=32,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    )
    return Secret(base64.b64encode(kdf.derive(text.encode("utf-8"))).decode())


def _subkey(root: bytes, label: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=label).derive(root)


class SyncKeys:
    """The two working keys, derived once from the root key."""

    __slots__ = ("_aead", "_tag_key")

    def __init__(self, root: Secret) -> None:
        raw = base64.b64decode(root.reveal())
        if len(raw) != 32:
            raise SyncIntegrityError("The stored sync key is damaged; set up sync again.")
        self._aead = AESGCM(_subkey(raw, b"co-sync/v1/seal"))
        self._tag_key = _subkey(raw, b"co-sync/v1/record-tag")

    def __repr__(self) -> str:
        return "SyncKeys(<secret>)"

    def __reduce__(self) -> Any:
        raise TypeError("keys cannot be pickled")

    def record_tag(self, kind: str, record_id: str) -> str:
        """An opaque, stable tag for a record: equal records get equal tags, nothing more."""
        message = f"{kind}\x00{record_id}".encode()
        return hmac.new(self._tag_key, message, sha256).hexdigest()[:32]

    def seal(self, plaintext: bytes, associated: bytes) -> bytes:
        nonce = os.urandom(_NONCE)
        return _VERSION + nonce + self._aead.encrypt(nonce, plaintext, associated)

    def open(self, blob: bytes, associated: bytes, what: str) -> bytes:
        if len(blob) < 1 + _NONCE + _TAG:
            raise SyncIntegrityError(f"{what} is truncated; it was not applied.")
        if blob[:1] != _VERSION:
            raise SyncIntegrityError(f"{what} uses an unknown format; it was not applied.")
        try:
            return self._aead.decrypt(blob[1 : 1 + _NONCE], blob[1 + _NONCE :], associated)
        except InvalidTag:
            raise SyncIntegrityError(
                f"{what} failed its integrity check: it was altered, cut short, replayed under "
                "another identity, or sealed with a different sync passphrase. It was not applied.",
            ) from None


def make_key_check(keys: SyncKeys) -> str:
    return base64.b64encode(keys.seal(_KEY_CHECK_TEXT, b"key-check")).decode()


def verify_key_check(keys: SyncKeys, check: str) -> None:
    try:
        blob = base64.b64decode(check, validate=True)
        ok = keys.open(blob, b"key-check", "The key check") == _KEY_CHECK_TEXT
    except (ValueError, SyncIntegrityError):
        ok = False
    if not ok:
        raise WrongPassphraseError(
            "This passphrase does not open the sync account. Use the passphrase chosen on the "
            "first device; nothing was changed."
        )
