"""CLI commands for wallets, sending and transactions.

Secrets (recovery phrases, private keys) are read from a hidden prompt or standard input, never
from arguments: arguments end up in shell history and in the process list.
"""

from __future__ import annotations

import sys
import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

import typer

from core.app import CoreApp
from core.errors import WalletError
from core.money import format_units
from core.wallet.accounts import Wallet
from core.wallet.secret import Secret
from core.wallet.sender import SendRequest

__all__ = ["add_wallet_commands", "resolve_wallet"]

T = TypeVar("T")
Runner = Callable[[Callable[[CoreApp], Awaitable[T]]], T]


def _read_secret(prompt: str) -> Secret:
    if sys.stdin.isatty():
        return Secret(typer.prompt(prompt, hide_input=True))
    return Secret(sys.stdin.readline().strip())


def _show(wallet: Wallet) -> str:
    kind = {"mnemonic": "phrase", "private_key": "key", "watch": "watch-only"}[wallet.kind]
    return f"{wallet.id:<4} {wallet.name:<20} {kind:<10} {wallet.address}"


def add_wallet_commands(cli: typer.Typer, run: Runner[Any]) -> None:
    wallet = typer.Typer(help="Create, import, watch, rename, delete and export wallets.")
    tx = typer.Typer(help="Follow, speed up or cancel sent transactions.")
    cli.add_typer(wallet, name="wallet")
    cli.add_typer(tx, name="tx")

    @wallet.command("list")
    def wallet_list() -> None:
        """Show wallets."""
        for w in run(lambda app: app.wallets.list()):
            typer.echo(_show(w))

    @wallet.command("create")
    def wallet_create(
        name: Annotated[str, typer.Option(help="A name for the wallet.")],
        words: Annotated[int, typer.Option(help="12 or 24 words.")] = 12,
    ) -> None:
        """Make a new recovery phrase, show it once, and store it after you type it back."""

        async def body(app: CoreApp) -> Wallet:
            phrase = await app.wallets.generate_mnemonic(words)
            typer.echo("Write these words down, in order. They are shown only now:", err=True)
            typer.echo(phrase.reveal(), err=True)
            again = _read_secret("Type the phrase back to confirm")
            return await app.wallets.create_from_mnemonic(name, phrase, again)

        typer.echo(_show(run(body)))

    @wallet.command("import-phrase")
    def wallet_import_phrase(
        name: Annotated[str, typer.Option(help="A name for the wallet.")],
        index: Annotated[int, typer.Option(help="Account index in the derivation path.")] = 0,
        path: Annotated[
            str | None, typer.Option(help="Path template, e.g. \"m/44'/60'/0'/0/{index}\".")
        ] = None,
    ) -> None:
        """Import a recovery phrase (read from a hidden prompt or stdin)."""
        phrase = _read_secret("Recovery phrase")
        created = run(lambda app: app.wallets.import_mnemonic(name, phrase, index, path))
        typer.echo(_show(created))

    @wallet.command("import-key")
    def wallet_import_key(
        name: Annotated[str, typer.Option(help="A name for the wallet.")],
    ) -> None:
        """Import a private key (read from a hidden prompt or stdin)."""
        key = _read_secret("Private key (hex)")
        typer.echo(_show(run(lambda app: app.wallets.import_private_key(name, key))))

    @wallet.command("watch")
    def wallet_watch(name: str, address: str) -> None:
        """Add a watch-only address."""
        typer.echo(_show(run(lambda app: app.wallets.add_watch_only(name, address))))

    @wallet.command("rename")
    def wallet_rename(wallet_id: int, name: str) -> None:
        typer.echo(_show(run(lambda app: app.wallets.rename(wallet_id, name))))

    @wallet.command("delete")
    def wallet_delete(
        wallet_id: int,
        confirm: Annotated[str, typer.Option("--confirm", help="The wallet's exact name.")],
    ) -> None:
        """Delete a wallet and its keychain entry."""
        run(lambda app: app.wallets.delete(wallet_id, confirm_name=confirm))
        typer.echo(f"deleted wallet {wallet_id}")

    @wallet.command("export")
    def wallet_export(
        wallet_id: int,
        confirm_address: Annotated[
            str, typer.Option("--confirm-address", help="The wallet's full address.")
        ],
    ) -> None:
        """Print a wallet's secret for a backup (to stderr, never to a file by itself)."""
        stored = run(
            lambda app: app.wallets.export_secret(wallet_id, confirm_address=confirm_address)
        )
        typer.echo(f"{stored.kind}: {stored.secret.reveal()}", err=True)
        if stored.path:
            typer.echo(f"path: {stored.path}", err=True)

    @cli.command("send")
    def send(
        chain: Annotated[int, typer.Option(help="Chain id.")],
        from_wallet: Annotated[str, typer.Option("--from", help="Wallet id or address.")],
        to: Annotated[str, typer.Option(help="Recipient address.")],
        amount: Annotated[str, typer.Option(help="Amount in whole units, e.g. 0.5.")],
        token: Annotated[str | None, typer.Option(help="ERC-20 address (omit for native).")] = None,
        speed: Annotated[str, typer.Option(help="slow, normal or fast.")] = "normal",
        idempotency_key: Annotated[
            str | None, typer.Option(help="Repeat-safe key; the same key never sends twice.")
        ] = None,
        yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
        wait: Annotated[bool, typer.Option(help="Wait for the receipt.")] = True,
    ) -> None:
        """Send native coin or an ERC-20 token."""
        if speed not in ("slow", "normal", "fast"):
            raise typer.BadParameter("speed must be slow, normal or fast")
        key = idempotency_key or f"cli-{uuid.uuid4()}"
        if not yes:
            what = f"{amount} {'of ' + token if token else 'native coin'}"
            typer.confirm(f"Send {what} to {to} on chain {chain}?", abort=True)

        async def body(app: CoreApp) -> str:
            sender = await resolve_wallet(app, from_wallet)
            request = SendRequest(chain, sender.id, to, amount, token, speed)  # type: ignore[arg-type]
            result = await app.sender.send(request, key)
            if wait:
                result = await app.sender.wait(result.intent_id)
            return f"{result.state} {result.tx_hash} (operation {result.intent_id}, key {key})"

        typer.echo(run(body))

    @tx.command("list")
    def tx_list(limit: int = 50) -> None:
        """Recent operations and their state."""

        async def body(app: CoreApp) -> list[str]:
            lines = []
            for intent in await app.journal.recent(limit):
                req = intent.request
                txs = await app.journal.transactions(intent.id)
                amount = format_units(int(req["amount"]), int(req["decimals"]))
                unit = req["token"] or "native"
                last = txs[-1].tx_hash if txs else "-"
                lines.append(
                    f"{intent.id:<5} {intent.state:<10} {amount} {unit} -> {req['to']}  {last}"
                )
            return lines

        for line in run(body):
            typer.echo(line)

    @tx.command("speed-up")
    def tx_speed_up(operation: int) -> None:
        """Re-send a pending transaction with a higher fee (same nonce)."""
        result = run(lambda app: app.sender.replace(operation, "speed_up"))
        typer.echo(f"{result.state} {result.tx_hash}")

    @tx.command("cancel")
    def tx_cancel(operation: int) -> None:
        """Replace a pending transaction with a 0-value one to yourself (same nonce)."""
        result = run(lambda app: app.sender.replace(operation, "cancel"))
        typer.echo(f"{result.state} {result.tx_hash}")


async def resolve_wallet(app: CoreApp, ref: str) -> Wallet:
    if ref.isdigit():
        return await app.wallets.get(int(ref))
    if ref.startswith("0x"):
        return await app.wallets.by_address(ref)
    for wallet in await app.wallets.list():
        if wallet.name == ref:
            return wallet
    raise WalletError(f"No wallet {ref!r}; use its id, address or exact name.")
