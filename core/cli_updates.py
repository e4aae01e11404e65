"""CLI: `cryptoorchestrator update-check`, the same signed-manifest check the window runs."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import asdict, replace
from typing import Annotated, Any, TypeVar

import typer

from core.app import CoreApp
from core.updates import UpdateCheck, validate_manifest_url

__all__ = ["add_update_commands"]

T = TypeVar("T")
Runner = Callable[[Callable[[CoreApp], Awaitable[T]]], T]

#: exit codes: a script can tell "checked, nothing wrong" from "could not trust or reach it"
_EXIT = {"up_to_date": 0, "available": 0, "disabled": 3, "rejected": 1, "unreachable": 1}


def add_update_commands(cli: typer.Typer, run: Runner[Any]) -> None:
    @cli.command("update-check")
    def update_check(
        url: Annotated[
            str | None,
            typer.Option(help="Check this manifest address instead of the one in settings."),
        ] = None,
        save_url: Annotated[
            bool, typer.Option("--save-url", help="Also store --url in settings (turns checks on).")
        ] = False,
        as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    ) -> None:
        """Ask the release manifest whether a newer version exists (only signed ones count)."""

        async def body(app: CoreApp) -> UpdateCheck:
            if url is not None:
                checked = validate_manifest_url(url)
                if save_url:
                    await app.update_settings(replace(app.settings(), update_manifest_url=checked))
                return await app.check_for_update(checked)
            return await app.check_for_update()

        result: UpdateCheck = run(body)
        if as_json:
            typer.echo(json.dumps({**asdict(result), "message": result.message}))
        else:
            typer.echo(result.message)
            if result.status == "disabled":
                typer.echo("Set one with: cryptoorchestrator update-check --url URL --save-url")
        raise typer.Exit(_EXIT[result.status])
