"""OHLCV CSV files (timestamp, symbol, open, high, low, close, volume) to close series.

Real files have gaps and glitches: rows with a missing or non-positive close are dropped and a
repeated (symbol, timestamp) keeps its last row; both are counted and reported, never hidden.
Anything else wrong (missing columns, unreadable timestamps, too little data) is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from core.insights.errors import InsightsError
from models.dataset import Series

__all__ = ["COLUMNS", "CsvSeries", "read_ohlcv_csv"]

COLUMNS = ("timestamp", "symbol", "open", "high", "low", "close", "volume")


@dataclass(frozen=True)
class CsvSeries:
    series: dict[str, Series]
    rows: int
    dropped_bad_close: int
    dropped_duplicates: int
    bar_seconds: int  # median spacing of bars


def _timestamps(column: pd.Series) -> pd.Series:
    if pd.api.types.is_numeric_dtype(column):
        # Unix time; milliseconds are told apart by size (1e11 s is in the year 5138).
        scale = 1000 if column.abs().max() > 1e11 else 1
        return pd.to_datetime(column // scale, unit="s", utc=True)
    return pd.to_datetime(column, utc=True, format="mixed")


def read_ohlcv_csv(path: Path) -> CsvSeries:
    """Blocking (pandas): call it from an executor inside the app."""
    try:
        frame = pd.read_csv(path)
    except FileNotFoundError as exc:
        raise InsightsError(f"No file at {path}.") from exc
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        raise InsightsError(f"{path.name} is not a readable CSV file.") from exc
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise InsightsError(
            f"{path.name} lacks the column(s) {', '.join(missing)}; expected {', '.join(COLUMNS)}."
        )
    rows = len(frame)
    try:
        frame["timestamp"] = _timestamps(frame["timestamp"])
    except (ValueError, TypeError, OverflowError) as exc:
        raise InsightsError(f"{path.name} has timestamps that cannot be read.") from exc
    frame["close"] = pd.to_numeric(frame["close"], errors="coerce")
    good = frame["close"].notna() & (frame["close"] > 0) & np.isfinite(frame["close"])
    bad_close = int((~good).sum())
    frame = frame[good].sort_values(["symbol", "timestamp"], kind="stable")
    before = len(frame)
    frame = frame.drop_duplicates(["symbol", "timestamp"], keep="last")
    duplicates = before - len(frame)
    series: dict[str, Series] = {}
    spacings = []
    for symbol, group in frame.groupby("symbol", sort=True):
        since_epoch = group["timestamp"] - pd.Timestamp(0, tz="UTC")
        seconds = (since_epoch // pd.Timedelta(seconds=1)).to_numpy()
        series[str(symbol)] = (seconds.astype(np.int64), group["close"].to_numpy(np.float64))
        if seconds.size > 1:
            spacings.append(np.diff(seconds))
    if not series:
        raise InsightsError(f"{path.name} has no rows with a positive close.")
    bar = int(np.median(np.concatenate(spacings))) if spacings else 0
    return CsvSeries(series, rows, bad_close, duplicates, bar)
