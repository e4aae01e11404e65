"""Build the alert service from the app's own services (called once by core.app)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import select

from core.alerts.notifier import LogNotifier
from core.alerts.rules import SwapTarget
from core.alerts.service import AlertService, Intervals
from core.alerts.sources import AggregatorQuotes
from core.alerts.store import AlertStore
from core.dex.aggregator import QuoteResult
from core.dex.types import QuoteRequest
from core.events import EventBus
from core.portfolio.prices.service import PriceService
from core.portfolio.service import PortfolioService
from core.portfolio.tables import HoldingRow, SnapshotRow
from core.settings import Settings
from core.storage.db import Database
from core.tasks import TaskManager
from core.wallet.accounts import WalletService

__all__ = ["QUOTE_SLIPPAGE_PERCENT", "build_alert_service"]

#: quotes for alerts are never executed; slippage only shapes the providers' minimum output
QUOTE_SLIPPAGE_PERCENT = Decimal("0.5")


def build_alert_service(
    *,
    db: Database,
    bus: EventBus,
    tasks: TaskManager,
    profile: str,
    settings: Callable[[], Settings],
    prices: PriceService,
    portfolio: PortfolioService,
    wallets: WalletService,
    build_quote_request: Callable[..., Awaitable[QuoteRequest]],
    quote_all: Callable[[QuoteRequest], Awaitable[list[QuoteResult]]],
    intervals: Intervals | None = None,
) -> AlertService:
    async def value_history(since: datetime | None) -> list[tuple[datetime, Decimal]]:
        return [(p.taken_at, p.total_value) for p in await portfolio.history(since=since)]

    async def price_history(
        chain_id: int, token: str, since: datetime
    ) -> list[tuple[datetime, Decimal]]:
        """Prices the portfolio stored with each snapshot's holdings (one per snapshot)."""
        async with db.session() as session:
            rows = await session.execute(
                select(SnapshotRow.taken_at, HoldingRow.price)
                .join(HoldingRow, HoldingRow.snapshot_id == SnapshotRow.id)
                .where(
                    SnapshotRow.profile == profile,
                    SnapshotRow.taken_at >= since,
                    HoldingRow.chain_id == chain_id,
                    HoldingRow.token == token,
                    HoldingRow.price.is_not(None),
                )
                .order_by(SnapshotRow.taken_at)
            )
            by_time = {_utc(t): Decimal(p) for t, p in rows if p is not None}
        return sorted(by_time.items())

    async def build(target: SwapTarget) -> QuoteRequest:
        return await build_quote_request(
            target.chain_id,
            target.sell,
            target.buy,
            target.amount,
            target.taker,
            QUOTE_SLIPPAGE_PERCENT,
        )

    async def default_taker() -> str | None:
        mine = await wallets.list()
        return mine[0].address if mine else None

    service = AlertService(
        AlertStore(db, profile),
        bus,
        tasks,
        prices=prices,
        value_history=value_history,
        price_history=price_history,
        swap_quotes=AggregatorQuotes(build, quote_all),
        settings=settings,
        tokens_for=portfolio.tokens,
        default_taker=default_taker,
        intervals=intervals,
    )
    # Every alert also lands in the log, whatever else (the tray, the CLI) shows it.
    service.attach_notifier(LogNotifier())
    return service


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
