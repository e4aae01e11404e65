"""CLI for alerts: list, add, remove, enable/disable, history, check-now, pause/resume."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

import typer

from core.alerts import KINDS, RuleForm, StreamNotifier, format_alert
from core.app import CoreApp

__all__ = ["add_alert_commands"]

T = TypeVar("T")
Runner = Callable[[Callable[[CoreApp], Awaitable[T]]], T]


def _level(value: object) -> str:
    return "" if value is None else str(value)


def add_alert_commands(cli: typer.Typer, run: Runner[Any]) -> None:
    alerts = typer.Typer(help="Alert rules, their fired history, and a check on demand.")
    cli.add_typer(alerts, name="alerts")

    @alerts.command("list")
    def list_rules() -> None:
        """Every rule with its current status."""

        async def body(app: CoreApp) -> list[str]:
            service = app.alerts
            lines = []
            if service.paused:
                lines.append("alerts are paused: fired alerts are recorded but not shown")
            for rule in service.rules.values():
                state = "on " if rule.enabled else "off"
                target = rule.asset.label() if rule.asset else ""
                lines.append(
                    f"{rule.id:<5} {state} {rule.kind:<16} {rule.name:<32} {target:<14} "
                    f"{_level(rule.threshold):<12} {service.status(rule.id or 0)}"
                )
            return lines or ["no alert rules yet: add one with `alerts add`"]

        for line in run(body):
            typer.echo(line)

    @alerts.command("add")
    def add(
        kind: Annotated[str, typer.Argument(help=f"One of: {', '.join(KINDS)}.")],
        level: Annotated[
            str,
            typer.Option(
                "--level",
                help="Price in USD; percent for pct_move, drawdown and volatility_above "
                "(annualised); minimum output for swap_quote.",
            ),
        ] = "",
        asset: Annotated[str, typer.Option(help="ETH, USDC@8453 or 0xADDRESS@CHAIN.")] = "",
        window: Annotated[str, typer.Option(help="e.g. 15m, 4h, 1d.")] = "",
        direction: Annotated[str, typer.Option(help="pct_move: up, down or either.")] = "either",
        cooldown: Annotated[str, typer.Option(help="Quiet time after firing.")] = "15m",
        hysteresis: Annotated[str, typer.Option(help="Re-arm band, % of the level.")] = "1",
        name: Annotated[str, typer.Option(help="Defaults to a description.")] = "",
        chain: Annotated[str, typer.Option(help="swap_quote: chain id.")] = "",
        sell: Annotated[str, typer.Option(help="swap_quote: token to sell.")] = "",
        buy: Annotated[str, typer.Option(help="swap_quote: token to buy.")] = "",
        amount: Annotated[str, typer.Option(help="swap_quote: amount to sell.")] = "",
        taker: Annotated[str, typer.Option(help="swap_quote: wallet address.")] = "",
        disabled: Annotated[bool, typer.Option("--disabled", help="Save it switched off.")] = False,
    ) -> None:
        """Add a rule; refused with the reason when something is wrong (nothing is saved)."""
        form = RuleForm(
            kind=kind,
            name=name,
            asset=asset,
            threshold=level,
            window=window,
            direction=direction,
            cooldown=cooldown,
            hysteresis_pct=hysteresis,
            enabled=not disabled,
            swap_chain=chain,
            swap_sell=sell,
            swap_buy=buy,
            swap_amount=amount,
            swap_taker=taker,
        )

        async def body(app: CoreApp) -> str:
            rule = await app.alerts.save_form(form)
            return f"added alert {rule.id}: {rule.name}"

        typer.echo(run(body))

    @alerts.command("remove")
    def remove(rule_id: int) -> None:
        """Delete a rule (its fired history stays)."""

        async def body(app: CoreApp) -> None:
            await app.alerts.remove_rule(rule_id)

        run(body)
        typer.echo(f"removed alert {rule_id}")

    @alerts.command("enable")
    def enable(rule_id: int) -> None:
        run(lambda app: app.alerts.set_enabled(rule_id, True))
        typer.echo(f"enabled alert {rule_id}")

    @alerts.command("disable")
    def disable(rule_id: int) -> None:
        run(lambda app: app.alerts.set_enabled(rule_id, False))
        typer.echo(f"disabled alert {rule_id}")

    @alerts.command("history")
    def history(limit: Annotated[int, typer.Option(help="How many, newest first.")] = 50) -> None:
        """Fired alerts and what triggered them (kept on this machine)."""

        async def body(app: CoreApp) -> list[str]:
            entries = await app.alerts.history(limit)
            return [
                format_alert(a) + ("" if a.notified else "  (paused: not shown)") for a in entries
            ] or ["no alert has fired yet"]

        for line in run(body):
            typer.echo(line)

    @alerts.command("check-now")
    def check_now() -> None:
        """Evaluate every enabled rule once now; print what fired and each rule's status."""

        async def body(app: CoreApp) -> list[str]:
            printed: list[str] = []
            notifier = StreamNotifier(printed.append)
            app.alerts.attach_notifier(notifier)
            try:
                fired = await app.alerts.check_now()
            finally:
                app.alerts.detach_notifier(notifier)
            lines = printed or [f"{len(fired)} alert(s) fired (paused: recorded, not shown)"]
            if not fired:
                lines = ["nothing fired"]
            for rule in app.alerts.rules.values():
                lines.append(f"  {rule.id:<5} {rule.name}: {app.alerts.status(rule.id or 0)}")
            return lines

        for line in run(body):
            typer.echo(line)

    @alerts.command("pause")
    def pause() -> None:
        """Keep evaluating and recording, but show no notifications."""
        run(lambda app: app.alerts.set_paused(True))
        typer.echo("alerts paused")

    @alerts.command("resume")
    def resume() -> None:
        run(lambda app: app.alerts.set_paused(False))
        typer.echo("alerts resumed")
