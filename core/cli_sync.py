"""CLI for sync: init (first device), join (the others), status, now, conflicts, off.

The passphrase and the account token are read from a hidden prompt, or from the environment
(CRYPTOORCHESTRATOR_SYNC_PASSPHRASE, CRYPTOORCHESTRATOR_SYNC_TOKEN) for scripts; never from a
command-line argument, which other users of the machine can read in the process list.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

import typer

from core.app import CoreApp
from core.sync.engine import SyncReport, describe
from core.sync.errors import SyncConfigError
from core.wallet.secret import Secret

__all__ = ["add_sync_commands"]

T = TypeVar("T")
Runner = Callable[[Callable[[CoreApp], Awaitable[T]]], T]
PASSPHRASE_ENV = "CRYPTOORCHESTRATOR_SYNC_PASSPHRASE"  # noqa: S105 - a variable name
TOKEN_ENV = "CRYPTOORCHESTRATOR_SYNC_TOKEN"  # noqa: S105 - a variable name


def _secret(env: str, prompt: str, *, confirm: bool = False) -> Secret:
    value = os.environ.get(env)
    if value:
        return Secret(value)
    return Secret(typer.prompt(prompt, hide_input=True, confirmation_prompt=confirm))


def _report(report: SyncReport) -> str:
    text = f"sent {report.pushed} changes, received {report.pulled}"
    if report.conflicts:
        text += f"; {report.conflicts} new conflicts (see `sync conflicts`)"
    return text


def add_sync_commands(cli: typer.Typer, run: Runner[Any]) -> None:
    sync = typer.Typer(help="End-to-end encrypted sync of non-secret data between your devices.")
    cli.add_typer(sync, name="sync")

    @sync.command("init")
    def init(
        server: Annotated[str, typer.Option(help="Sync server address, https://host[:port].")],
        new_account: Annotated[
            bool, typer.Option("--new-account", help="Create an account on the server.")
        ] = False,
        registration_key: Annotated[
            str | None, typer.Option(help="The server's registration key, if it asks for one.")
        ] = None,
    ) -> None:
        """Set up sync on the first device: choose the passphrase the other devices will need."""
        token = None if new_account else _secret(TOKEN_ENV, "Account token")
        passphrase = _secret(PASSPHRASE_ENV, "New sync passphrase", confirm=True)

        async def body(app: CoreApp) -> tuple[str, str | None]:
            created: str | None = None
            nonlocal token
            if token is None:
                from core.sync.client import create_account

                _account, token = await create_account(app.http, server, registration_key)
                created = token.reveal()
            report = await app.sync.init(server, passphrase, token)
            return _report(report), created

        summary, created = run(body)
        if created:
            typer.echo("account created. Its token (needed to join other devices, shown once):")
            typer.echo(created)
        typer.echo(f"sync on: {summary}")

    @sync.command("join")
    def join(
        server: Annotated[str, typer.Option(help="Sync server address, https://host[:port].")],
    ) -> None:
        """Join this device to an account set up elsewhere (same token and passphrase)."""
        token = _secret(TOKEN_ENV, "Account token")
        passphrase = _secret(PASSPHRASE_ENV, "Sync passphrase")

        async def body(app: CoreApp) -> str:
            return _report(await app.sync.join(server, token, passphrase))

        typer.echo(f"joined: {run(body)}")

    @sync.command("status")
    def status() -> None:
        """Whether sync is on, when it last ran, what waits to be sent, open conflicts."""

        async def body(app: CoreApp) -> list[str]:
            return (await app.sync.status()).lines()

        for line in run(body):
            typer.echo(line)

    @sync.command("now")
    def now() -> None:
        """Send and receive changes now."""

        async def body(app: CoreApp) -> str:
            return _report(await app.sync.sync_now())

        typer.echo(run(body))

    @sync.command("conflicts")
    def conflicts(
        show_all: Annotated[bool, typer.Option("--all", help="Include resolved ones.")] = False,
        resolve: Annotated[
            list[int] | None, typer.Option("--resolve", help="Mark a conflict as seen (by id).")
        ] = None,
    ) -> None:
        """Edits that lost to a concurrent edit on another device (redo one to keep it)."""

        async def body(app: CoreApp) -> list[str]:
            if resolve:
                done = await app.sync.resolve(list(resolve))
                return [f"marked {done} conflict(s) as seen"]
            rows = await app.sync.conflicts(show_all)
            if not rows:
                return ["no conflicts"]
            return [
                f"#{c.id} {c.kind} {c.record_id} {c.field}: kept {describe(c.kept)} "
                f"(device {c.kept_device}), lost {describe(c.lost)} (device {c.lost_device})"
                + (" [seen]" if c.resolved else "")
                for c in rows
            ]

        for line in run(body):
            typer.echo(line)

    @sync.command("off")
    def off() -> None:
        """Stop syncing on this device and forget its key and token (local data stays)."""

        async def body(app: CoreApp) -> None:
            if not (await app.sync.status()).enabled:
                raise SyncConfigError("Sync is already off on this device.")
            await app.sync.disable()

        run(body)
        typer.echo("sync off on this device")
