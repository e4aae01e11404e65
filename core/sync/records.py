"""Which local rows become sync records, and how records are written back.

A source reads its rows as ``{record_id: fields}`` (JSON values only) and applies changed records
inside the caller's session. Only public data is ever read: a wallet record is its address and
label (a wallet with a key on one device arrives elsewhere as watch-only); keychain references,
keys, mnemonics and API secrets are never fields. Settings are handled in settings_records.py.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.portfolio.tables import (
    HoldingRow,
    LedgerRow,
    PriceOverrideRow,
    SnapshotRow,
    UserTokenRow,
)
from core.storage.tables import WalletRow
from core.wallet.addresses import checksum_address

__all__ = [
    "Fields",
    "RecordSource",
    "SnapshotSource",
    "TableSource",
    "Update",
    "WalletSource",
    "ledger_source",
    "price_override_source",
    "token_source",
]

log = logging.getLogger(__name__)
Fields = dict[str, Any]
#: (what the record was, what it is now); None means absent or deleted
Update = tuple[Fields | None, Fields | None]


class RecordSource(Protocol):
    kind: str

    async def read(
        self, session: AsyncSession, only: dict[str, Fields] | None = None
    ) -> dict[str, Fields]:
        """Every record, or only those in ``only`` (record id -> what is known of its fields,
        which a source may use to narrow its query)."""
        ...

    async def apply(self, session: AsyncSession, updates: dict[str, Update]) -> None: ...


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat()


def _moment(text: Any) -> datetime:
    return datetime.fromisoformat(str(text)).astimezone(UTC)


@dataclass(frozen=True)
class _Codec:
    encode: Callable[[Any], Any]
    decode: Callable[[Any], Any]


_PLAIN = _Codec(lambda v: v, lambda v: v)
_TIME = _Codec(_iso, _moment)


class TableSource:
    """A table whose rows map one-to-one to records, keyed by some of their columns."""

    def __init__(
        self,
        kind: str,
        model: Any,
        key: tuple[str, ...],
        columns: dict[str, _Codec],
        scope: dict[str, Any] | None = None,
        on_insert: Callable[[], dict[str, Any]] | None = None,
    ) -> None:
        self.kind = kind
        self._model = model
        self._key = key
        self._columns = columns
        self._scope = scope or {}
        self._on_insert = on_insert or dict

    def _record_id(self, fields: Fields) -> str:
        return ":".join(str(fields[k]) for k in self._key)

    async def read(
        self, session: AsyncSession, only: dict[str, Fields] | None = None
    ) -> dict[str, Fields]:
        query = select(self._model).where(
            *(getattr(self._model, k) == v for k, v in self._scope.items())
        )
        last = self._key[-1]
        if only is not None and all(last in f for f in only.values()):
            decode = self._columns[last].decode
            query = query.where(
                getattr(self._model, last).in_({decode(f[last]) for f in only.values()})
            )
        out: dict[str, Fields] = {}
        for row in (await session.execute(query)).scalars():
            fields = {name: c.encode(getattr(row, name)) for name, c in self._columns.items()}
            out[self._record_id(fields)] = fields
        return out if only is None else {k: v for k, v in out.items() if k in only}

    async def apply(self, session: AsyncSession, updates: dict[str, Update]) -> None:
        targets = [(old, new, new if new is not None else old) for old, new in updates.values()]
        targets = [t for t in targets if t[2] is not None and all(k in t[2] for k in self._key)]
        # One query for the page's rows: narrow by the last key column, match the rest here.
        last = self._key[-1]
        wanted = {self._columns[last].decode(t[2][last]) for t in targets if t[2] is not None}
        rows: dict[str, Any] = {}
        if wanted:
            query = select(self._model).where(
                *(getattr(self._model, k) == v for k, v in self._scope.items()),
                getattr(self._model, last).in_(wanted),
            )
            for row in (await session.execute(query)).scalars():
                fields = {k: self._columns[k].encode(getattr(row, k)) for k in self._key}
                rows[self._record_id(fields)] = row
        fresh: list[dict[str, Any]] = []
        for _old, new, target in targets:
            assert target is not None
            row = rows.get(self._record_id(_normal_key(target, self._key)))
            if new is None:
                if row is not None:
                    await session.delete(row)
                continue
            values = {
                name: codec.decode(new[name])
                for name, codec in self._columns.items()
                if name in new
            }
            if row is None:
                fresh.append({**self._scope, **self._on_insert(), **values})
            else:
                for name, value in values.items():
                    setattr(row, name, value)
        if fresh:
            # New rows in one bulk insert: a pulled page is mostly rows this device lacks.
            await session.execute(insert(self._model), fresh)
        await session.flush()


def _normal_key(fields: Fields, key: tuple[str, ...]) -> Fields:
    return {k: fields[k] for k in key}


def token_source() -> TableSource:
    """The token watch-list: ERC-20s the person added by hand."""
    return TableSource(
        "token",
        UserTokenRow,
        ("chain_id", "address"),
        {"chain_id": _PLAIN, "address": _PLAIN, "symbol": _PLAIN, "decimals": _PLAIN},
        on_insert=lambda: {"added_at": datetime.now(UTC)},
    )


def price_override_source() -> TableSource:
    return TableSource(
        "price_override",
        PriceOverrideRow,
        ("chain_id", "token"),
        {"chain_id": _PLAIN, "token": _PLAIN, "price": _PLAIN, "set_at": _TIME},
    )


def ledger_source(profile: str) -> TableSource:
    """Manual and imported transactions (and the app's own trades), one record per entry."""
    columns = {
        name: _PLAIN
        for name in ("kind", "asset", "amount", "price", "fee", "fiat", "source", "external_id")
    }
    columns["occurred_at"] = _TIME
    columns["notes"] = _PLAIN
    return TableSource(
        "ledger", LedgerRow, ("source", "external_id"), columns, scope={"profile": profile}
    )


class WalletSource:
    """Wallets' public face: address and label. Keys stay where they are; elsewhere the wallet
    appears watch-only. A synced delete removes only watch-only wallets: a wallet whose key is on
    this device is kept (and so comes back on the others), never deleted behind the person's back.
    """

    kind = "wallet"

    def __init__(self, profile: str) -> None:
        self._profile = profile

    async def read(
        self, session: AsyncSession, only: dict[str, Fields] | None = None
    ) -> dict[str, Fields]:
        rows = await session.execute(select(WalletRow).where(WalletRow.profile == self._profile))
        return {
            row.address.lower(): {"address": row.address, "name": row.name}
            for row in rows.scalars()
            if only is None or row.address.lower() in only
        }

    async def apply(self, session: AsyncSession, updates: dict[str, Update]) -> None:
        rows = {
            row.address.lower(): row
            for row in (
                await session.execute(select(WalletRow).where(WalletRow.profile == self._profile))
            ).scalars()
        }
        names = {row.name for row in rows.values()}
        for record_id, (_old, new) in updates.items():
            row = rows.get(record_id)
            if new is None:
                if row is not None and row.kind == "watch" and row.keychain_ref is None:
                    await session.delete(row)
                    names.discard(row.name)
                elif row is not None:
                    log.info("kept wallet %s: its key is on this device", row.address)
                continue
            name = str(new.get("name") or "Wallet")
            if row is not None and row.name == name:
                continue
            if name in names:
                name = f"{name} ({record_id[2:8]})"
            if row is None:
                address = checksum_address(str(new["address"]))
                row = WalletRow(
                    profile=self._profile,
                    name=name,
                    kind="watch",
                    address=address,
                    keychain_ref=None,
                    derivation_path=None,
                    created_at=datetime.now(UTC),
                )
                session.add(row)
                rows[record_id] = row
            else:
                names.discard(row.name)
                row.name = name
            names.add(name)
            await session.flush()


class SnapshotSource:
    """Portfolio snapshots with their holdings (demo snapshots never sync)."""

    kind = "snapshot"

    def __init__(self, profile: str) -> None:
        self._profile = profile

    async def read(
        self, session: AsyncSession, only: dict[str, Fields] | None = None
    ) -> dict[str, Fields]:
        query = select(SnapshotRow).where(
            SnapshotRow.profile == self._profile, SnapshotRow.demo.is_(False)
        )
        if only is not None:
            query = query.where(SnapshotRow.taken_at.in_([_moment(rid) for rid in only]))
        snapshots = (await session.execute(query)).scalars()
        by_id = {s.id: s for s in snapshots}
        holdings: dict[int, list[list[Any]]] = {i: [] for i in by_id}
        if by_id:
            rows = await session.execute(
                select(HoldingRow)
                .where(HoldingRow.snapshot_id.in_(list(by_id)))
                .order_by(HoldingRow.id)
            )
            for h in rows.scalars():
                holdings[h.snapshot_id].append(
                    [h.chain_id, h.owner, h.token, h.symbol, h.decimals, h.amount, h.price, h.value]
                )
        out: dict[str, Fields] = {}
        for snap in by_id.values():
            taken = _iso(snap.taken_at)
            out[taken] = {
                "taken_at": taken,
                "fiat": snap.fiat,
                "total_value": snap.total_value,
                "incomplete": snap.incomplete,
                "holdings": sorted(holdings[snap.id], key=lambda h: (h[0], h[1], h[2])),
            }
        return out

    async def apply(self, session: AsyncSession, updates: dict[str, Update]) -> None:
        for record_id, (_old, new) in updates.items():
            taken = _moment(record_id)
            existing = (
                await session.execute(
                    select(SnapshotRow).where(
                        SnapshotRow.profile == self._profile,
                        SnapshotRow.demo.is_(False),
                        SnapshotRow.taken_at == taken,
                    )
                )
            ).scalar()
            if existing is not None:
                await session.execute(
                    delete(HoldingRow).where(HoldingRow.snapshot_id == existing.id)
                )
                await session.delete(existing)
                await session.flush()
            if new is None:
                continue
            snap = SnapshotRow(
                profile=self._profile,
                taken_at=taken,
                fiat=str(new.get("fiat", "USD")),
                total_value=str(new.get("total_value", "0")),
                incomplete=str(new.get("incomplete", "")),
                demo=False,
            )
            session.add(snap)
            await session.flush()
            for h in new.get("holdings") or []:
                session.add(
                    HoldingRow(
                        snapshot_id=snap.id,
                        chain_id=int(h[0]),
                        owner=str(h[1]),
                        token=str(h[2]),
                        symbol=str(h[3]),
                        decimals=int(h[4]),
                        amount=str(h[5]),
                        price=h[6],
                        value=h[7],
                    )
                )
        await session.flush()
