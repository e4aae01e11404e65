"""Synthetic prices with a known answer, for testing the training loop and benchmarking.

GARCH(1,1) variance with a predictable drift: r_t = mu_t + sigma_t z_t, z_t ~ N(0, 1),
sigma_t^2 = omega + alpha (r_{t-1} - mu_{t-1})^2 + beta sigma_{t-1}^2, and
mu_t = kappa * sigma_t * tanh((r_{t-1} - mu_{t-1}) / sigma_{t-1}) (a momentum the direction head can
learn). The true next-bar variance and P(up) = Phi(mu_t / sigma_t) are returned with the prices.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["GarchPath", "garch_prices"]

Array = npt.NDArray[np.float64]


@dataclass(frozen=True)
class GarchPath:
    times: npt.NDArray[np.int64]
    close: Array  # len n + 1
    true_var: Array  # variance of return i (which ends at bar i + 1), known at bar i
    true_p_up: Array  # P(return i > 0), known at bar i


def garch_prices(
    n: int,
    seed: int,
    *,
    alpha: float = 0.10,
    beta: float = 0.85,
    daily_vol: float = 0.03,
    kappa: float = 0.0,
    bar_seconds: int = 86400,
    start: int = 1_500_000_000,
) -> GarchPath:
    rng = np.random.default_rng(seed)
    omega = daily_vol**2 * (1.0 - alpha - beta)
    z = rng.standard_normal(n)
    r = np.empty(n)
    var = np.empty(n)
    mu = np.empty(n)
    v, shock, prev_sd = daily_vol**2, 0.0, daily_vol
    for i in range(n):
        v = omega + alpha * shock * shock + beta * v
        sd = math.sqrt(v)
        mu[i] = kappa * sd * math.tanh(shock / prev_sd)
        var[i] = v
        shock = sd * z[i]
        r[i] = mu[i] + shock
        prev_sd = sd
    close = 100.0 * np.exp(np.concatenate(([0.0], np.cumsum(r))))
    p_up = 0.5 * (1.0 + np.vectorize(math.erf)(mu / np.sqrt(var) / math.sqrt(2.0)))
    times = start + bar_seconds * np.arange(n + 1, dtype=np.int64)
    return GarchPath(times, close, var, p_up)
