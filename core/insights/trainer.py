"""The blocking half of training in the app: dataset, fit, held-out track record, save.

Runs in an executor. The track record is computed on the newest block of rows, which the saved
network never trained or early-stopped on: it is exactly the model the person then sees.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import numpy as np

from models.dataset import Series, build_dataset
from models.evaluation import compare, predict
from models.features import FEATURE_NAMES
from models.gate import InputGate
from models.registry import ModelRecord, Registry
from models.training import Progress, TrainConfig, train

__all__ = ["MIN_TRACK_ROWS", "train_and_save"]

#: fewer held-out rows than this and no claim of beating a baseline is made
MIN_TRACK_ROWS = 30


def train_and_save(
    series: Mapping[str, Series],
    registry: Registry,
    name: str,
    horizon: int,
    config: TrainConfig,
    max_age_s: float,
    progress: Progress | None = None,
) -> ModelRecord:
    data = build_dataset(series, horizon)
    if len(data) == 0:
        raise ValueError("no asset has enough price history to learn from")
    result = train(data, config, progress)
    split = result.split
    test = data.take(split.test)
    outputs = predict(result.network, test.inputs)
    per_asset: dict[str, Any] = {}
    for number, symbol in enumerate(data.assets):
        rows = np.flatnonzero(test.asset == number)
        if rows.size >= MIN_TRACK_ROWS:
            per_asset[symbol] = compare(outputs[rows], test.take(rows)).as_dict()
    pooled = compare(outputs, test).as_dict() if len(test) >= MIN_TRACK_ROWS else None
    now = time.time()
    record = ModelRecord(
        name=name,
        network={
            "n_features": len(FEATURE_NAMES),
            "hidden": config.hidden,
            "layers": config.layers,
        },
        horizon=horizon,
        created_at=now,
        expires_at=now + max_age_s,
        gate=InputGate.fit(data.features[split.train], FEATURE_NAMES).as_dict(),
        track_record={
            "pooled": pooled,
            "assets": per_asset,
            "test_start": split.test_start,
            "test_end": int(data.time.max()),
        },
        training={
            "config": config.as_dict(),
            "epochs": result.epochs,
            "best_epoch": result.best_epoch,
            "rows": {
                "train": int(split.train.size),
                "validation": int(split.validation.size),
                "test": int(split.test.size),
            },
            "series": {s: int(series[s][0].size) for s in data.assets},
        },
    )
    return registry.save(result.network, record)
