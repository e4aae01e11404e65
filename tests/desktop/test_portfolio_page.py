"""The Portfolio page offscreen, fed from stored snapshots (no network needed: offline review)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from pytestqt.qtbot import QtBot

from core.app import CoreApp
from core.portfolio.tables import HoldingRow, SnapshotRow
from desktop.operations import Operations
from desktop.pages.portfolio_page import PortfolioPage
from tests.core.portfolio.test_pnl_csv import GENERIC
from tests.desktop.conftest import Loop

OWNER = "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720"


async def store_history(core: CoreApp) -> None:
    start = datetime(2024, 3, 1, tzinfo=UTC)
    async with core.db.session() as session:
        for day, total in enumerate(["100", "120", "90", "150"]):
            snapshot = SnapshotRow(
                profile=core.profile,
                taken_at=start + timedelta(days=day),
                fiat="USD",
                total_value=total,
                incomplete="",
                demo=False,
            )
            session.add(snapshot)
            await session.flush()
            session.add(
                HoldingRow(
                    snapshot_id=snapshot.id,
                    chain_id=1,
                    owner=OWNER,
                    token="native",
                    symbol="ETH",
                    decimals=18,
                    amount=str(int(total) * 10**16),
                    price="100",
                    value=total,
                )
            )


def test_history_holdings_range_and_import(
    qtbot: QtBot, qloop: Loop, core: CoreApp, tmp_path: Path
) -> None:
    qloop.run(store_history(core))
    page = PortfolioPage(core, Operations(core))
    qtbot.addWidget(page)
    page.load()
    qloop.until(lambda: page.holdings.rowCount() == 1)
    assert "150.00 USD" in page.total.text()
    xs, ys = page.curve.getData()
    assert list(ys) == [100.0, 120.0, 90.0, 150.0] and not page.chart.isHidden()
    page.region.setRegion((xs[1], xs[3]))
    assert "120.00 → 150.00 USD, +30.00 (+25.00%)" in page.range_label.text()
    assert page.holdings.item(0, 0).text() == "ETH" and page.holdings.item(0, 3).text() == "1.5"
    assert "ETH 100.0%" in page.allocation.text()

    trades = tmp_path / "trades.csv"
    trades.write_text(GENERIC)
    page.import_file(trades, "generic")
    qloop.until(lambda: page.pnl.rowCount() == 1)
    assert page.status.text() == "Imported 3 new row(s)."
    assert page.pnl.item(0, 3).text() == "246.00"
    bad = tmp_path / "bad.csv"
    bad.write_text("timestamp,type,asset,amount\nnope,buy,ETH,1\n")
    page.import_file(bad, "generic")
    qloop.until(lambda: "Nothing was imported" in page.status.text())
    assert "line 2: price is empty" in page.status.text()


def test_empty_portfolio_says_what_to_do(qtbot: QtBot, qloop: Loop, core: CoreApp) -> None:
    page = PortfolioPage(core, Operations(core))
    qtbot.addWidget(page)
    page.load()
    qloop.until(lambda: "No snapshot yet" in page.total.text())
    assert page.chart.isHidden()  # no empty axes with placeholder ticks that read like data


def test_sample_data_is_a_separate_marked_demo(qtbot: QtBot, qloop: Loop, core: CoreApp) -> None:
    page = PortfolioPage(core, Operations(core))
    qtbot.addWidget(page)
    page.load_sample()
    qloop.until(lambda: "DEMO" in page.total.text(), timeout=60)
    assert page.demo and not page.refresh_button.isEnabled()
    _, ys = page.curve.getData()
    assert len(ys) == 1564
    # 0.5 BTC x 19246.87 + 8 ETH x 594.86 + 40 LTC x 84.51 on 2020-12-07 (the file's last day)
    assert "17,762.72 USD" in page.total.text()
    assert page.pnl.rowCount() == 3
    page.view.setCurrentIndex(0)
    qloop.until(lambda: "No snapshot yet" in page.total.text())
    assert page.chart.isHidden()  # no empty axes with placeholder ticks that read like data


async def store_two_assets(core: CoreApp) -> None:
    """Two days; ETH on chain 1 and USDC on chains 1 and 10 (same owner)."""
    start = datetime(2024, 3, 1, tzinfo=UTC)
    days = [
        [(1, "native", "ETH", 18, 10**18, "3000"), (1, "0xa0b8", "USDC", 6, 500 * 10**6, "500")],
        [
            (1, "native", "ETH", 18, 10**18, "3300"),
            (1, "0xa0b8", "USDC", 6, 500 * 10**6, "500"),
            (10, "0x0b2c", "USDC", 6, 200 * 10**6, "200"),
        ],
    ]
    async with core.db.session() as session:
        for day, holdings in enumerate(days):
            snapshot = SnapshotRow(
                profile=core.profile,
                taken_at=start + timedelta(days=day),
                fiat="USD",
                total_value=str(sum(int(h[5]) for h in holdings)),
                incomplete="",
                demo=False,
            )
            session.add(snapshot)
            await session.flush()
            session.add_all(
                HoldingRow(
                    snapshot_id=snapshot.id,
                    chain_id=chain,
                    owner=OWNER,
                    token=token,
                    symbol=symbol,
                    decimals=decimals,
                    amount=str(amount),
                    price=None,
                    value=value,
                )
                for chain, token, symbol, decimals, amount, value in holdings
            )


def test_one_assets_history_and_allocation_by_chain(
    qtbot: QtBot, qloop: Loop, core: CoreApp
) -> None:
    qloop.run(store_two_assets(core))
    page = PortfolioPage(core, Operations(core))
    qtbot.addWidget(page)
    page.load()
    qloop.until(lambda: page.series.count() == 3)
    assert [page.series.itemText(i) for i in range(3)] == ["Total value", "ETH", "USDC"]
    assert list(page.curve.getData()[1]) == [3500.0, 4000.0]
    # 4,000 in all: ETH 3,300 (82.5%), USDC 700 (17.5%); chain 1 3,800 (95%), chain 10 200 (5%)
    assert "ETH 82.5%, USDC 17.5%" in page.allocation.text()
    assert "By chain: Ethereum 95.0%, Optimism 5.0%." in page.allocation.text()
    page.series.setCurrentText("USDC")
    qloop.until(lambda: list(page.curve.getData()[1]) == [500.0, 700.0])
    assert "500.00 → 700.00 USD" in page.range_label.text()
    page.series.setCurrentText("Total value")
    assert list(page.curve.getData()[1]) == [3500.0, 4000.0]
