"""Training on CPU: pooled rows, purged walk-forward split, early stopping, seeded.

The loss is the sum of three proper scores, each in scale-free units so assets and bar lengths
mix: the Gaussian/QLIKE variance loss ``rv/f + log f`` (relative to the baseline's log f), the
log loss of the up-probability, and the pinball loss of the quantiles in units of the baseline
volatility. Determinism: one seed drives initialisation (in a forked RNG, leaving the caller's
untouched) and the shuffling generator; CPU kernels are deterministic at a fixed thread count.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import numpy as np
import torch
from torch import nn

from models.baselines import QUANTILES
from models.dataset import Dataset, Split, walk_forward_split
from models.features import FEATURE_NAMES
from models.network import Forecaster, NetworkConfig

__all__ = ["Progress", "TrainConfig", "TrainResult", "loss_terms", "train"]

#: called as progress(epoch, max_epochs, validation_loss)
Progress = Callable[[int, int, float], None]


@dataclass(frozen=True)
class TrainConfig:
    hidden: int = 32
    layers: int = 0  # see models/network.py for the measurements behind this default
    learning_rate: float = 3e-3
    weight_decay: float = 1e-4
    batch_size: int = 256
    max_epochs: int = 120
    patience: int = 10
    seed: int = 0
    validation_frac: float = 0.15
    test_frac: float = 0.15

    def as_dict(self) -> dict[str, float | int]:
        return asdict(self)


@dataclass
class TrainResult:
    network: Forecaster
    split: Split
    epochs: int
    best_epoch: int
    best_validation_loss: float
    history: list[float] = field(default_factory=list)


def _tensors(data: Dataset, rows: np.ndarray) -> tuple[torch.Tensor, ...]:
    return (
        torch.as_tensor(data.inputs[rows], dtype=torch.float32),
        torch.as_tensor(data.realised_var[rows], dtype=torch.float32),
        torch.as_tensor(data.returns[rows], dtype=torch.float32),
    )


def loss_terms(
    net: Forecaster, inputs: torch.Tensor, rv: torch.Tensor, ret: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    n = net.n_features
    base_log_var, drift = inputs[:, n], inputs[:, n + 2]
    log_var, logit, std_q = net.raw(inputs)
    # A flat stretch has rv == 0, which would reward an infinitely small forecast.
    rv = torch.maximum(rv, 1e-3 * torch.exp(base_log_var))
    vol = torch.mean(rv * torch.exp(-log_var) + (log_var - base_log_var))
    direction = nn.functional.binary_cross_entropy_with_logits(logit, (ret > 0).float())
    base_sd = torch.exp(0.5 * base_log_var)
    scaled_q = torch.exp(0.5 * (log_var - base_log_var))[:, None] * std_q
    err = ((ret - drift) / base_sd)[:, None] - scaled_q
    tau = torch.tensor(QUANTILES, dtype=inputs.dtype)[None, :]
    quant = torch.mean(torch.maximum(tau * err, (tau - 1.0) * err))
    return vol, direction, quant


def _loss(net: Forecaster, batch: tuple[torch.Tensor, ...]) -> torch.Tensor:
    vol, direction, quant = loss_terms(net, *batch)
    return vol + direction + quant


def train(
    data: Dataset,
    config: TrainConfig | None = None,
    progress: Progress | None = None,
    split: Split | None = None,
) -> TrainResult:
    config = config or TrainConfig()
    if split is None:
        split = walk_forward_split(data, config.validation_frac, config.test_frac)
    if split.train.size < 50 or split.validation.size < 10:
        raise ValueError(
            f"not enough history to train: {split.train.size} training and "
            f"{split.validation.size} validation rows (need 50 and 10)"
        )
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(config.seed)
        net = Forecaster(NetworkConfig(len(FEATURE_NAMES), config.hidden, config.layers))
    features = data.features[split.train]
    mean = features.mean(axis=0)
    scale = np.maximum(features.std(axis=0), 1e-6)
    net.set_normalisation(
        torch.as_tensor(mean, dtype=torch.float32), torch.as_tensor(scale, dtype=torch.float32)
    )
    train_set = _tensors(data, split.train)
    val_set = _tensors(data, split.validation)
    optimiser = torch.optim.AdamW(
        net.parameters(), lr=config.learning_rate, weight_decay=config.weight_decay
    )
    shuffle = torch.Generator().manual_seed(config.seed)
    # Epoch 0 is the untrained network, i.e. the baselines: if no epoch beats it on the
    # validation block, the baselines are what gets kept.
    with torch.no_grad():
        best = float(_loss(net, val_set))
    best_state = copy.deepcopy(net.state_dict())
    best_epoch = 0
    history: list[float] = [best]
    size = train_set[0].shape[0]
    epoch = 0
    for epoch in range(1, config.max_epochs + 1):
        net.train()
        order = torch.randperm(size, generator=shuffle)
        for start in range(0, size, config.batch_size):
            rows = order[start : start + config.batch_size]
            optimiser.zero_grad(set_to_none=True)
            loss = _loss(net, tuple(t[rows] for t in train_set))
            loss.backward()  # type: ignore[no-untyped-call]
            nn.utils.clip_grad_norm_(net.parameters(), 5.0)
            optimiser.step()
        net.eval()
        with torch.no_grad():
            val = float(_loss(net, val_set))
        history.append(val)
        if progress is not None:
            progress(epoch, config.max_epochs, val)
        if val < best - 1e-5:
            best, best_epoch = val, epoch
            best_state = copy.deepcopy(net.state_dict())
        elif epoch - best_epoch >= config.patience:
            break
    net.load_state_dict(best_state)
    net.eval()
    return TrainResult(net, split, epoch, best_epoch, best, history)
