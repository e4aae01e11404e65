"""Features never look ahead; targets are exactly the future; baselines match their definitions."""

from __future__ import annotations

import numpy as np
import pytest

from models.features import FEATURE_NAMES, LAMBDA, WARMUP, ewma_variance, series_features
from models.synthetic import garch_prices


def test_perturbing_the_future_changes_no_feature_of_the_past() -> None:
    close = garch_prices(400, seed=7).close
    before = series_features(close, horizon=5)
    cut = 250  # bar index: everything after it is rewritten
    altered = close.copy()
    altered[cut + 1 :] *= np.exp(np.random.default_rng(1).normal(0, 0.2, altered.size - cut - 1))
    after = series_features(altered, horizon=5)
    past = before.index <= cut
    assert past.sum() > 100
    for name in ("features", "ewma_var", "hist_mean", "hist_up"):
        np.testing.assert_array_equal(getattr(before, name)[past], getattr(after, name)[past])
    # ...while the targets of those rows that reach past the cut do change: the test can fail.
    reaching = past & (before.index + 5 > cut)
    assert not np.allclose(before.target_rv[reaching], after.target_rv[reaching])
    # and features after the cut do see the change
    assert not np.allclose(before.features[~past], after.features[~past])


def test_targets_are_the_next_horizon_returns() -> None:
    close = garch_prices(200, seed=3).close
    f = series_features(close, horizon=3)
    r = np.diff(np.log(close))
    t = int(f.index[10])  # bar t
    np.testing.assert_allclose(f.target_ret[10], np.log(close[t + 3] / close[t]))
    np.testing.assert_allclose(f.target_rv[10], np.sum(r[t : t + 3] ** 2))
    assert np.isnan(f.target_rv[-1]) and np.isnan(f.target_ret[-3])
    assert np.isfinite(f.target_rv[-4])


def test_first_row_needs_a_full_warm_up_and_shapes_agree() -> None:
    close = garch_prices(WARMUP + 20, seed=1).close
    f = series_features(close, horizon=1)
    assert f.index[0] == WARMUP
    assert f.features.shape == (21, len(FEATURE_NAMES))
    assert np.all(np.isfinite(f.features))
    assert series_features(close[:WARMUP], horizon=1).features.shape[0] == 0


def test_ewma_is_riskmetrics() -> None:
    r = np.array([0.01] * 20 + [0.05, -0.02])
    var = ewma_variance(r)
    expected = LAMBDA * var[20] + (1 - LAMBDA) * 0.02**2
    assert var[21] == pytest.approx(expected)


def test_bad_closes_are_refused() -> None:
    with pytest.raises(ValueError):
        series_features(np.array([1.0, 2.0, 0.0, 3.0] * 30), horizon=1)
    with pytest.raises(ValueError):
        series_features(np.array([1.0, np.nan] * 60), horizon=1)
