"""Pooled samples from many assets' close series, and the walk-forward split by time.

Every row knows when its forecast was made (``time``, the bar's close) and when its target was
known (``target_end``, the close ``horizon`` bars later). The split cuts by *time* across all
assets and keeps a row in a block only if its target ended before the next block starts, so no
training target overlaps a validation or test period (a purged walk-forward split).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from models.baselines import baseline_forecast
from models.features import FEATURE_NAMES, series_features

__all__ = [
    "Dataset",
    "Split",
    "build_dataset",
    "latest_rows",
    "split_at",
    "walk_forward_folds",
    "walk_forward_split",
]

Array = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
#: times are UTC seconds; closes are positive floats, oldest first
Series = tuple[IntArray, Array]


def _logit(p: Array) -> Array:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.asarray(np.log(p / (1 - p)))


@dataclass(frozen=True)
class Dataset:
    inputs: Array  # [n, n_features + 3]: features, base log var, base logit, base drift
    realised_var: Array
    returns: Array  # horizon log return
    time: IntArray
    target_end: IntArray
    asset: npt.NDArray[np.int32]
    assets: tuple[str, ...]
    horizon: int

    def __len__(self) -> int:
        return int(self.time.size)

    def take(self, rows: IntArray) -> Dataset:
        return Dataset(
            self.inputs[rows],
            self.realised_var[rows],
            self.returns[rows],
            self.time[rows],
            self.target_end[rows],
            self.asset[rows],
            self.assets,
            self.horizon,
        )

    @property
    def features(self) -> Array:
        return self.inputs[:, : len(FEATURE_NAMES)]


def _inputs(
    times: IntArray, close: Array, horizon: int
) -> tuple[Array, Array, Array, IntArray, IntArray]:
    f = series_features(close, horizon)
    base = baseline_forecast(f.ewma_var, f.hist_mean, f.hist_up, horizon)
    inputs = np.column_stack(
        (f.features, np.log(base.variance), _logit(base.p_up), horizon * f.hist_mean)
    )
    end_index = np.minimum(f.index + horizon, times.size - 1)
    return inputs, f.target_rv, f.target_ret, times[f.index], times[end_index]


def _check(symbol: str, times: IntArray, close: Array) -> None:
    if times.shape != close.shape:
        raise ValueError(f"{symbol}: times and closes differ in length")
    if times.size > 1 and np.any(np.diff(times) <= 0):
        raise ValueError(f"{symbol}: times must be strictly increasing")


def build_dataset(series: Mapping[str, Series], horizon: int) -> Dataset:
    """Rows with a known target, from every series long enough to have any."""
    parts = []
    assets = tuple(sorted(series))
    for number, symbol in enumerate(assets):
        times, close = series[symbol]
        _check(symbol, times, close)
        inputs, rv, ret, t, end = _inputs(times, close, horizon)
        known = np.isfinite(rv)
        parts.append(
            (
                inputs[known],
                rv[known],
                ret[known],
                t[known],
                end[known],
                np.full(int(known.sum()), number, dtype=np.int32),
            )
        )
    if not parts or sum(p[0].shape[0] for p in parts) == 0:
        width = len(FEATURE_NAMES) + 3
        return Dataset(
            np.empty((0, width)),
            np.empty(0),
            np.empty(0),
            np.empty(0, dtype=np.int64),
            np.empty(0, dtype=np.int64),
            np.empty(0, dtype=np.int32),
            assets,
            horizon,
        )
    cols = [np.concatenate([p[i] for p in parts]) for i in range(6)]
    order = np.argsort(cols[3], kind="stable")
    return Dataset(
        cols[0][order],
        cols[1][order],
        cols[2][order],
        cols[3][order].astype(np.int64),
        cols[4][order].astype(np.int64),
        cols[5][order].astype(np.int32),
        assets,
        horizon,
    )


def latest_rows(series: Mapping[str, Series], horizon: int) -> dict[str, tuple[int, Array]]:
    """Per asset, the time and input row of its last bar: what a forecast is made from now.
    Assets without a full warm-up are left out."""
    out: dict[str, tuple[int, Array]] = {}
    for symbol, (times, close) in series.items():
        _check(symbol, times, close)
        inputs, _, _, t, _ = _inputs(times, close, horizon)
        if len(t):
            out[symbol] = (int(t[-1]), inputs[-1])
    return out


@dataclass(frozen=True)
class Split:
    train: IntArray
    validation: IntArray
    test: IntArray
    validation_start: int
    test_start: int


def split_at(
    data: Dataset, validation_start: int, test_start: int, end: int | None = None
) -> Split:
    """Rows made before ``validation_start`` whose target ended before it train; rows made from
    ``validation_start`` whose target ended before ``test_start`` validate; rows made from
    ``test_start`` (and before ``end``, if given) test."""
    time = data.time
    before = time < end if end is not None else np.ones(time.size, dtype=bool)
    train = np.flatnonzero(data.target_end < validation_start)
    validation = np.flatnonzero((time >= validation_start) & (data.target_end < test_start))
    test = np.flatnonzero((time >= test_start) & before)
    return Split(train, validation, test, validation_start, test_start)


def _time_at(times: IntArray, fraction: float) -> int:
    return int(np.quantile(times, fraction, method="higher"))


def walk_forward_split(
    data: Dataset, validation_frac: float = 0.15, test_frac: float = 0.15
) -> Split:
    """Train on the oldest rows, stop early on the next block, test on the newest block.

    Blocks are fractions of *rows* (cut at time boundaries), not of the calendar: pooled
    series of different lengths and gaps still give each block its share of data."""
    if len(data) == 0:
        raise ValueError("no rows to split")
    test_start = _time_at(data.time, 1.0 - test_frac)
    validation_start = _time_at(data.time, 1.0 - test_frac - validation_frac)
    return split_at(data, validation_start, test_start)


def walk_forward_folds(
    data: Dataset, folds: int, validation_frac: float = 0.15, test_frac: float = 0.15
) -> list[Split]:
    """Expanding-window folds: the last ``folds`` blocks of ``test_frac`` of the rows are tested
    in turn, each by a model that saw only what came before it (validating on the block of
    ``validation_frac`` just before)."""
    out = []
    for k in range(folds):
        hi = 1.0 - (folds - 1 - k) * test_frac
        lo = hi - test_frac
        end = None if k == folds - 1 else _time_at(data.time, hi)
        out.append(
            split_at(data, _time_at(data.time, lo - validation_frac), _time_at(data.time, lo), end)
        )
    return out
