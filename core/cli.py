"""The command line over core.app, for scripting and headless use.

``build_cli(gui_runner)`` returns the Typer app. With no subcommand it calls ``gui_runner`` (the
desktop entry supplies it), so ``cryptoorchestrator`` opens the window and
``cryptoorchestrator doctor`` stays headless. The core itself never imports the GUI.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from core.app import CoreApp
from core.cli_alerts import add_alert_commands
from core.cli_insights import add_insights_commands
from core.cli_portfolio import add_portfolio_commands
from core.cli_swap import add_swap_commands
from core.cli_sync import add_sync_commands
from core.cli_updates import add_update_commands
from core.cli_wallet import add_wallet_commands
from core.errors import CoreError
from core.settings import ChainSettings, validate_rpc_url
from core.version import __version__

__all__ = ["build_cli"]

T = TypeVar("T")
GuiRunner = Callable[[Path | None], int]


class _State:
    data_dir: Path | None = None


def _fail(exc: CoreError) -> typer.Exit:
    typer.echo(f"Error: {exc}", err=True)
    return typer.Exit(2)


def _run(body: Callable[[CoreApp], Awaitable[T]]) -> T:
    async def main() -> T:
        app = CoreApp(_State.data_dir, background=False)
        await app.start()
        try:
            return await body(app)
        finally:
            await app.stop()

    try:
        return asyncio.run(main())
    except CoreError as exc:
        raise _fail(exc) from None


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"cryptoorchestrator {__version__}")
        raise typer.Exit()


def build_cli(gui_runner: GuiRunner | None = None) -> typer.Typer:
    cli = typer.Typer(
        name="cryptoorchestrator",
        help="A private crypto workstation. With no command, opens the window.",
        no_args_is_help=False,
        add_completion=False,
        # Rich tracebacks print local variables, which may hold secrets: never show them.
        pretty_exceptions_enable=False,
        pretty_exceptions_show_locals=False,
    )
    chains = typer.Typer(help="List, add and remove chains and their RPC addresses.")
    cli.add_typer(chains, name="chains")

    @cli.callback(invoke_without_command=True)
    def main(
        ctx: typer.Context,
        data_dir: Annotated[
            Path | None,
            typer.Option(
                "--data-dir",
                help="Folder for the database, settings and cache.",
                envvar="CRYPTOORCHESTRATOR_DATA_DIR",
            ),
        ] = None,
        version: Annotated[
            bool, typer.Option("--version", callback=_version_callback, is_eager=True)
        ] = False,
        verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
    ) -> None:
        logging.basicConfig(
            level=logging.DEBUG if verbose else logging.WARNING,
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        )
        _State.data_dir = data_dir
        if ctx.invoked_subcommand is None:
            if gui_runner is None:
                typer.echo(ctx.get_help())
                raise typer.Exit()
            raise typer.Exit(gui_runner(data_dir))

    @cli.command()
    def doctor(
        as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    ) -> None:
        """Check the data dir, database, keychain and every chain's RPC."""
        report = _run(lambda app: app.doctor())
        if as_json:
            typer.echo(json.dumps(report.as_dict()))
        else:
            for line in report.lines():
                typer.echo(line)
        raise typer.Exit(0 if report.healthy else 1)

    @chains.command("list")
    def chains_list() -> None:
        """Show configured chains."""

        async def body(app: CoreApp) -> None:
            for c in app.settings().chains:
                state = "on " if c.enabled else "off"
                typer.echo(f"{c.chain_id:<8} {state} {c.name:<18} {', '.join(c.rpc_urls)}")

        _run(body)

    @chains.command("add")
    def chains_add(
        chain_id: int,
        name: str,
        rpc_url: Annotated[list[str], typer.Argument(help="One or more RPC addresses.")],
        symbol: Annotated[str, typer.Option(help="Native coin symbol.")] = "ETH",
    ) -> None:
        """Add a custom EVM chain, or replace a chain's RPC addresses."""

        async def body(app: CoreApp) -> None:
            urls = tuple(validate_rpc_url(u) for u in rpc_url)
            current = app.settings()
            custom = all(c.chain_id != chain_id or c.custom for c in current.chains)
            chain = ChainSettings(chain_id, name, urls, symbol, True, custom)
            await app.update_settings(current.with_chain(chain))
            typer.echo(f"saved chain {chain_id} ({name})")

        _run(body)

    @chains.command("remove")
    def chains_remove(chain_id: int) -> None:
        """Remove a chain from the configuration."""

        async def body(app: CoreApp) -> None:
            await app.update_settings(app.settings().without_chain(chain_id))
            typer.echo(f"removed chain {chain_id}")

        _run(body)

    add_wallet_commands(cli, _run)
    add_swap_commands(cli, _run)
    add_portfolio_commands(cli, _run)
    add_insights_commands(cli, _run)
    add_update_commands(cli, _run)
    add_alert_commands(cli, _run)
    add_sync_commands(cli, _run)
    return cli


def run_cli(gui_runner: GuiRunner | None = None, argv: list[str] | None = None) -> int:
    try:
        build_cli(gui_runner)(args=argv if argv is not None else sys.argv[1:], standalone_mode=True)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0
