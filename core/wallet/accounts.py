"""Wallets: create, import, watch, rename, delete, export. The DB keeps only public data.

Order matters for "a locked keychain gives a clear error and no write": the secret goes to the
keychain first; only when that succeeded is the row written. If the row write then fails, the
keychain entry is removed again, so neither side holds a half-made wallet.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from core.errors import WalletError
from core.storage.db import Database
from core.storage.tables import WalletRow
from core.wallet.addresses import checksum_address
from core.wallet.derivation import (
    DerivedAccount,
    account_from_private_key,
    derivation_path,
    derive_account,
    new_mnemonic,
    normalize_mnemonic,
)
from core.wallet.keystore import Keystore, StoredSecret
from core.wallet.secret import Secret

__all__ = ["Wallet", "WalletService"]


@dataclass(frozen=True)
class Wallet:
    id: int
    name: str
    kind: str  # mnemonic | private_key | watch
    address: str
    derivation_path: str | None
    created_at: datetime

    @property
    def can_sign(self) -> bool:
        return self.kind != "watch"


def _wallet(row: WalletRow) -> Wallet:
    created = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=UTC)
    return Wallet(row.id, row.name, row.kind, row.address, row.derivation_path, created)


def _check_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise WalletError("Give the wallet a name.")
    if len(cleaned) > 100:
        raise WalletError("A wallet name can be at most 100 characters.")
    return cleaned


class WalletService:
    def __init__(self, db: Database, keystore: Keystore, profile: str = "default") -> None:
        self._db = db
        self.keystore = keystore
        self.profile = profile

    # -- reading ---------------------------------------------------------------------------------
    async def list(self) -> list[Wallet]:
        async with self._db.session() as session:
            rows = await session.scalars(
                select(WalletRow).where(WalletRow.profile == self.profile).order_by(WalletRow.id)
            )
            return [_wallet(r) for r in rows]

    async def get(self, wallet_id: int) -> Wallet:
        return _wallet(await self._row(wallet_id))

    async def by_address(self, address: str) -> Wallet:
        address = checksum_address(address)
        async with self._db.session() as session:
            row = await session.scalar(
                select(WalletRow).where(
                    WalletRow.profile == self.profile, WalletRow.address == address
                )
            )
        if row is None:
            raise WalletError(f"No wallet with address {address}.")
        return _wallet(row)

    async def _row(self, wallet_id: int) -> WalletRow:
        async with self._db.session() as session:
            row = await session.get(WalletRow, wallet_id)
        if row is None or row.profile != self.profile:
            raise WalletError(f"No wallet with id {wallet_id}.")
        return row

    # -- creating --------------------------------------------------------------------------------
    async def generate_mnemonic(self, words: int = 12) -> Secret:
        """A fresh phrase to show once. Nothing is stored until it is confirmed by re-entry.

        The keychain is checked first: a phrase shown for a wallet that can never be saved would
        be written down by the person and trusted, for an address nobody kept."""
        await self.keystore.ensure_usable()
        return await asyncio.get_running_loop().run_in_executor(None, new_mnemonic, words)

    async def create_from_mnemonic(
        self, name: str, shown: Secret, reentered: Secret, account_index: int = 0
    ) -> Wallet:
        """Store a newly generated wallet once the person typed the phrase back correctly."""
        loop = asyncio.get_running_loop()
        first = await loop.run_in_executor(None, normalize_mnemonic, shown)
        try:
            again = await loop.run_in_executor(None, normalize_mnemonic, reentered)
        except WalletError as exc:
            raise WalletError(f"The phrase you typed back is not right: {exc}") from None
        if first != again:
            raise WalletError("The phrase you typed back does not match; nothing was saved.")
        return await self.import_mnemonic(name, first, account_index)

    async def import_mnemonic(
        self,
        name: str,
        phrase: Secret,
        account_index: int = 0,
        path_template: str | None = None,
        passphrase: Secret | None = None,
    ) -> Wallet:
        name = _check_name(name)
        path = (
            derivation_path(account_index, path_template)
            if path_template
            else derivation_path(account_index)
        )
        loop = asyncio.get_running_loop()
        derived: DerivedAccount = await loop.run_in_executor(
            None, derive_account, phrase, path, passphrase
        )
        normalized = await loop.run_in_executor(None, normalize_mnemonic, phrase)
        stored = StoredSecret("mnemonic", normalized, path, passphrase)
        return await self._save(name, "mnemonic", derived.address, stored, path)

    async def import_private_key(self, name: str, key: Secret) -> Wallet:
        name = _check_name(name)
        derived = await asyncio.get_running_loop().run_in_executor(
            None, account_from_private_key, key
        )
        stored = StoredSecret("private_key", derived.private_key)
        return await self._save(name, "private_key", derived.address, stored, None)

    async def add_watch_only(self, name: str, address: str) -> Wallet:
        return await self._save(_check_name(name), "watch", checksum_address(address), None, None)

    async def _save(
        self, name: str, kind: str, address: str, stored: StoredSecret | None, path: str | None
    ) -> Wallet:
        await self._refuse_duplicates(name, address)
        ref = Keystore.new_ref() if stored is not None else None
        if stored is not None and ref is not None:
            await self.keystore.store(ref, stored)  # keychain first: a locked one writes nothing
        try:
            async with self._db.session() as session:
                row = WalletRow(
                    profile=self.profile,
                    name=name,
                    kind=kind,
                    address=address,
                    keychain_ref=ref,
                    derivation_path=path,
                    created_at=datetime.now(UTC),
                )
                session.add(row)
                await session.flush()
                wallet = _wallet(row)
        except BaseException:
            if ref is not None:
                await self.keystore.delete(ref)
            raise
        return wallet

    async def _refuse_duplicates(self, name: str, address: str) -> None:
        async with self._db.session() as session:
            clash = await session.scalar(
                select(WalletRow).where(
                    WalletRow.profile == self.profile,
                    (WalletRow.address == address) | (WalletRow.name == name),
                )
            )
        if clash is not None:
            if clash.address == address:
                raise WalletError(f"{address} is already in your wallets as {clash.name!r}.")
            raise WalletError(f"There is already a wallet called {name!r}.")

    # -- changing ----------------------------------------------------------------------------------
    async def rename(self, wallet_id: int, name: str) -> Wallet:
        name = _check_name(name)
        try:
            async with self._db.session() as session:
                row = await session.get(WalletRow, wallet_id)
                if row is None or row.profile != self.profile:
                    raise WalletError(f"No wallet with id {wallet_id}.")
                row.name = name
                await session.flush()
                return _wallet(row)
        except IntegrityError:
            raise WalletError(f"There is already a wallet called {name!r}.") from None

    async def delete(self, wallet_id: int, *, confirm_name: str) -> None:
        """Delete a wallet and its keychain entry. ``confirm_name`` must be its exact name."""
        row = await self._row(wallet_id)
        if confirm_name != row.name:
            raise WalletError("Type the wallet's exact name to confirm deleting it.")
        if row.keychain_ref:
            await self.keystore.delete(row.keychain_ref)
        async with self._db.session() as session:
            target = await session.get(WalletRow, wallet_id)
            if target is not None:
                await session.delete(target)

    async def export_secret(self, wallet_id: int, *, confirm_address: str) -> StoredSecret:
        """Read the secret back for a backup. Re-authentication: the person must type the
        wallet's full address, and the secret is read fresh from the keychain (which may ask the
        OS to unlock)."""
        row = await self._row(wallet_id)
        if row.keychain_ref is None:
            raise WalletError("A watch-only wallet has no secret to export.")
        try:
            typed = checksum_address(confirm_address)
        except WalletError:
            typed = ""
        if typed != row.address:
            raise WalletError("Type the wallet's full address to confirm exporting its secret.")
        return await self.keystore.load(row.keychain_ref)

    async def private_key(self, wallet_id: int) -> Secret:
        """The signing key, for the signer only (never shown)."""
        row = await self._row(wallet_id)
        if row.keychain_ref is None:
            raise WalletError(f"{row.name} is watch-only and cannot sign.")
        stored = await self.keystore.load(row.keychain_ref)
        if stored.kind == "private_key":
            return stored.secret
        path = stored.path or derivation_path(0)
        derived = await asyncio.get_running_loop().run_in_executor(
            None, derive_account, stored.secret, path, stored.passphrase
        )
        if derived.address != row.address:
            raise WalletError("The keychain entry does not match this wallet's address.")
        return derived.private_key
