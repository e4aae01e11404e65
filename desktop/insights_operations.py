"""User actions of the Insights page: one thin function each, run through core.tasks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from desktop.operations import Operations

__all__ = ["load_insights", "train"]


def load_insights(
    ops: Operations, on_loaded: Callable[[dict[str, Any]], None], *, demo: bool = False
) -> None:
    """Forecasts for the held assets (torch runs in the core's executor) and the model status."""
    insights = ops.core.insights

    async def work() -> dict[str, Any]:
        forecasts = await insights.forecasts(demo=demo)
        return {"insights": forecasts, "status": insights.status()}

    ops.run("load insights", work(), on_loaded)


def train(
    ops: Operations, on_done: Callable[[Any], None], on_failure: Callable[[BaseException], None]
) -> None:
    ops.run("train forecaster", ops.core.insights.train(), on_done, on_failure)
