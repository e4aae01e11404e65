"""Inference: a frozen TorchScript module, run under inference_mode, batched across assets.

Freezing folds the weights and normalisation into the graph as constants and scripting removes
Python from the forward pass; the result is what ``tests/bench/bench_insights.py`` times against
the eager module. Rows the unusual-input gate refuses come back as NaN with the gate's reasons:
never a number the model had no business producing.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import torch

from models.features import FEATURE_NAMES
from models.gate import GateVerdict, InputGate
from models.network import OUTPUTS, Forecaster, NetworkConfig

__all__ = ["ForecastBatch", "ForecastRuntime", "freeze", "self_check"]

Array = npt.NDArray[np.float64]


def freeze(net: Forecaster) -> torch.jit.ScriptModule:
    """Script and freeze a copy-free eval-mode module (the original stays trainable)."""
    was_training = net.training
    net.eval()
    try:
        with warnings.catch_warnings():
            # TorchScript is deprecated in favour of torch.compile/export, which need a compiler
            # toolchain at run time; a frozen script needs nothing and is what we measure.
            warnings.simplefilter("ignore", DeprecationWarning)
            scripted = torch.jit.script(net)
            frozen: torch.jit.ScriptModule = torch.jit.freeze(scripted)
    finally:
        net.train(was_training)
    return frozen


@dataclass(frozen=True)
class ForecastBatch:
    """One row per asset; NaN where the gate refused the input."""

    outputs: Array  # [n, 5]: variance, p_up, q05, q50, q95 (horizon log return)
    verdicts: list[GateVerdict]

    def column(self, name: str) -> Array:
        return self.outputs[:, OUTPUTS.index(name)]


class ForecastRuntime:
    def __init__(self, net: Forecaster, gate: InputGate) -> None:
        self.gate = gate
        self.module = freeze(net)
        self._width = len(FEATURE_NAMES) + 3

    def run(self, inputs: torch.Tensor) -> torch.Tensor:
        """The bare forward pass on an already-built float32 tensor (what the benchmark times)."""
        with torch.inference_mode():
            out: torch.Tensor = self.module(inputs)
        return out

    def forecast(self, inputs: Array) -> ForecastBatch:
        rows = np.atleast_2d(np.asarray(inputs, dtype=np.float64))
        if rows.shape[1] != self._width:
            raise ValueError(f"expected {self._width} input columns, got {rows.shape[1]}")
        verdicts = self.gate.check(rows[:, : len(FEATURE_NAMES)])
        ok = np.array([v.ok for v in verdicts], dtype=bool)
        outputs = np.full((rows.shape[0], len(OUTPUTS)), np.nan)
        if ok.any():
            tensor = torch.from_numpy(rows[ok].astype(np.float32))
            outputs[ok] = self.run(tensor).double().numpy()
        return ForecastBatch(outputs, verdicts)


def self_check(batch: int = 8) -> str:
    """Build the architecture, freeze it, push one batch through the runtime, and describe it.

    Used by the packaged app's ``--self-test``: it proves torch, TorchScript and the model code
    made it into the bundle and produce finite numbers."""
    n = len(FEATURE_NAMES)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        net = Forecaster(NetworkConfig(n))
    gate = InputGate(FEATURE_NAMES, tuple([-1e9] * n), tuple([1e9] * n))
    runtime = ForecastRuntime(net, gate)
    generator = np.random.default_rng(0)
    inputs = np.column_stack(
        (
            generator.normal(size=(batch, n)),
            np.full(batch, np.log(4e-3)),
            np.zeros(batch),
            np.zeros(batch),
        )
    )
    started = time.perf_counter()
    result = runtime.forecast(inputs)
    elapsed_ms = (time.perf_counter() - started) * 1e3
    if not np.all(np.isfinite(result.outputs)):
        raise RuntimeError("the frozen forecaster produced non-finite outputs")
    params = sum(p.numel() for p in net.parameters())
    layers = sum(isinstance(m, torch.nn.Linear) for m in net.trunk)
    return (
        f"insights runtime ok: torch {torch.__version__}, frozen TorchScript forecaster "
        f"({layers} hidden layer(s), {params} parameters, {n} features), "
        f"batch of {batch} in {elapsed_ms:.2f} ms"
    )
