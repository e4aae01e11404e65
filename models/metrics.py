"""Scores for forecasts (lower is better for all of them).

- QLIKE of variance: rv/f - log(rv/f) - 1, robust to the noise in realised variance as a proxy
  for the true variance (Patton 2011), so it ranks forecasts as the true variance would;
- MSE of log volatility: (log sqrt(rv) - log sqrt(f))^2;
- Brier score and log loss of the up/down probability;
- pinball (quantile) loss, averaged over the reported quantiles, in units of log return.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["brier", "log_loss", "mse_log_vol", "pinball", "qlike", "score_all"]

Array = npt.NDArray[np.float64]
_FLOOR = 1e-12


def qlike(realised_var: Array, forecast_var: Array) -> float:
    ratio = np.maximum(realised_var, _FLOOR) / np.maximum(forecast_var, _FLOOR)
    return float(np.mean(ratio - np.log(ratio) - 1.0))


def mse_log_vol(realised_var: Array, forecast_var: Array) -> float:
    diff = 0.5 * (
        np.log(np.maximum(realised_var, _FLOOR)) - np.log(np.maximum(forecast_var, _FLOOR))
    )
    return float(np.mean(diff * diff))


def brier(up: Array, p_up: Array) -> float:
    return float(np.mean((p_up - up) ** 2))


def log_loss(up: Array, p_up: Array) -> float:
    p = np.clip(p_up, 1e-7, 1 - 1e-7)
    return float(-np.mean(up * np.log(p) + (1 - up) * np.log(1 - p)))


def pinball(returns: Array, quantiles: Array, levels: tuple[float, ...]) -> float:
    err = returns[:, None] - quantiles
    tau = np.asarray(levels)[None, :]
    return float(np.mean(np.maximum(tau * err, (tau - 1.0) * err)))


def score_all(
    realised_var: Array,
    returns: Array,
    variance: Array,
    p_up: Array,
    quantiles: Array,
    levels: tuple[float, ...],
) -> dict[str, float]:
    up = (returns > 0).astype(np.float64)
    return {
        "qlike": qlike(realised_var, variance),
        "mse_log_vol": mse_log_vol(realised_var, variance),
        "brier": brier(up, p_up),
        "log_loss": log_loss(up, p_up),
        "pinball": pinball(returns, quantiles, levels),
    }
