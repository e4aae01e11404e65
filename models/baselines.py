"""The simple forecasts every model must beat, computed from past data only.

- volatility: RiskMetrics EWMA (lambda 0.94), horizon variance = horizon * per-bar variance
  (the square-root-of-time rule a random-walk variance implies);
- direction: the historical frequency of up moves over completed horizons (Laplace-smoothed),
  and the coin flip (0.5) as the floor;
- quantiles: Gaussian around the historical mean drift with the EWMA horizon volatility.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["QUANTILES", "Z_SCORES", "BaselineForecast", "baseline_forecast"]

Array = npt.NDArray[np.float64]
#: the quantiles every forecaster reports (5%, 50%, 95%: a 90% interval and a median)
QUANTILES = (0.05, 0.5, 0.95)
Z_SCORES = (-1.6448536269514722, 0.0, 1.6448536269514722)


@dataclass(frozen=True)
class BaselineForecast:
    variance: Array  # horizon variance of the log return
    p_up: Array  # probability of an up move over the horizon
    quantiles: Array  # [n, len(QUANTILES)] of the horizon log return


def baseline_forecast(
    ewma_var: Array, hist_mean: Array, hist_up: Array, horizon: int
) -> BaselineForecast:
    variance = horizon * ewma_var
    mu = horizon * hist_mean
    sd = np.sqrt(variance)
    quantiles = mu[:, None] + sd[:, None] * np.asarray(Z_SCORES)[None, :]
    return BaselineForecast(variance, hist_up.copy(), quantiles)
