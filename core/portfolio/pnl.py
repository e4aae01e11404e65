"""Realised and unrealised profit and loss with FIFO cost basis. Pure functions, exact Decimals.

Buys (and deposits with a known price) open lots; sells (and withdrawals) close the oldest lots
first. Realised PnL = proceeds - fees - cost of the lots closed. Unrealised PnL = what the open lots
are worth now - their cost. A sell larger than the lots held is reported, never silently netted.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

__all__ = ["AssetPnl", "LedgerEntry", "fifo_pnl"]


@dataclass(frozen=True)
class LedgerEntry:
    occurred_at: datetime
    kind: str  # buy | sell | deposit | withdrawal
    asset: str
    amount: Decimal
    price: Decimal | None  # fiat per unit
    fee: Decimal = Decimal(0)


@dataclass
class AssetPnl:
    asset: str
    held: Decimal = Decimal(0)
    cost_basis: Decimal = Decimal(0)  # of what is still held
    realised: Decimal = Decimal(0)
    unrealised: Decimal | None = None
    #: amounts sold or withdrawn beyond the lots we know of (missing history)
    unmatched: Decimal = Decimal(0)
    #: amounts sold at an unknown price: their lots are closed, but no gain or loss is invented
    unpriced_sold: Decimal = Decimal(0)
    lots: deque[tuple[Decimal, Decimal]] = field(default_factory=deque)  # (amount, unit cost)


def fifo_pnl(
    entries: Iterable[LedgerEntry], current_prices: Mapping[str, Decimal]
) -> dict[str, AssetPnl]:
    books: dict[str, AssetPnl] = defaultdict(lambda: AssetPnl(""))
    for entry in sorted(entries, key=lambda e: e.occurred_at):
        book = books[entry.asset]
        book.asset = entry.asset
        if entry.kind in ("buy", "deposit"):
            # A deposit without a price has unknown cost: it enters at zero cost, and says so
            # through the realised figure later rather than inventing a price.
            unit = entry.price or Decimal(0)
            total_cost = entry.amount * unit + (entry.fee if entry.kind == "buy" else 0)
            unit_cost = total_cost / entry.amount if entry.amount else Decimal(0)
            book.lots.append((entry.amount, unit_cost))
            book.held += entry.amount
            book.cost_basis += total_cost
        elif entry.kind in ("sell", "withdrawal"):
            remaining = entry.amount
            cost = Decimal(0)
            while remaining > 0 and book.lots:
                lot_amount, unit_cost = book.lots[0]
                used = min(lot_amount, remaining)
                cost += used * unit_cost
                remaining -= used
                if used == lot_amount:
                    book.lots.popleft()
                else:
                    book.lots[0] = (lot_amount - used, unit_cost)
            book.unmatched += remaining
            matched = entry.amount - remaining
            book.held -= matched
            book.cost_basis -= cost
            if entry.kind == "sell" and entry.price is None:
                book.unpriced_sold += matched
            elif entry.kind == "sell" and entry.price is not None:
                book.realised += matched * entry.price - cost - entry.fee
        else:
            raise ValueError(f"unknown ledger kind {entry.kind!r}")
    for asset, book in books.items():
        price = current_prices.get(asset)
        if price is not None:
            book.unrealised = book.held * price - book.cost_basis
    return dict(books)
