"""The training loop recovers a known answer, stops early, and is deterministic under a seed."""

from __future__ import annotations

import numpy as np
import torch

from models.evaluation import compare, predict
from models.metrics import brier, qlike
from models.training import TrainConfig, train
from tests.models.conftest import Trained


def test_learns_the_true_garch_variance_and_drift(trained: Trained) -> None:
    rows = trained.result.split.test
    test = trained.data.take(rows)
    out = predict(trained.result.network, test.inputs)
    true_var, true_p = trained.truth(rows)
    corr_model = np.corrcoef(np.log(out[:, 0]), np.log(true_var))[0, 1]
    assert corr_model > 0.9
    # Scored against realised returns, the model comes close to the true variance (the best any
    # forecaster can do) and at least matches the EWMA baseline.
    model_q = qlike(test.realised_var, out[:, 0])
    assert model_q - qlike(test.realised_var, true_var) < 0.05
    comparison = compare(out, test)
    assert comparison.model["qlike"] <= comparison.baseline["qlike"] + 0.01
    up = (test.returns > 0).astype(float)
    assert np.corrcoef(out[:, 1], true_p)[0, 1] > 0.6
    assert brier(up, out[:, 1]) < 0.25  # beats the coin flip on a series with real momentum


def test_early_stopping_keeps_the_best_validation_epoch(trained: Trained) -> None:
    result = trained.result
    assert result.epochs < trained.config.max_epochs
    assert result.history[result.best_epoch] == min(result.history)
    assert result.epochs - result.best_epoch == trained.config.patience


def test_split_has_no_overlap_and_targets_end_before_the_next_block(trained: Trained) -> None:
    split, data = trained.result.split, trained.data
    assert data.target_end[split.train].max() < split.validation_start
    assert data.target_end[split.validation].max() < split.test_start
    assert data.time[split.test].min() >= split.test_start
    assert not set(split.train) & set(split.validation)


def test_same_seed_same_weights_other_seed_other_weights(trained: Trained) -> None:
    small = trained.data.take(np.arange(0, len(trained.data), 2))
    config = TrainConfig(seed=5, max_epochs=4)
    first, second = train(small, config), train(small, config)
    for key, value in first.network.state_dict().items():
        assert torch.equal(value, second.network.state_dict()[key]), key
    assert first.history == second.history
    other = train(small, TrainConfig(seed=6, max_epochs=4))
    assert not torch.equal(
        first.network.state_dict()["head.weight"], other.network.state_dict()["head.weight"]
    )


def test_untrained_network_is_exactly_the_baseline(trained: Trained) -> None:
    from models.network import Forecaster, NetworkConfig

    net = Forecaster(NetworkConfig(12))
    test = trained.data.take(trained.result.split.test[:200])
    comparison = compare(predict(net, test.inputs), test)
    for metric in ("qlike", "brier", "pinball"):
        assert abs(comparison.model[metric] - comparison.baseline[metric]) < 1e-5
