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
    assert list(ys) == [100.0, 120.0, 90.0, 150.0]
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
