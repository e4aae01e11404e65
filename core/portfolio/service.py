"""The portfolio: refresh balances into snapshots, and read history, allocation and PnL offline.

A refresh reads every enabled chain (one Multicall3 round trip each, in parallel), prices what it
found, and stores one snapshot in one transaction. A chain whose RPC is down does not stop the
others: the snapshot records it as incomplete and the person sees which.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import func, select

from core.atomic import atomic_write_text
from core.chains.clients import ChainClients
from core.errors import CoreError
from core.money import to_decimal
from core.portfolio.balances import Holding, read_balances
from core.portfolio.csv_io import CsvImportError, ImportedRow, parse_trades, write_csv
from core.portfolio.pnl import AssetPnl, LedgerEntry, fifo_pnl
from core.portfolio.prices.base import NATIVE_KEY
from core.portfolio.prices.service import PriceService
from core.portfolio.tables import HoldingRow, LedgerRow, SnapshotRow, UserTokenRow
from core.portfolio.tokens import CURATED, TokenInfo
from core.settings import Settings
from core.storage.db import Database

__all__ = ["AssetPoint", "HistoryPoint", "PortfolioService", "RefreshReport", "StoredHolding"]


@dataclass(frozen=True)
class StoredHolding:
    chain_id: int
    owner: str
    token: str
    symbol: str
    decimals: int
    amount: int
    price: Decimal | None
    value: Decimal | None


@dataclass(frozen=True)
class RefreshReport:
    snapshot_id: int
    taken_at: datetime
    total_value: Decimal
    chain_errors: dict[int, str]
    unpriced: list[str]
    rpc_calls: dict[int, int]


@dataclass(frozen=True)
class HistoryPoint:
    taken_at: datetime
    total_value: Decimal


@dataclass(frozen=True)
class AssetPoint:
    """One asset in one snapshot, summed over chains and wallets."""

    taken_at: datetime
    amount: Decimal
    value: Decimal | None  # None when any part of it had no price then


K = TypeVar("K")


def _largest_first(
    holdings: Sequence[StoredHolding], key: Callable[[StoredHolding], K]
) -> dict[K, Decimal]:
    totals: dict[K, Decimal] = {}
    for holding in holdings:
        if holding.value is not None:
            group = key(holding)
            totals[group] = totals.get(group, Decimal(0)) + holding.value
    return dict(sorted(totals.items(), key=lambda kv: -kv[1]))


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class PortfolioService:
    def __init__(
        self,
        db: Database,
        clients: ChainClients,
        prices: PriceService,
        settings: Callable[[], Settings],
        profile: str = "default",
    ) -> None:
        self._db = db
        self._clients = clients
        self.prices = prices
        self._settings = settings
        self.profile = profile
        self._lock = asyncio.Lock()

    async def tokens(self, chain_id: int) -> list[TokenInfo]:
        async with self._db.session() as session:
            rows = await session.scalars(
                select(UserTokenRow).where(UserTokenRow.chain_id == chain_id)
            )
            mine = [TokenInfo(r.chain_id, r.address, r.symbol, r.decimals) for r in rows]
        known = {t.address for t in mine}
        return [*mine, *(t for t in CURATED.get(chain_id, ()) if t.address not in known)]

    async def add_token(self, token: TokenInfo) -> None:
        async with self._db.session() as session:
            exists = await session.scalar(
                select(UserTokenRow).where(
                    UserTokenRow.chain_id == token.chain_id, UserTokenRow.address == token.address
                )
            )
            if exists is None:
                session.add(
                    UserTokenRow(
                        chain_id=token.chain_id,
                        address=token.address,
                        symbol=token.symbol,
                        decimals=token.decimals,
                        added_at=datetime.now(UTC),
                    )
                )

    async def refresh(self, owners: Sequence[str]) -> RefreshReport:
        """Read, price and store one snapshot. Serialised: two refreshes never interleave."""
        async with self._lock:
            chains = [c for c in self._settings().chains if c.enabled]
            reads = await asyncio.gather(
                *(self._read_chain(c.chain_id, owners) for c in chains), return_exceptions=True
            )
            holdings: list[tuple[Holding, Decimal | None]] = []
            errors: dict[int, str] = {}
            calls: dict[int, int] = {}
            unpriced: list[str] = []
            for chain, result in zip(chains, reads, strict=True):
                if isinstance(result, CoreError):
                    errors[chain.chain_id] = result.user_message
                    continue
                if isinstance(result, BaseException):
                    errors[chain.chain_id] = f"failed ({type(result).__name__})"
                    continue
                found, rpc_calls, prices = result
                calls[chain.chain_id] = rpc_calls
                for holding in found:
                    key = holding.token.address.lower() if holding.token else NATIVE_KEY
                    price = prices.get(key)
                    if price is None:
                        unpriced.append(
                            holding.token.symbol if holding.token else chain.native_symbol
                        )
                    holdings.append((holding, price))
            return await self._store(chains, holdings, errors, calls, unpriced)

    async def _read_chain(
        self, chain_id: int, owners: Sequence[str]
    ) -> tuple[list[Holding], int, dict[str, Decimal]]:
        tokens = await self.tokens(chain_id)
        read = await read_balances(self._clients.get(chain_id), chain_id, owners, tokens)
        held = [h for h in read.holdings if h.amount > 0]
        keys = sorted({h.token.address.lower() if h.token else NATIVE_KEY for h in held})
        prices = await self.prices.prices(chain_id, keys) if keys else {}
        return held, read.rpc_calls, prices

    async def _store(
        self,
        chains: Sequence[object],
        holdings: list[tuple[Holding, Decimal | None]],
        errors: dict[int, str],
        calls: dict[int, int],
        unpriced: list[str],
    ) -> RefreshReport:
        settings = self._settings()
        now = datetime.now(UTC)
        total = Decimal(0)
        rows = []
        for holding, price in holdings:
            token = holding.token
            decimals = token.decimals if token else 18
            value = to_decimal(holding.amount, decimals) * price if price is not None else None
            total += value or 0
            symbol = token.symbol if token else settings.chain(holding.chain_id).native_symbol
            rows.append(
                HoldingRow(
                    chain_id=holding.chain_id,
                    owner=holding.owner,
                    token=token.address.lower() if token else NATIVE_KEY,
                    symbol=symbol,
                    decimals=decimals,
                    amount=str(holding.amount),
                    price=str(price) if price is not None else None,
                    value=str(value) if value is not None else None,
                )
            )
        async with self._db.session() as session:
            snapshot = SnapshotRow(
                profile=self.profile,
                taken_at=now,
                fiat="USD",
                total_value=str(total),
                incomplete=",".join(str(c) for c in sorted(errors)),
                demo=False,
            )
            session.add(snapshot)
            await session.flush()
            for row in rows:
                row.snapshot_id = snapshot.id
            session.add_all(rows)
            snapshot_id = snapshot.id
        return RefreshReport(snapshot_id, now, total, errors, sorted(set(unpriced)), calls)

    # -- reading (all offline) --------------------------------------------------------------------
    async def _thinned(
        self, session: Any, since: datetime | None, until: datetime | None, limit: int
    ) -> Any:
        """This profile's snapshots in range, thinned to at most ``limit`` evenly by row and
        always keeping the newest, as a subquery (id, taken_at, total_value). Thinning happens
        in SQL so a long history never crosses into Python whole."""
        where = [SnapshotRow.profile == self.profile]
        if since is not None:
            where.append(SnapshotRow.taken_at >= since)
        if until is not None:
            where.append(SnapshotRow.taken_at <= until)
        count = await session.scalar(select(func.count(SnapshotRow.id)).where(*where)) or 0
        step = max(1, -(-count // max(1, limit)))
        ranked = (
            select(
                SnapshotRow.id,
                SnapshotRow.taken_at,
                SnapshotRow.total_value,
                func.row_number().over(order_by=SnapshotRow.taken_at.desc()).label("n"),
            )
            .where(*where)
            .subquery()
        )
        return (
            select(ranked.c.id, ranked.c.taken_at, ranked.c.total_value)
            .where((ranked.c.n - 1) % step == 0)
            .subquery()
        )

    async def history(
        self, since: datetime | None = None, until: datetime | None = None, limit: int = 5000
    ) -> list[HistoryPoint]:
        """Total value over time, at most ``limit`` points."""
        async with self._db.session() as session:
            thinned = await self._thinned(session, since, until, limit)
            rows = (
                await session.execute(
                    select(thinned.c.taken_at, thinned.c.total_value).order_by(thinned.c.taken_at)
                )
            ).all()
        return [HistoryPoint(_utc(t), Decimal(v)) for t, v in rows]

    async def asset_history(
        self,
        symbol: str,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 5000,
    ) -> list[AssetPoint]:
        """One asset's amount and value over time, summed over every chain and wallet, at the
        same (at most ``limit``) snapshots as the total-value history."""
        points: list[AssetPoint] = []
        async with self._db.session() as session:
            thinned = await self._thinned(session, since, until, limit)
            query = (
                select(thinned.c.taken_at, HoldingRow.amount, HoldingRow.decimals, HoldingRow.value)
                .join(HoldingRow, HoldingRow.snapshot_id == thinned.c.id)
                .where(HoldingRow.symbol == symbol)
                .order_by(thinned.c.taken_at)
            )
            for taken_at, amount, decimals, value in await session.execute(query):
                at = _utc(taken_at)
                part = to_decimal(int(amount), decimals)
                worth = Decimal(value) if value is not None else None
                if points and points[-1].taken_at == at:  # same snapshot, another chain/wallet
                    last = points[-1]
                    total = (
                        last.value + worth if last.value is not None and worth is not None else None
                    )
                    points[-1] = AssetPoint(at, last.amount + part, total)
                else:
                    points.append(AssetPoint(at, part, worth))
        return points

    async def assets(self) -> list[str]:
        """Every asset symbol this profile has held in any snapshot, for choosing a history."""
        async with self._db.session() as session:
            rows = await session.scalars(
                select(HoldingRow.symbol)
                .join(SnapshotRow, HoldingRow.snapshot_id == SnapshotRow.id)
                .where(SnapshotRow.profile == self.profile)
                .distinct()
            )
            return sorted(rows)

    async def latest(self) -> tuple[SnapshotRow | None, list[StoredHolding]]:
        async with self._db.session() as session:
            snapshot = await session.scalar(
                select(SnapshotRow)
                .where(SnapshotRow.profile == self.profile)
                .order_by(SnapshotRow.taken_at.desc())
                .limit(1)
            )
            if snapshot is None:
                return None, []
            rows = await session.scalars(
                select(HoldingRow).where(HoldingRow.snapshot_id == snapshot.id)
            )
            return snapshot, [
                StoredHolding(
                    r.chain_id,
                    r.owner,
                    r.token,
                    r.symbol,
                    r.decimals,
                    int(r.amount),
                    Decimal(r.price) if r.price is not None else None,
                    Decimal(r.value) if r.value is not None else None,
                )
                for r in rows
            ]

    async def allocation(self) -> dict[str, Decimal]:
        """Value by asset symbol in the latest snapshot, largest first."""
        _, holdings = await self.latest()
        return _largest_first(holdings, lambda h: h.symbol)

    async def allocation_by_chain(self) -> dict[int, Decimal]:
        """Value by chain id in the latest snapshot, largest first."""
        _, holdings = await self.latest()
        return _largest_first(holdings, lambda h: h.chain_id)

    # -- ledger, PnL, CSV -------------------------------------------------------------------
    async def import_csv(self, text: str, fmt: str) -> int:
        """All rows or none; returns how many new rows were added (re-imports add nothing)."""
        rows: list[ImportedRow] = await asyncio.get_running_loop().run_in_executor(
            None, parse_trades, text, fmt
        )
        source = f"csv:{fmt}"
        async with self._db.session() as session:
            existing = set(
                await session.scalars(
                    select(LedgerRow.external_id).where(
                        LedgerRow.profile == self.profile, LedgerRow.source == source
                    )
                )
            )
            new = [r for r in rows if r.external_id not in existing]
            session.add_all(
                LedgerRow(
                    profile=self.profile,
                    occurred_at=r.occurred_at,
                    kind=r.kind,
                    asset=r.asset,
                    amount=str(r.amount),
                    price=str(r.price) if r.price is not None else None,
                    fee=str(r.fee),
                    fiat=r.fiat,
                    source=source,
                    external_id=r.external_id,
                    notes=r.notes,
                )
                for r in new
            )
        return len(new)

    async def import_csv_file(self, path: Path, fmt: str) -> int:
        loop = asyncio.get_running_loop()
        try:
            text = await loop.run_in_executor(None, path.read_text, "utf-8-sig")
        except OSError as exc:
            raise CsvImportError([f"cannot read {path.name}: {exc.strerror}"]) from exc
        except UnicodeDecodeError:
            raise CsvImportError([f"{path.name} is not UTF-8 text"]) from None
        return await self.import_csv(text, fmt)

    async def export_csv_file(self, what: str, path: Path) -> None:
        exporters = {
            "holdings": self.export_holdings_csv,
            "history": self.export_history_csv,
            "pnl": self.export_pnl_csv,
        }
        if what not in exporters:
            raise CoreError("Export holdings, history or pnl.")
        text = await exporters[what]()
        await asyncio.get_running_loop().run_in_executor(None, atomic_write_text, path, text)

    async def ledger(self) -> list[LedgerEntry]:
        async with self._db.session() as session:
            rows = await session.scalars(select(LedgerRow).where(LedgerRow.profile == self.profile))
            return [
                LedgerEntry(
                    _utc(r.occurred_at),
                    r.kind,
                    r.asset,
                    Decimal(r.amount),
                    Decimal(r.price) if r.price is not None else None,
                    Decimal(r.fee),
                )
                for r in rows
            ]

    async def pnl(self) -> dict[str, AssetPnl]:
        _, holdings = await self.latest()
        prices = {h.symbol: h.price for h in holdings if h.price is not None}
        return fifo_pnl(await self.ledger(), prices)

    async def export_holdings_csv(self) -> str:
        snapshot, holdings = await self.latest()
        return write_csv(
            [
                "taken_at",
                "chain_id",
                "owner",
                "token",
                "symbol",
                "amount",
                "price_usd",
                "value_usd",
            ],
            (
                [
                    snapshot.taken_at.isoformat() if snapshot else "",
                    h.chain_id,
                    h.owner,
                    h.token,
                    h.symbol,
                    to_decimal(h.amount, h.decimals),
                    h.price,
                    h.value,
                ]
                for h in holdings
            ),
        )

    async def export_history_csv(self) -> str:
        return write_csv(
            ["taken_at", "total_value_usd"],
            ([p.taken_at.isoformat(), p.total_value] for p in await self.history(limit=10**9)),
        )

    async def export_pnl_csv(self) -> str:
        books = await self.pnl()
        return write_csv(
            ["asset", "held", "cost_basis", "realised", "unrealised", "unmatched", "unpriced_sold"],
            (
                [
                    b.asset,
                    b.held,
                    b.cost_basis,
                    b.realised,
                    b.unrealised,
                    b.unmatched,
                    b.unpriced_sold,
                ]
                for b in sorted(books.values(), key=lambda b: b.asset)
            ),
        )
