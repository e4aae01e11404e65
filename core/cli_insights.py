"""CLI for insights: evaluate forecasters on any OHLCV CSV, train on stored history, show."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from core.app import CoreApp
from core.errors import CoreError
from core.insights.csv_data import read_ohlcv_csv
from core.insights.errors import InsightsError
from core.insights.events import InsightsTrainingProgress
from core.insights.service import FORECASTS, HORIZON, AssetInsight
from models.dataset import build_dataset
from models.evaluation import DECIDING, walk_forward_evaluate
from models.training import TrainConfig

__all__ = ["add_insights_commands", "evaluate_csv"]

T = TypeVar("T")
Runner = Callable[[Callable[[CoreApp], Awaitable[T]]], T]
METRICS = ("qlike", "mse_log_vol", "brier", "log_loss", "pinball")


def evaluate_csv(path: Path, horizon: int, folds: int, config: TrainConfig) -> dict[str, Any]:
    """Walk-forward evaluation of the forecaster against the baselines on an OHLCV CSV."""
    if horizon < 1 or folds < 1:
        raise InsightsError("--horizon and --folds must be at least 1.")
    if folds * config.test_frac + config.validation_frac >= 0.9:
        raise InsightsError(f"{folds} folds leave too little data to train on; use fewer.")
    loaded = read_ohlcv_csv(path)
    data = build_dataset(loaded.series, horizon)
    if len(data) < 500:
        raise InsightsError(
            f"{path.name} gives {len(data)} usable rows after the 60-bar warm-up and the "
            f"{horizon}-bar horizon; at least 500 are needed for a walk-forward evaluation."
        )
    try:
        pooled, per_fold = walk_forward_evaluate(data, folds, config)
    except ValueError as exc:
        raise InsightsError(f"Cannot evaluate {path.name}: {exc}.") from exc
    return {
        "file": path.name,
        "csv_rows": loaded.rows,
        "dropped_bad_close": loaded.dropped_bad_close,
        "dropped_duplicates": loaded.dropped_duplicates,
        "symbols": sorted(loaded.series),
        "bar_seconds": loaded.bar_seconds,
        "horizon_bars": horizon,
        "folds": folds,
        "seed": config.seed,
        "network": {"layers": config.layers, "hidden": config.hidden},
        "test_rows": pooled.rows,
        **pooled.as_dict(),
        "per_fold": [fold.as_dict() for fold in per_fold],
    }


def _table(report: dict[str, Any]) -> list[str]:
    lines = [
        f"{report['file']}: {report['csv_rows']} rows, symbols {', '.join(report['symbols'])}; "
        f"dropped {report['dropped_bad_close']} with no positive close and "
        f"{report['dropped_duplicates']} duplicate timestamps",
        f"horizon {report['horizon_bars']} bars of {report['bar_seconds']} s, "
        f"{report['folds']} expanding walk-forward folds, {report['test_rows']} held-out rows",
        "",
        f"{'metric':<13}{'model':>12}{'baseline':>12}{'coin flip':>12}  better",
    ]
    deciding = {metric: what for what, metric in DECIDING.items()}
    for metric in METRICS:
        model, base = report["model"][metric], report["baseline"][metric]
        coin = report["coin_flip"].get(metric)
        best = min(base, coin) if coin is not None else base
        verdict = "model" if model < best else "baseline"
        mark = f" (decides {deciding[metric]})" if metric in deciding else ""
        coin_text = f"{coin:>12.5f}" if coin is not None else f"{'':>12}"
        lines.append(f"{metric:<13}{model:>12.5f}{base:>12.5f}{coin_text}  {verdict}{mark}")
    return lines


def _insight_lines(insight: AssetInsight) -> list[str]:
    if insight.as_of is None or insight.baseline is None:
        return [f"{insight.symbol}: " + " ".join(insight.notes)]
    vol, direction, interval = (insight.value(f) for f in FORECASTS)
    assert vol is not None and direction is not None and interval is not None
    lines = [
        f"{insight.symbol} as of {insight.as_of:%Y-%m-%d}, close {insight.last_close:,.2f}; "
        f"next {HORIZON} days:",
        f"  volatility {vol.volatility:.1%}/yr ({insight.shown['volatility']})",
        f"  P(up) {direction.p_up:.1%} ({insight.shown['direction']})",
        f"  90% interval {interval.low:,.2f} .. {interval.high:,.2f} ({insight.shown['interval']})",
    ]
    track = insight.track_record
    if track:
        lines.append(
            f"  track record on {track['rows']} held-out days ({insight.track_scope}): "
            f"QLIKE {track['model']['qlike']:.3f} vs {track['baseline']['qlike']:.3f}, "
            f"Brier {track['model']['brier']:.4f} vs {track['baseline']['brier']:.4f}, "
            f"pinball {track['model']['pinball']:.5f} vs {track['baseline']['pinball']:.5f}"
        )
    lines += [f"  note: {n}" for n in insight.notes]
    return lines


def add_insights_commands(cli: typer.Typer, run: Runner[Any]) -> None:
    insights = typer.Typer(help="On-device forecasts of volatility and direction vs baselines.")
    cli.add_typer(insights, name="insights")

    @insights.command("evaluate")
    def evaluate(
        csv: Annotated[Path, typer.Option("--csv", help="OHLCV CSV: timestamp,symbol,open,...")],
        horizon: Annotated[int, typer.Option(help="Forecast horizon in bars.")] = HORIZON,
        folds: Annotated[int, typer.Option(help="Walk-forward test blocks.")] = 3,
        seed: Annotated[int, typer.Option(help="Training seed.")] = 0,
        max_epochs: Annotated[int, typer.Option(help="Upper bound on epochs.")] = 120,
        layers: Annotated[int, typer.Option(help="Hidden layers (0: linear read-out).")] = 0,
        hidden: Annotated[int, typer.Option(help="Width of each hidden layer.")] = 32,
    ) -> None:
        """Walk-forward model vs baseline metrics; a table, then one JSON line."""
        config = TrainConfig(seed=seed, max_epochs=max_epochs, layers=layers, hidden=hidden)
        try:
            report = evaluate_csv(csv, horizon, folds, config)
        except CoreError as exc:
            typer.echo(f"Error: {exc}", err=True)
            raise typer.Exit(2) from None
        for line in _table(report):
            typer.echo(line)
        typer.echo(json.dumps(report, sort_keys=True))

    @insights.command("train")
    def train_command() -> None:
        """Train the forecaster on stored price history and the shipped sample, now."""

        async def body(app: CoreApp) -> list[str]:
            shown = {"last": -1}

            def on_progress(event: InsightsTrainingProgress) -> None:
                if event.stage == "training" and event.epoch // 10 != shown["last"]:
                    shown["last"] = event.epoch // 10
                    typer.echo(
                        f"epoch {event.epoch}/{event.max_epochs} "
                        f"validation loss {event.validation_loss:.4f}",
                        err=True,
                    )

            app.bus.subscribe(InsightsTrainingProgress, on_progress)
            status = await app.insights.train()
            details = status.details
            pooled = (status.track_record or {}).get("pooled")
            lines = [
                f"trained at {status.trained_at:%Y-%m-%d %H:%M} UTC, expires "
                f"{status.expires_at:%Y-%m-%d %H:%M} UTC; best epoch "
                f"{details['best_epoch']} of {details['epochs']}; rows {details['rows']}"
            ]
            if pooled:
                lines.append(
                    "held-out: beats baseline for "
                    + ", ".join(f"{k}: {'yes' if v else 'no'}" for k, v in pooled["beats"].items())
                )
            return lines

        for line in run(body):
            typer.echo(line)

    @insights.command("show")
    def show(
        demo: Annotated[bool, typer.Option("--demo", help="The sample-data demo profile.")] = False,
    ) -> None:
        """Forecasts for each held asset, next to the baselines and the track record."""

        async def body(app: CoreApp) -> list[str]:
            insights_list = await app.insights.forecasts(demo=demo)
            status = app.insights.status()
            lines = []
            if status.problem:
                lines.append(f"model: {status.problem}")
            if not insights_list:
                lines.append("no held assets: refresh the portfolio (or load the sample data)")
            for insight in insights_list:
                lines += _insight_lines(insight)
            return lines

        for line in run(body):
            typer.echo(line)
