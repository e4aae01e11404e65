"""CLI for the portfolio: refresh, show, history, PnL, CSV import/export, tokens, prices."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from core.app import CoreApp
from core.atomic import atomic_write_text
from core.errors import ConfigError
from core.money import format_units
from core.portfolio.tokens import TokenInfo
from core.wallet import erc20
from core.wallet.addresses import checksum_address

__all__ = ["add_portfolio_commands"]

T = TypeVar("T")
Runner = Callable[[Callable[[CoreApp], Awaitable[T]]], T]


def _usd(value: object) -> str:
    return "unpriced" if value is None else f"{value:,.2f} USD"


def add_portfolio_commands(cli: typer.Typer, run: Runner[Any]) -> None:
    portfolio = typer.Typer(help="Balances, history, PnL and CSV, kept on this machine.")
    cli.add_typer(portfolio, name="portfolio")

    @portfolio.command("refresh")
    def refresh() -> None:
        """Read balances of every wallet on every enabled chain and store a snapshot."""

        async def body(app: CoreApp) -> list[str]:
            report = await app.refresh_portfolio()
            lines = [f"total {_usd(report.total_value)} at {report.taken_at:%Y-%m-%d %H:%M} UTC"]
            for chain_id, why in report.chain_errors.items():
                lines.append(f"chain {chain_id} not read: {why}")
            if report.unpriced:
                lines.append(f"no price for: {', '.join(report.unpriced)}")
            return lines

        for line in run(body):
            typer.echo(line)

    @portfolio.command("show")
    def show() -> None:
        """The latest snapshot (works offline)."""

        async def body(app: CoreApp) -> list[str]:
            snapshot, holdings = await app.portfolio.latest()
            if snapshot is None:
                return ["no snapshot yet: run `portfolio refresh`"]
            lines = [
                f"snapshot {snapshot.taken_at:%Y-%m-%d %H:%M} UTC, total {snapshot.total_value} USD"
            ]
            if snapshot.incomplete:
                lines.append(f"incomplete: chains {snapshot.incomplete} could not be read")
            for h in sorted(holdings, key=lambda h: -(h.value or 0)):
                amount = format_units(h.amount, h.decimals, max_fraction=8)
                lines.append(
                    f"{h.chain_id:<7} {h.owner} {amount:>24} {h.symbol:<8} {_usd(h.value)}"
                )
            return lines

        for line in run(body):
            typer.echo(line)

    @portfolio.command("history")
    def history(
        asset: Annotated[
            str | None, typer.Option(help="One asset's amount and value (all chains and wallets).")
        ] = None,
        points: Annotated[int, typer.Option(help="At most this many rows, newest kept.")] = 50,
        demo: Annotated[bool, typer.Option(help="The sample-data demo portfolio.")] = False,
    ) -> None:
        """Value over time from stored snapshots (works offline)."""
        if points < 1:
            raise typer.BadParameter("points must be 1 or more")

        async def body(app: CoreApp) -> list[str]:
            portfolio = app.demo_portfolio if demo else app.portfolio
            if asset is None:
                rows = await portfolio.history(limit=points)
                return [f"{p.taken_at:%Y-%m-%d %H:%M}  {_usd(p.total_value)}" for p in rows]
            held = await portfolio.asset_history(asset.upper(), limit=points)
            if not held:
                known = ", ".join(await portfolio.assets()) or "none yet"
                raise ConfigError(f"No history for {asset}. Assets held so far: {known}.")
            return [
                f"{p.taken_at:%Y-%m-%d %H:%M}  {p.amount.normalize():f}  "
                + (_usd(p.value) if p.value is not None else "no price")
                for p in held
            ]

        for line in run(body):
            typer.echo(line)

    @portfolio.command("pnl")
    def pnl() -> None:
        """Realised and unrealised PnL (FIFO) from the ledger."""

        async def body(app: CoreApp) -> str:
            return await app.portfolio.export_pnl_csv()

        typer.echo(run(body), nl=False)

    @portfolio.command("import")
    def import_csv(
        file: Path,
        fmt: Annotated[str, typer.Option("--format", help="generic or coinbase")] = "generic",
    ) -> None:
        """Import trades/transfers from CSV: all rows or none."""
        try:
            text = file.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise ConfigError(f"Cannot read {file}: {exc.strerror}.") from exc
        added = run(lambda app: app.portfolio.import_csv(text, fmt))
        typer.echo(f"imported {added} new row(s)")

    @portfolio.command("export")
    def export(
        what: Annotated[str, typer.Argument(help="holdings, history or pnl")],
        out: Annotated[Path | None, typer.Option(help="Write to this file.")] = None,
    ) -> None:
        """Export as CSV."""

        async def body(app: CoreApp) -> str:
            exporters = {
                "holdings": app.portfolio.export_holdings_csv,
                "history": app.portfolio.export_history_csv,
                "pnl": app.portfolio.export_pnl_csv,
            }
            if what not in exporters:
                raise ConfigError("Export holdings, history or pnl.")
            return await exporters[what]()

        text = run(body)
        if out is None:
            typer.echo(text, nl=False)
        else:
            atomic_write_text(out, text)
            typer.echo(f"wrote {out}")

    @portfolio.command("add-token")
    def add_token(chain: int, address: str) -> None:
        """Track an ERC-20 (its symbol and decimals are read from the chain)."""

        async def body(app: CoreApp) -> str:
            token = checksum_address(address)
            client = app.clients.get(chain)
            info = TokenInfo(
                chain, token, await erc20.symbol(client, token), await erc20.decimals(client, token)
            )
            await app.portfolio.add_token(info)
            return f"tracking {info.symbol} ({info.decimals} decimals) on chain {chain}"

        typer.echo(run(body))

    @portfolio.command("set-price")
    def set_price(chain: int, token: str, price: str) -> None:
        """Override a token's USD price ('native' for the chain's coin)."""
        run(lambda app: app.prices.set_override(chain, token, price))
        typer.echo("saved")
