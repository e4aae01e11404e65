"""The frozen runtime gives the eager model's outputs, batched or one by one; the gate refuses
what is far from training; self_check works."""

from __future__ import annotations

import numpy as np
import torch

from models.dataset import build_dataset, latest_rows
from models.evaluation import predict
from models.features import FEATURE_NAMES
from models.gate import InputGate
from models.runtime import ForecastRuntime, self_check
from models.synthetic import garch_prices
from tests.models.conftest import Trained


def _runtime(trained: Trained) -> ForecastRuntime:
    gate = InputGate.fit(trained.data.features[trained.result.split.train], FEATURE_NAMES)
    return ForecastRuntime(trained.result.network, gate)


def test_frozen_runtime_matches_eager_model(trained: Trained) -> None:
    runtime = _runtime(trained)
    inputs = trained.data.inputs[trained.result.split.test[:100]]
    eager = predict(trained.result.network, inputs)
    batch = runtime.forecast(inputs)
    assert all(v.ok for v in batch.verdicts)
    np.testing.assert_allclose(batch.outputs, eager, rtol=1e-5, atol=1e-7)
    single = np.concatenate([runtime.forecast(row).outputs for row in inputs[:10]])
    np.testing.assert_allclose(single, eager[:10], rtol=1e-5, atol=1e-7)
    assert isinstance(runtime.module, torch.jit.ScriptModule)
    assert trained.result.network.training is False  # freezing left the original alone


def test_gate_refuses_a_price_series_unlike_training(trained: Trained) -> None:
    runtime = _runtime(trained)
    calm = garch_prices(300, seed=11)
    wild = calm.close.copy()
    wild[-1] = wild[-2] * 40.0  # a 40x jump in one bar: nothing like the training data
    rows = latest_rows({"calm": (calm.times, calm.close), "wild": (calm.times, wild)}, horizon=1)
    batch = runtime.forecast(np.stack([rows["calm"][1], rows["wild"][1]]))
    assert batch.verdicts[0].ok
    assert not batch.verdicts[1].ok
    # A standardised return is bounded by the EWMA it feeds, so the jump shows up elsewhere: in
    # the short-window variance against the EWMA, and in the price level against its range.
    tripped = {r.split("=")[0] for r in batch.verdicts[1].reasons}
    assert tripped and tripped <= set(FEATURE_NAMES)
    assert np.all(np.isfinite(batch.outputs[0])) and np.all(np.isnan(batch.outputs[1]))


def test_gate_refuses_non_finite_and_accepts_training_rows(trained: Trained) -> None:
    gate = InputGate.fit(trained.data.features, FEATURE_NAMES)
    rows = trained.data.features[:50].copy()
    assert all(v.ok for v in gate.check(rows))
    rows[3, 2] = np.nan
    verdicts = gate.check(rows)
    assert not verdicts[3].ok and "ret_2 is not a number" in verdicts[3].reasons
    assert InputGate.from_dict(gate.as_dict()) == gate


def test_runtime_on_real_shaped_dataset_rows() -> None:
    path = garch_prices(500, seed=2)
    data = build_dataset({"A": (path.times, path.close)}, horizon=7)
    assert data.inputs.shape[1] == len(FEATURE_NAMES) + 3


def test_self_check_describes_a_working_runtime() -> None:
    line = self_check()
    assert line.startswith("insights runtime ok: torch ")
    assert "frozen TorchScript" in line and "\n" not in line


def test_forward_agrees_with_the_training_form(trained: Trained) -> None:
    """forward() is written for speed; raw() is what the losses train. They must agree."""
    net = trained.result.network
    inputs = torch.as_tensor(trained.data.inputs[:300], dtype=torch.float32)
    with torch.no_grad():
        log_var, logit, std_q = net.raw(inputs)
        out = net(inputs)
    sd = torch.exp(0.5 * log_var)
    drift = inputs[:, len(FEATURE_NAMES) + 2]
    torch.testing.assert_close(out[:, 0], torch.exp(log_var))
    torch.testing.assert_close(out[:, 1], torch.sigmoid(logit))
    torch.testing.assert_close(out[:, 2:], drift[:, None] + sd[:, None] * std_q)
    assert torch.all(out[:, 2] < out[:, 3]) and torch.all(out[:, 3] < out[:, 4])
