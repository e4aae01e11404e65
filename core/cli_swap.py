"""CLI commands for quotes, swaps and provider API keys."""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Annotated, Any, TypeVar

import typer

from core.app import CoreApp
from core.cli_wallet import resolve_wallet
from core.dex.setup import PROVIDER_NAMES, okx_credentials_text
from core.dex.types import Quote, QuoteFailure, QuoteRequest, RankedQuote
from core.errors import ConfigError
from core.money import format_units
from core.wallet.secret import Secret

__all__ = ["add_swap_commands"]

T = TypeVar("T")
Runner = Callable[[Callable[[CoreApp], Awaitable[T]]], T]


async def build_request(
    app: CoreApp, chain: int, sell: str, buy: str, amount: str, taker: str, slippage: Decimal
) -> QuoteRequest:
    return await app.build_quote_request(chain, sell, buy, amount, taker, slippage)


def _money(value: Decimal | None) -> str:
    return "unknown" if value is None else f"{value:,.2f}"


def table(ranked: list[RankedQuote], failures: list[QuoteFailure]) -> list[str]:
    header = ("provider", "receive", "minimum", "gas $", "net $", "gap $")
    lines = ["{:<10} {:>22} {:>22} {:>8} {:>12} {:>8}  route".format(*header)]
    for row in ranked:
        q = row.quote
        decimals = q.request.buy.decimals
        lines.append(
            f"{q.provider:<10} {format_units(q.buy_amount, decimals, max_fraction=8):>22} "
            f"{format_units(q.min_buy_amount, decimals, max_fraction=8):>22} "
            f"{_money(row.gas_cost):>8} {_money(row.net_value):>12} {_money(row.gap_to_best):>8}  "
            f"{q.route[:40]}"
        )
    for failure in failures:
        lines.append(f"{failure.provider:<10} error: {failure.reason}")
    return lines


def add_swap_commands(cli: typer.Typer, run: Runner[Any]) -> None:
    providers = typer.Typer(help="API keys of swap providers (stored in the OS keychain).")
    cli.add_typer(providers, name="providers")

    @cli.command("quote")
    def quote(
        chain: Annotated[int, typer.Option(help="Chain id.")],
        sell: Annotated[str, typer.Option(help="Token address, or 'native'.")],
        buy: Annotated[str, typer.Option(help="Token address, or 'native'.")],
        amount: Annotated[str, typer.Option(help="Amount to sell, in whole units.")],
        taker: Annotated[str, typer.Option(help="The address that would swap.")],
        slippage: Annotated[Decimal, typer.Option(help="Percent.")] = Decimal("0.5"),
    ) -> None:
        """Ask every enabled provider and rank by what you would receive after gas."""

        async def body(app: CoreApp) -> list[str]:
            request = await build_request(app, chain, sell, buy, amount, taker, slippage)
            results = await app.swaps.quote_all(request)
            quotes = [r for r in results if isinstance(r, Quote)]
            failures = [r for r in results if isinstance(r, QuoteFailure)]
            return table(await app.swaps.rank(quotes), failures)

        for line in run(body):
            typer.echo(line)

    @cli.command("swap")
    def swap(
        chain: Annotated[int, typer.Option(help="Chain id.")],
        from_wallet: Annotated[str, typer.Option("--from", help="Wallet id, address or name.")],
        sell: Annotated[str, typer.Option(help="Token address, or 'native'.")],
        buy: Annotated[str, typer.Option(help="Token address, or 'native'.")],
        amount: Annotated[str, typer.Option(help="Amount to sell, in whole units.")],
        slippage: Annotated[Decimal, typer.Option(help="Percent.")] = Decimal("0.5"),
        provider: Annotated[
            str | None, typer.Option(help="Prefer this provider (others are fallbacks).")
        ] = None,
        unlimited_approval: Annotated[
            bool, typer.Option(help="Approve unlimited instead of the exact amount.")
        ] = False,
        idempotency_key: Annotated[
            str | None, typer.Option(help="Repeat-safe key; the same key never swaps twice.")
        ] = None,
        yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
    ) -> None:
        """Quote, pick the best net route (or --provider), check it, approve exactly, swap."""
        import uuid

        key = idempotency_key or f"cli-swap-{uuid.uuid4()}"

        async def body(app: CoreApp) -> list[str]:
            wallet = await resolve_wallet(app, from_wallet)
            request = await build_request(app, chain, sell, buy, amount, wallet.address, slippage)
            results = await app.swaps.quote_all(request)
            quotes = [r for r in results if isinstance(r, Quote)]
            failures = [r for r in results if isinstance(r, QuoteFailure)]
            ranked = await app.swaps.rank(quotes)
            lines = table(ranked, failures)
            order = [r.quote for r in ranked]
            if provider:
                order.sort(key=lambda q: q.provider != provider)
            if not order:
                raise ConfigError("No provider returned a quote; nothing was sent.")
            if not yes:
                for line in lines:
                    typer.echo(line, err=True)
                typer.confirm(f"Swap with {order[0].provider} (fallbacks: the rest)?", abort=True)
            outcome = await app.swaps.execute(
                order, wallet.id, key, unlimited_approval=unlimited_approval
            )
            for name, why in outcome.skipped:
                lines.append(f"skipped {name}: {why}")
            if outcome.approval is not None:
                lines.append(f"approval {outcome.approval.state} {outcome.approval.tx_hash}")
            lines.append(
                f"swap {outcome.swap.state} {outcome.swap.tx_hash} via {outcome.provider} "
                f"(key {key})"
            )
            return lines

        for line in run(body):
            typer.echo(line)

    @providers.command("set-key")
    def set_key(name: Annotated[str, typer.Argument(help=", ".join(PROVIDER_NAMES))]) -> None:
        """Store a provider's API key (OKX: key, secret and passphrase) in the keychain."""

        def read(prompt: str) -> str:
            if sys.stdin.isatty():
                return str(typer.prompt(prompt, hide_input=True))
            return sys.stdin.readline().strip()

        if name == "okx":
            text = okx_credentials_text(read("API key"), read("Secret key"), read("Passphrase"))
        else:
            text = read("API key")

        async def body(app: CoreApp) -> str:
            entry = next((p for p in app.settings().providers if p.name == name), None)
            if entry is None or entry.api_key_ref is None:
                raise ConfigError(f"{name} takes no API key here.")
            await app.wallets.keystore.store_text(entry.api_key_ref, Secret(text))
            return f"stored the {name} key in the keychain"

        typer.echo(run(body))
