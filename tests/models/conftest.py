"""Synthetic GARCH data with a known answer, shared by the model tests (trained once)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from models.dataset import Dataset, build_dataset
from models.features import WARMUP
from models.synthetic import GarchPath, garch_prices
from models.training import TrainConfig, TrainResult, train


@dataclass(frozen=True)
class Trained:
    paths: dict[str, GarchPath]
    data: Dataset
    result: TrainResult
    config: TrainConfig

    def truth(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """True next-bar variance and P(up) for dataset rows (horizon 1)."""
        var, p_up = [], []
        for asset, time in zip(self.data.asset[rows], self.data.time[rows], strict=True):
            path = self.paths[self.data.assets[asset]]
            bar = int(np.searchsorted(path.times, time))
            var.append(path.true_var[bar])  # return index `bar` ends at bar + 1
            p_up.append(path.true_p_up[bar])
        return np.array(var), np.array(p_up)


def garch_series(assets: int = 4, bars: int = 3000, kappa: float = 0.3) -> dict[str, GarchPath]:
    return {f"SYN{i}": garch_prices(bars, seed=i, kappa=kappa) for i in range(assets)}


@pytest.fixture(scope="session")
def trained() -> Trained:
    paths = garch_series()
    data = build_dataset({k: (p.times, p.close) for k, p in paths.items()}, horizon=1)
    assert len(data) == 4 * (3000 - WARMUP)
    config = TrainConfig(seed=0)
    return Trained(paths, data, train(data, config), config)
