"""`portfolio import/export/show` as a person runs them."""

from __future__ import annotations

from pathlib import Path

from tests.core.portfolio.test_pnl_csv import GENERIC
from tests.harness.cli import run_cli as cli


def test_import_export_show(data_dir: Path, tmp_path: Path) -> None:
    trades = tmp_path / "trades.csv"
    trades.write_text(GENERIC)
    assert (
        cli(data_dir, "portfolio", "import", str(trades)).stdout.strip() == "imported 3 new row(s)"
    )
    assert (
        cli(data_dir, "portfolio", "import", str(trades)).stdout.strip() == "imported 0 new row(s)"
    )
    bad = tmp_path / "bad.csv"
    bad.write_text(GENERIC + "2024-01-09,buy,ETH,lots,1,,USD,,\n")
    refused = cli(data_dir, "portfolio", "import", str(bad))
    assert refused.returncode == 2 and "line 5: amount 'lots' is not a number" in refused.stderr
    out = tmp_path / "pnl.csv"
    assert cli(data_dir, "portfolio", "export", "pnl", "--out", str(out)).returncode == 0
    assert out.read_text().splitlines()[1] == "ETH,1.5,300,246,,0,0"
    assert "no snapshot yet" in cli(data_dir, "portfolio", "show").stdout


def test_history_total_and_one_asset_offline(data_dir: Path) -> None:
    import asyncio

    from core.app import CoreApp
    from tests.desktop.test_portfolio_page import store_two_assets

    async def prepare() -> None:
        app = CoreApp(data_dir, background=False)
        await app.start()
        try:
            await store_two_assets(app)
        finally:
            await app.stop()

    asyncio.run(prepare())
    total = cli(data_dir, "portfolio", "history").stdout.splitlines()
    assert [line.split("  ")[1] for line in total] == ["3,500.00 USD", "4,000.00 USD"]
    usdc = cli(data_dir, "portfolio", "history", "--asset", "usdc").stdout.splitlines()
    assert [line.split("  ")[1:] for line in usdc] == [
        ["500", "500.00 USD"],
        ["700", "700.00 USD"],
    ]
    unknown = cli(data_dir, "portfolio", "history", "--asset", "NOPE")
    assert unknown.returncode == 2
    assert "Assets held so far: ETH, USDC." in unknown.stderr
