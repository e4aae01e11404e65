"""The demo profile: hypothetical holdings valued every day at real historical prices.

It exists so a first-time user sees what the Portfolio page does before adding a wallet. Every
snapshot it writes is flagged ``demo`` and lives in its own profile ("demo"), never mixed with the
person's data. The holdings are stated plainly (DEMO_HOLDINGS); the prices are the shipped real
Coinbase Pro closes (sample/README.md); every value shown is computed from those two.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections import defaultdict
from datetime import UTC, datetime
from decimal import Decimal
from importlib import resources

from sqlalchemy import delete

from core.portfolio.tables import HoldingRow, LedgerRow, SnapshotRow
from core.storage.db import Database

__all__ = ["DEMO_HOLDINGS", "DEMO_PROFILE", "load_demo", "sample_prices"]

DEMO_PROFILE = "demo"
DEMO_OWNER = "0x000000000000000000000000000000000000dEaD"
#: symbol -> (amount held, decimals of its base unit)
DEMO_HOLDINGS = {"BTC": (Decimal("0.5"), 8), "ETH": (Decimal("8"), 18), "LTC": (Decimal("40"), 8)}
DATA = "daily_close_coinbase_pro_2015_2020.csv.gz"


def sample_prices() -> dict[str, dict[str, Decimal]]:
    """date (YYYY-MM-DD) -> symbol -> close, from the shipped file. Blocking: use an executor."""
    raw = resources.files("core.portfolio.sample").joinpath(DATA).read_bytes()
    by_day: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for row in csv.DictReader(io.StringIO(gzip.decompress(raw).decode())):
        by_day[row["date"]][row["symbol"]] = Decimal(row["close"])
    return dict(by_day)


async def load_demo(db: Database, prices: dict[str, dict[str, Decimal]]) -> int:
    """(Re)build the demo profile: one snapshot per day where all demo assets have a price, and
    demo buys on the first such day so PnL has something to compute. Returns the snapshot count."""
    days = sorted(d for d, p in prices.items() if all(s in p for s in DEMO_HOLDINGS))
    async with db.session() as session:
        await session.execute(delete(SnapshotRow).where(SnapshotRow.profile == DEMO_PROFILE))
        await session.execute(delete(LedgerRow).where(LedgerRow.profile == DEMO_PROFILE))
        for day in days:
            moment = datetime.fromisoformat(day).replace(tzinfo=UTC)
            values = {s: amount * prices[day][s] for s, (amount, _) in DEMO_HOLDINGS.items()}
            snapshot = SnapshotRow(
                profile=DEMO_PROFILE,
                taken_at=moment,
                fiat="USD",
                total_value=str(sum(values.values())),
                incomplete="",
                demo=True,
            )
            session.add(snapshot)
            await session.flush()
            session.add_all(
                HoldingRow(
                    snapshot_id=snapshot.id,
                    chain_id=0,
                    owner=DEMO_OWNER,
                    token=symbol.lower(),
                    symbol=symbol,
                    decimals=decimals,
                    amount=str(int(amount * 10**decimals)),
                    price=str(prices[day][symbol]),
                    value=str(values[symbol]),
                )
                for symbol, (amount, decimals) in DEMO_HOLDINGS.items()
            )
        first = days[0]
        for symbol, (amount, _) in DEMO_HOLDINGS.items():
            session.add(
                LedgerRow(
                    profile=DEMO_PROFILE,
                    occurred_at=datetime.fromisoformat(first).replace(tzinfo=UTC),
                    kind="buy",
                    asset=symbol,
                    amount=str(amount),
                    price=str(prices[first][symbol]),
                    fee="0",
                    fiat="USD",
                    source="demo",
                    external_id=f"demo-{symbol}",
                    notes="demo purchase",
                )
            )
    return len(days)
