"""Model against baselines on held-out rows, and expanding-window walk-forward evaluation."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import torch

from models.baselines import QUANTILES, Z_SCORES
from models.dataset import Dataset, walk_forward_folds
from models.features import FEATURE_NAMES
from models.metrics import score_all
from models.network import Forecaster
from models.training import Progress, TrainConfig, train

__all__ = ["Comparison", "compare", "predict", "walk_forward_evaluate"]

Array = npt.NDArray[np.float64]
#: the metric that decides "beats the baseline" for each forecast
DECIDING = {"volatility": "qlike", "direction": "brier", "interval": "pinball"}


def predict(net: Forecaster, inputs: Array, batch: int = 65536) -> Array:
    """[n, 5] outputs of the eager network (variance, p_up, q05, q50, q95)."""
    outs = []
    with torch.inference_mode():
        for start in range(0, inputs.shape[0], batch):
            chunk = torch.as_tensor(inputs[start : start + batch], dtype=torch.float32)
            outs.append(net(chunk).double().numpy())
    return np.concatenate(outs) if outs else np.empty((0, 5))


def _baseline_outputs(inputs: Array) -> tuple[Array, Array, Array]:
    n = len(FEATURE_NAMES)
    variance = np.exp(inputs[:, n])
    p_up = 1.0 / (1.0 + np.exp(-inputs[:, n + 1]))
    quantiles = inputs[:, n + 2][:, None] + np.sqrt(variance)[:, None] * np.asarray(Z_SCORES)
    return variance, p_up, quantiles


@dataclass(frozen=True)
class Comparison:
    rows: int
    model: dict[str, float]
    baseline: dict[str, float]
    coin_flip: dict[str, float]

    def beats(self) -> dict[str, bool]:
        """Per forecast, whether the model is strictly better than every simple alternative on
        the deciding metric (direction must beat both the historical frequency and 0.5)."""
        out = {}
        for what, metric in DECIDING.items():
            best_simple = self.baseline[metric]
            if what == "direction":
                best_simple = min(best_simple, self.coin_flip[metric])
            out[what] = self.model[metric] < best_simple
        return out

    def as_dict(self) -> dict[str, object]:
        return {
            "rows": self.rows,
            "model": self.model,
            "baseline": self.baseline,
            "coin_flip": {k: self.coin_flip[k] for k in ("brier", "log_loss")},
            "beats": self.beats(),
        }


def compare(outputs: Array, data: Dataset) -> Comparison:
    """Score model outputs and the baselines on the same rows of ``data``."""
    rv, ret = data.realised_var, data.returns
    model = score_all(rv, ret, outputs[:, 0], outputs[:, 1], outputs[:, 2:], QUANTILES)
    b_var, b_p, b_q = _baseline_outputs(data.inputs)
    baseline = score_all(rv, ret, b_var, b_p, b_q, QUANTILES)
    coin = score_all(rv, ret, b_var, np.full(rv.shape, 0.5), b_q, QUANTILES)
    return Comparison(int(rv.size), model, baseline, coin)


def walk_forward_evaluate(
    data: Dataset,
    folds: int = 3,
    config: TrainConfig | None = None,
    progress: Progress | None = None,
) -> tuple[Comparison, list[Comparison]]:
    """Train and score one model per expanding-window fold (models.dataset.walk_forward_folds);
    returns the pooled score over all test blocks and each fold's."""
    config = config or TrainConfig()
    all_outputs, all_rows, per_fold = [], [], []
    for split in walk_forward_folds(data, folds, config.validation_frac, config.test_frac):
        result = train(data, config, progress, split)
        outputs = predict(result.network, data.inputs[split.test])
        per_fold.append(compare(outputs, data.take(split.test)))
        all_outputs.append(outputs)
        all_rows.append(split.test)
    rows = np.concatenate(all_rows)
    return compare(np.concatenate(all_outputs), data.take(rows)), per_fold
