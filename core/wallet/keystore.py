"""Wallet secrets in the OS keychain, and nowhere else.

One keychain service per profile (``CryptoOrchestrator/<profile>``); each wallet's secret is an
entry named by its ``keychain_ref``. The stored value is a small JSON document (kind + secret) so a
mnemonic keeps its derivation path. Every call blocks (D-Bus, an unlock prompt) and runs in an
executor. Library errors are translated without their text, which could echo what was stored.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import secrets
from collections.abc import Callable
from typing import TypeVar

import keyring
import keyring.backend
import keyring.errors

from core.errors import CoreError, KeychainLockedError, KeychainUnavailableError, WalletError
from core.keychain import NO_KEYCHAIN_HELP, probe_keychain, real_backend
from core.wallet.secret import Secret

__all__ = ["Keystore", "StoredSecret"]

T = TypeVar("T")


class StoredSecret:
    """What a keychain entry holds: ``kind`` is "mnemonic" or "private_key"."""

    __slots__ = ("kind", "passphrase", "path", "secret")

    def __init__(
        self, kind: str, secret: Secret, path: str | None = None, passphrase: Secret | None = None
    ) -> None:
        self.kind = kind
        self.secret = secret
        self.path = path
        self.passphrase = passphrase

    def __repr__(self) -> str:
        return f"StoredSecret(kind={self.kind!r}, path={self.path!r}, secret=<secret>)"

    def dumps(self) -> str:
        body = {"v": 1, "kind": self.kind, "secret": self.secret.reveal(), "path": self.path}
        if self.passphrase is not None:
            body["passphrase"] = self.passphrase.reveal()
        return json.dumps(body)

    @classmethod
    def loads(cls, text: str) -> StoredSecret:
        try:
            body = json.loads(text)
            passphrase = body.get("passphrase")
            return cls(
                str(body["kind"]),
                Secret(str(body["secret"])),
                body.get("path"),
                Secret(passphrase) if passphrase else None,
            )
        except (ValueError, KeyError, TypeError):
            raise WalletError("The keychain entry for this wallet is damaged.") from None


class Keystore:
    def __init__(self, profile: str, backend: keyring.backend.KeyringBackend | None = None) -> None:
        self.service = f"CryptoOrchestrator/{profile}"
        self._backend = backend

    def _keyring(self) -> keyring.backend.KeyringBackend:
        chosen = real_backend(self._backend or keyring.get_keyring())
        if chosen is None:
            # Refuse plaintext/file backends too: a key in a file is what we promise never to do.
            raise KeychainUnavailableError(NO_KEYCHAIN_HELP)
        return chosen

    @staticmethod
    def new_ref() -> str:
        return f"wallet-{secrets.token_hex(8)}"

    async def _call(self, action: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(None, self._guarded, action)

    def _guarded(self, action: Callable[[], T]) -> T:
        try:
            return action()
        except CoreError:
            raise
        except keyring.errors.KeyringLocked:
            raise KeychainLockedError(
                "The keychain is locked. Unlock it and try again; nothing was changed."
            ) from None
        except keyring.errors.PasswordSetError:
            raise KeychainUnavailableError(
                "The keychain refused to store the secret; nothing was saved."
            ) from None
        except Exception as exc:  # D-Bus, secretstorage and platform errors come in many types
            # `from None`: the library's message or context could include the stored value.
            raise KeychainUnavailableError(
                f"The keychain failed ({type(exc).__name__}); nothing was changed."
            ) from None

    async def ensure_usable(self) -> None:
        """A real write/read/delete round trip; raises the clear keychain error when it fails."""
        status = await asyncio.get_running_loop().run_in_executor(
            None, probe_keychain, self._backend or keyring.get_keyring()
        )
        if not status.usable:
            raise KeychainUnavailableError(status.message)

    async def store(self, ref: str, stored: StoredSecret) -> None:
        payload = stored.dumps()

        def put() -> None:
            backend = self._keyring()
            backend.set_password(self.service, ref, payload)
            if backend.get_password(self.service, ref) != payload:
                raise KeychainUnavailableError("The keychain did not keep the secret.")

        await self._call(put)

    async def load(self, ref: str) -> StoredSecret:
        text = await self._call(lambda: self._keyring().get_password(self.service, ref))
        if text is None:
            raise WalletError(
                "This wallet's key is missing from the keychain (deleted outside the app?).",
                hint="re-import the wallet from its recovery phrase or private key",
            )
        return StoredSecret.loads(text)

    async def store_text(self, ref: str, secret: Secret) -> None:
        """A plain secret (an API key) under ``ref``."""
        payload = secret.reveal()
        await self._call(lambda: self._keyring().set_password(self.service, ref, payload))

    async def load_text(self, ref: str) -> Secret | None:
        text = await self._call(lambda: self._keyring().get_password(self.service, ref))
        return Secret(text) if text is not None else None

    async def delete(self, ref: str) -> None:
        def remove() -> None:
            # Already gone is fine: deleting is idempotent.
            with contextlib.suppress(keyring.errors.PasswordDeleteError):
                self._keyring().delete_password(self.service, ref)

        await self._call(remove)
