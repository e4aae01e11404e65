"""Daily close series from what the app has stored: snapshot prices and the shipped sample.

Snapshots may be taken many times a day or skip days; a forecaster wants one close per bar, so a
day's close is the last price stored that UTC day. Days without any snapshot stay missing (the
return across them spans more than a day; the feature code treats each step as one bar, which is
why an asset needs mostly consecutive days to be forecast, see ``MIN_COVERAGE``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal

import numpy as np
from sqlalchemy import select

from core.portfolio.demo import sample_prices
from core.portfolio.tables import HoldingRow, SnapshotRow
from core.storage.db import Database
from models.dataset import Series

__all__ = ["SAMPLE_PREFIX", "day_series", "sample_series", "stored_daily_closes"]

#: training-only names for the shipped sample, kept apart from a person's own series of the
#: same asset so no return is ever computed across the gap between the two
SAMPLE_PREFIX = "sample:"


def day_series(closes: Mapping[date, Decimal | float]) -> Series:
    days = sorted(closes)
    seconds = np.array(
        [int(datetime(d.year, d.month, d.day, tzinfo=UTC).timestamp()) for d in days],
        dtype=np.int64,
    )
    values = np.array([float(closes[d]) for d in days], dtype=np.float64)
    keep = values > 0  # a zero in a price feed is a missing price, not a price
    return seconds[keep], values[keep]


def sample_series() -> dict[str, Series]:
    """The shipped real daily closes (core/portfolio/sample). Blocking: use an executor."""
    by_symbol: dict[str, dict[date, Decimal]] = defaultdict(dict)
    for day, prices in sample_prices().items():
        for symbol, close in prices.items():
            by_symbol[symbol][date.fromisoformat(day)] = close
    return {symbol: day_series(closes) for symbol, closes in by_symbol.items()}


async def stored_daily_closes(db: Database, profile: str) -> dict[str, Series]:
    """Per symbol held in ``profile``'s snapshots, the last stored price of each UTC day."""
    query = (
        select(HoldingRow.symbol, SnapshotRow.taken_at, HoldingRow.price)
        .join(SnapshotRow, SnapshotRow.id == HoldingRow.snapshot_id)
        .where(SnapshotRow.profile == profile, HoldingRow.price.is_not(None))
        .order_by(SnapshotRow.taken_at)
    )
    by_symbol: dict[str, dict[date, Decimal]] = defaultdict(dict)
    async with db.session() as session:
        for symbol, taken_at, price in await session.execute(query):
            moment = taken_at if taken_at.tzinfo else taken_at.replace(tzinfo=UTC)
            if price is not None:
                by_symbol[symbol][moment.astimezone(UTC).date()] = Decimal(price)
    return {symbol: day_series(closes) for symbol, closes in by_symbol.items()}
