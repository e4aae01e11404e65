"""User actions of the Portfolio page: one thin function each, run through core.tasks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop.operations import Operations

__all__ = ["export_csv", "import_csv", "load_overview", "refresh"]


def refresh(
    ops: Operations, on_done: Callable[[Any], None], on_failure: Callable[[BaseException], None]
) -> None:
    ops.run("refresh portfolio", ops.core.refresh_portfolio(), on_done, on_failure)


def load_overview(
    ops: Operations, on_loaded: Callable[[dict[str, Any]], None], *, demo: bool = False
) -> None:
    """Everything the page shows, read from the local database (works offline)."""
    core = ops.core
    portfolio = core.demo_portfolio if demo else core.portfolio

    async def work() -> dict[str, Any]:
        snapshot, holdings = await portfolio.latest()
        offline = {}
        for chain in core.settings().chains:
            if chain.enabled:
                since = await core.chain_status.offline_since(chain.chain_id)
                if since is not None:
                    offline[chain.name] = since
        return {
            "snapshot": snapshot,
            "holdings": holdings,
            "history": await portfolio.history(),
            "allocation": await portfolio.allocation(),
            "allocation_by_chain": await portfolio.allocation_by_chain(),
            "assets": await portfolio.assets(),
            "pnl": await portfolio.pnl(),
            "offline_chains": offline,
            "sources": dict(core.prices.status),
        }

    ops.run("load portfolio", work(), on_loaded)


def load_asset_history(
    ops: Operations,
    symbol: str,
    on_loaded: Callable[[list[Any]], None],
    *,
    demo: bool = False,
) -> None:
    portfolio = ops.core.demo_portfolio if demo else ops.core.portfolio
    ops.run("load asset history", portfolio.asset_history(symbol), on_loaded)


def load_sample_data(ops: Operations, on_done: Callable[[int], None]) -> None:
    ops.run("load sample data", ops.core.load_sample_data(), on_done)


def import_csv(
    ops: Operations,
    path: Path,
    fmt: str,
    on_done: Callable[[int], None],
    on_failure: Callable[[BaseException], None],
) -> None:
    ops.run("import CSV", ops.core.portfolio.import_csv_file(path, fmt), on_done, on_failure)


def export_csv(ops: Operations, what: str, path: Path, on_done: Callable[[None], None]) -> None:
    ops.run(f"export {what}", ops.core.portfolio.export_csv_file(what, path), on_done)
