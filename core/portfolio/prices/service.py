"""Prices for the portfolio: overrides first, then fresh cache, then sources in the person's order.

A refresh never re-asks what is fresh in the cache. A source that fails is skipped (the next one
is asked) and its failure is remembered, so the GUI can say "offline since ..." per source.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import delete, select

from core.cache import Cache
from core.errors import CoreError, InvalidAmountError
from core.portfolio.prices.base import PriceSource
from core.portfolio.tables import PriceOverrideRow
from core.storage.db import Database

__all__ = ["PriceService", "SourceStatus"]

FRESH_S = 120.0


@dataclass
class SourceStatus:
    name: str
    ok_at: datetime | None = None
    failing_since: datetime | None = None
    last_error: str | None = None


class PriceService:
    """Also a PriceSource itself, so swap ranking shares the same cache, order and overrides."""

    name = "prices"

    def __init__(self, db: Database, cache: Cache, sources: Sequence[PriceSource]) -> None:
        self._db = db
        self._cache = cache
        self.status: dict[str, SourceStatus] = {}
        self.sources = list(sources)

    @property
    def sources(self) -> list[PriceSource]:
        return self._sources

    @sources.setter
    def sources(self, sources: Sequence[PriceSource]) -> None:
        self._sources = list(sources)
        for source in self._sources:
            self.status.setdefault(source.name, SourceStatus(source.name))

    async def prices(self, chain_id: int, tokens: Sequence[str]) -> dict[str, Decimal]:
        keys = [t.lower() if t.startswith("0x") else t for t in tokens]
        found = await self.overrides(chain_id)
        found = {k: v for k, v in found.items() if k in keys}
        for key in keys:
            if key not in found:
                cached = self._cache.get(_cache_key(chain_id, key))
                if isinstance(cached, str):
                    found[key] = Decimal(cached)
        for source in self.sources:
            missing = [k for k in keys if k not in found]
            if not missing:
                break
            state = self.status[source.name]
            try:
                fresh = await source.usd_prices(chain_id, missing)
            except CoreError as exc:
                state.last_error = exc.user_message
                state.failing_since = state.failing_since or datetime.now(UTC)
                continue
            state.ok_at, state.failing_since, state.last_error = datetime.now(UTC), None, None
            for key, price in fresh.items():
                found[key] = price
                self._cache.set(
                    _cache_key(chain_id, key), str(price), ttl=FRESH_S, tag=f"prices:{chain_id}"
                )
        return found

    async def usd_prices(self, chain_id: int, tokens: Sequence[str]) -> dict[str, Decimal]:
        return await self.prices(chain_id, tokens)

    async def overrides(self, chain_id: int) -> dict[str, Decimal]:
        async with self._db.session() as session:
            rows = await session.scalars(
                select(PriceOverrideRow).where(PriceOverrideRow.chain_id == chain_id)
            )
            return {r.token: Decimal(r.price) for r in rows}

    async def set_override(self, chain_id: int, token: str, price: str) -> None:
        try:
            value = Decimal(price)
        except ArithmeticError:
            raise InvalidAmountError(f"{price!r} is not a price.") from None
        if not value.is_finite() or value < 0:
            raise InvalidAmountError("A price must be zero or more.")
        key = token.lower() if token.startswith("0x") else token
        async with self._db.session() as session:
            await session.execute(
                delete(PriceOverrideRow).where(
                    PriceOverrideRow.chain_id == chain_id, PriceOverrideRow.token == key
                )
            )
            session.add(
                PriceOverrideRow(
                    chain_id=chain_id, token=key, price=str(value), set_at=datetime.now(UTC)
                )
            )
        self._cache.delete(_cache_key(chain_id, key))

    async def clear_override(self, chain_id: int, token: str) -> None:
        key = token.lower() if token.startswith("0x") else token
        async with self._db.session() as session:
            await session.execute(
                delete(PriceOverrideRow).where(
                    PriceOverrideRow.chain_id == chain_id, PriceOverrideRow.token == key
                )
            )


def _cache_key(chain_id: int, token: str) -> str:
    return f"price:{chain_id}:{token}"
