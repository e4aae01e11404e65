"""FIFO PnL on a hand-checked ledger; CSV import (generic and Coinbase), errors, round trip."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from core.app import CoreApp
from core.portfolio.csv_io import CsvImportError, parse_trades
from core.portfolio.pnl import LedgerEntry, fifo_pnl


def at(day: int) -> datetime:
    return datetime(2024, 1, day, tzinfo=UTC)


def test_fifo_by_hand() -> None:
    # buy 1 @100 (fee 1), buy 2 @200, sell 1.5 @300 (fee 3), price now 250
    # lots: 1 @ 101/unit, 2 @ 200/unit; the sale takes 1 @101 + 0.5 @200 = 201
    # realised = 1.5 x 300 - 201 - 3 = 246; held 1.5 @200 = 300 cost; worth 375 -> +75
    book = fifo_pnl(
        [
            LedgerEntry(at(3), "sell", "ETH", Decimal("1.5"), Decimal(300), Decimal(3)),
            LedgerEntry(at(1), "buy", "ETH", Decimal(1), Decimal(100), Decimal(1)),
            LedgerEntry(at(2), "buy", "ETH", Decimal(2), Decimal(200)),
        ],
        {"ETH": Decimal(250)},
    )["ETH"]
    assert book.realised == Decimal(246)
    assert book.held == Decimal("1.5") and book.cost_basis == Decimal(300)
    assert book.unrealised == Decimal(75)
    assert book.unmatched == 0


def test_selling_more_than_known_is_reported() -> None:
    book = fifo_pnl(
        [
            LedgerEntry(at(1), "buy", "BTC", Decimal(1), Decimal(10)),
            LedgerEntry(at(2), "sell", "BTC", Decimal(3), Decimal(20)),
        ],
        {},
    )["BTC"]
    assert book.unmatched == Decimal(2) and book.realised == Decimal(10)
    assert book.unrealised is None


def test_a_sell_at_an_unknown_price_invents_no_gain_or_loss() -> None:
    book = fifo_pnl(
        [
            LedgerEntry(at(1), "buy", "BTC", Decimal(2), Decimal(10)),
            LedgerEntry(at(2), "sell", "BTC", Decimal(1), None),
        ],
        {"BTC": Decimal(30)},
    )["BTC"]
    assert book.realised == 0 and book.unpriced_sold == Decimal(1)
    assert book.held == Decimal(1) and book.cost_basis == Decimal(10)
    assert book.unrealised == Decimal(20)


GENERIC = """timestamp,type,asset,amount,price,fee,fiat,id,notes
2024-01-01T00:00:00Z,buy,eth,1,100,1,USD,a1,first
2024-01-02T00:00:00,buy,ETH,2,200,,USD,a2,
2024-01-03 12:00:00+00:00,sell,ETH,1.5,300,3,USD,a3,
"""

COINBASE_HEADER = (
    "Timestamp,Transaction Type,Asset,Quantity Transacted,Spot Price Currency,"
    "Spot Price at Transaction,Subtotal,Total (inclusive of fees and/or spread),"
    "Fees and/or Spread,Notes\n"
)
COINBASE = (
    (
        "You can use this transaction report to inform your likely tax obligations.\n"
        "User,someone@example.com,abc\n"
    )
    + COINBASE_HEADER
    + """2024-02-01T10:00:00Z,Buy,BTC,0.5,USD,40000,20000,20100,100,Bought 0.5 BTC
2024-02-05T10:00:00Z,Sell,BTC,0.2,USD,45000,9000,8950,50,Sold 0.2 BTC
2024-02-06T10:00:00Z,Send,BTC,0.1,USD,46000,,,,Sent 0.1 BTC
"""
)


def test_generic_and_coinbase_parse() -> None:
    rows = parse_trades(GENERIC, "generic")
    assert [(r.kind, r.asset, r.amount) for r in rows] == [
        ("buy", "ETH", Decimal(1)),
        ("buy", "ETH", Decimal(2)),
        ("sell", "ETH", Decimal("1.5")),
    ]
    cb = parse_trades(COINBASE, "coinbase")
    assert [(r.kind, r.amount, r.price, r.fee) for r in cb] == [
        ("buy", Decimal("0.5"), Decimal(40000), Decimal(100)),
        ("sell", Decimal("0.2"), Decimal(45000), Decimal(50)),
        ("withdrawal", Decimal("0.1"), Decimal(46000), Decimal(0)),
    ]


def test_bad_rows_are_all_reported_and_nothing_is_kept() -> None:
    bad = GENERIC + "2024-01-04,buy,ETH,abc,1,,USD,,\nyesterday,sell,ETH,1,1,,USD,,\n"
    bad += "2024-01-05,swap,ETH,1,1,,USD,,\n2024-01-06,buy,ETH,-1,1,,USD,,\n"
    with pytest.raises(CsvImportError) as caught:
        parse_trades(bad, "generic")
    problems = caught.value.problems
    assert [p.split(":")[0] for p in problems] == ["line 5", "line 6", "line 7", "line 8"]
    assert "amount 'abc' is not a number" in problems[0]
    with pytest.raises(CsvImportError, match="missing column"):
        parse_trades("a,b\n1,2\n", "generic")


async def test_import_is_idempotent_and_exports_round_trip(data_dir: Path) -> None:
    app = CoreApp(data_dir, background=False)
    await app.start()
    try:
        assert await app.portfolio.import_csv(GENERIC, "generic") == 3
        assert await app.portfolio.import_csv(GENERIC, "generic") == 0
        with pytest.raises(CsvImportError):
            await app.portfolio.import_csv(GENERIC + "x,buy,ETH,1,1,,USD,,\n", "generic")
        assert len(await app.portfolio.ledger()) == 3
        books = await app.portfolio.pnl()
        assert books["ETH"].realised == Decimal(246)
        exported = await app.portfolio.export_pnl_csv()
        assert exported.splitlines()[0] == (
            "asset,held,cost_basis,realised,unrealised,unmatched,unpriced_sold"
        )
        assert exported.splitlines()[1].startswith("ETH,1.5,300,246,")
    finally:
        await app.stop()
