"""Insights forecaster: inference latency and training time, on one CPU thread.

- latency of the frozen TorchScript runtime for one asset and a batch of 100, p50/p99 over many
  calls, next to the eager module in the same run (the baseline), and against the 1.26 ms figure
  the idea's origin claimed (targets: one asset <= 0.126 ms, 100 assets <= 1.26 ms);
- what the app pays end to end for 100 assets: features from 400 daily closes each, the gate,
  and the frozen forward pass;
- training time for 2 years of hourly bars x 10 assets of SYNTHETIC GARCH(1,1) prices
  (models/synthetic.py), 24-bar horizon, default TrainConfig with early stopping.
Prints one JSON line last.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from models.dataset import build_dataset, latest_rows
from models.features import FEATURE_NAMES
from models.gate import InputGate
from models.network import Forecaster, NetworkConfig
from models.runtime import ForecastRuntime
from models.synthetic import garch_prices
from models.training import TrainConfig, train

TARGET_SINGLE_MS = 0.126
TARGET_BATCH_MS = 1.26
CALLS = 3000


def _percentiles(fn: Callable[[], object], calls: int = CALLS) -> tuple[float, ...]:
    """Wall-clock p50/p99 and this thread's CPU-time p50/p99 per call, in ms. On a shared machine
    wall time includes time the thread spent descheduled; CPU time does not."""
    for _ in range(200):
        fn()
    wall = np.empty(calls)
    cpu = np.empty(calls)
    for i in range(calls):
        c0, w0 = time.thread_time_ns(), time.perf_counter_ns()
        fn()
        wall[i] = time.perf_counter_ns() - w0
        cpu[i] = time.thread_time_ns() - c0
    return tuple(float(np.percentile(a, q) / 1e6) for a in (wall, cpu) for q in (50, 99))


def _frozen_vs_eager(net: Forecaster, prefix: str) -> tuple[dict[str, float], ForecastRuntime]:
    n = len(FEATURE_NAMES)
    gate = InputGate(FEATURE_NAMES, tuple([-1e9] * n), tuple([1e9] * n))
    runtime = ForecastRuntime(net, gate)
    out: dict[str, float] = {}
    for label, size in (("single", 1), ("batch100", 100)):
        x = torch.randn(size, n + 3)

        def frozen_call(x: torch.Tensor = x) -> None:
            runtime.run(x)

        frozen = _percentiles(frozen_call)

        def eager(x: torch.Tensor = x) -> None:
            with torch.inference_mode():
                net(x)

        plain = _percentiles(eager)
        key = f"{prefix}{label}"
        out[f"{key}_frozen_p50_ms"] = round(frozen[0], 4)
        out[f"{key}_frozen_p99_ms"] = round(frozen[1], 4)
        out[f"{key}_frozen_cpu_p50_ms"] = round(frozen[2], 4)
        out[f"{key}_frozen_cpu_p99_ms"] = round(frozen[3], 4)
        out[f"{key}_eager_p50_ms"] = round(plain[0], 4)
        out[f"{key}_eager_p99_ms"] = round(plain[1], 4)
        out[f"{key}_eager_cpu_p50_ms"] = round(plain[2], 4)
        out[f"{key}_eager_over_frozen_p50"] = round(plain[0] / frozen[0], 2)
    return out, runtime


def _network(layers: int) -> Forecaster:
    torch.manual_seed(0)
    net = Forecaster(NetworkConfig(len(FEATURE_NAMES), hidden=32, layers=layers))
    torch.nn.init.normal_(net.head.weight, 0.0, 0.1)  # a non-trivial head, as after training
    return net.eval()


def latency() -> dict[str, float | bool]:
    """The shipped default (no hidden layer) and, for reference, a 32x2 MLP."""
    out: dict[str, float | bool] = {}
    shipped, runtime = _frozen_vs_eager(_network(0), "")
    out.update(shipped)
    # Targets are judged on wall-clock time, what a person waits for.
    out["single_target_met_p50"] = out["single_frozen_p50_ms"] <= TARGET_SINGLE_MS
    out["single_target_met_p99"] = out["single_frozen_p99_ms"] <= TARGET_SINGLE_MS
    out["batch100_target_met_p50"] = out["batch100_frozen_p50_ms"] <= TARGET_BATCH_MS
    out["batch100_target_met_p99"] = out["batch100_frozen_p99_ms"] <= TARGET_BATCH_MS
    mlp, _ = _frozen_vs_eager(_network(2), "mlp32x2_")
    out.update(mlp)

    # End to end for 100 held assets: features, gate, forward pass, back to numpy.
    series = {f"A{i}": garch_prices(400, seed=i) for i in range(100)}
    data = {k: (p.times, p.close) for k, p in series.items()}
    started = time.perf_counter()
    rows = latest_rows(data, horizon=7)
    features_done = time.perf_counter()
    runtime.forecast(np.stack([row for _, row in rows.values()]))
    finished = time.perf_counter()
    out["e2e100_features_ms"] = round((features_done - started) * 1e3, 2)
    out["e2e100_gate_and_forward_ms"] = round((finished - features_done) * 1e3, 3)
    return out


def training_time() -> dict[str, float | int | str]:
    hours = 2 * 365 * 24
    series = {
        f"S{i}": garch_prices(hours, seed=100 + i, daily_vol=0.008, bar_seconds=3600)
        for i in range(10)
    }
    started = time.perf_counter()
    data = build_dataset({k: (p.times, p.close) for k, p in series.items()}, horizon=24)
    built = time.perf_counter()
    result = train(data, TrainConfig())
    done = time.perf_counter()
    return {
        "train_data": "synthetic GARCH(1,1), 2 years hourly x 10 assets",
        "train_rows": len(data),
        "train_dataset_s": round(built - started, 2),
        "train_fit_s": round(done - built, 2),
        "train_epochs": result.epochs,
        "train_best_epoch": result.best_epoch,
        "train_s_per_epoch": round((done - built) / result.epochs, 3),
    }


def main() -> None:
    torch.set_num_threads(1)
    load = os.getloadavg()[0]
    figures: dict[str, object] = {
        "torch": torch.__version__,
        "threads": 1,
        "cpus": os.cpu_count(),
        "load_avg_1min_at_start": round(load, 2),
    }
    figures.update(latency())
    figures.update(training_time())
    for key, value in figures.items():
        print(f"{key:>32}: {value}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
