"""Registry round trip; corrupt, swapped or mismatched files are refused, never loaded."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
import torch

from models.features import FEATURE_NAMES
from models.gate import InputGate
from models.network import Forecaster, NetworkConfig
from models.registry import ModelRecord, Registry, RegistryError
from tests.models.conftest import Trained


def _record(name: str = "daily") -> ModelRecord:
    gate = InputGate(FEATURE_NAMES, tuple([-1.0] * 12), tuple([1.0] * 12))
    return ModelRecord(
        name=name,
        network={"n_features": 12, "hidden": 32, "layers": 0},
        horizon=7,
        created_at=1.0,
        expires_at=2.0,
        gate=gate.as_dict(),
        track_record={"pooled": None},
    )


def test_round_trip_restores_identical_weights(trained: Trained, tmp_path: Path) -> None:
    registry = Registry(tmp_path)
    stored = registry.save(trained.result.network, _record())
    assert len(stored.sha256) == 64
    net, record = registry.load("daily")
    assert record == stored
    for key, value in trained.result.network.state_dict().items():
        assert torch.equal(value, net.state_dict()[key]), key
    assert not net.training


def test_a_flipped_byte_is_refused(trained: Trained, tmp_path: Path) -> None:
    registry = Registry(tmp_path)
    registry.save(trained.result.network, _record())
    weights = tmp_path / "daily.pt"
    data = bytearray(weights.read_bytes())
    data[len(data) // 2] ^= 0x01
    weights.write_bytes(bytes(data))
    with pytest.raises(RegistryError, match="sha256"):
        registry.load("daily")


def test_a_truncated_file_is_refused(trained: Trained, tmp_path: Path) -> None:
    registry = Registry(tmp_path)
    registry.save(trained.result.network, _record())
    weights = tmp_path / "daily.pt"
    weights.write_bytes(weights.read_bytes()[:100])
    with pytest.raises(RegistryError):
        registry.load("daily")


def test_weights_of_another_architecture_are_refused(tmp_path: Path) -> None:
    registry = Registry(tmp_path)
    wide = Forecaster(NetworkConfig(12, hidden=64, layers=2))
    # The record claims no hidden layer and its sha256 matches the (64x2) file: shapes decide.
    registry.save(wide, _record())
    with pytest.raises(RegistryError, match="architecture"):
        registry.load("daily")


def test_other_feature_version_or_damaged_record_is_refused(
    trained: Trained, tmp_path: Path
) -> None:
    registry = Registry(tmp_path)
    registry.save(trained.result.network, _record())
    path = tmp_path / "daily.json"
    data = json.loads(path.read_text())
    data["feature_version"] = 999
    path.write_text(json.dumps(data))
    with pytest.raises(RegistryError, match="other features"):
        registry.load("daily")
    path.write_text("{not json")
    with pytest.raises(RegistryError, match="damaged"):
        registry.load("daily")


def test_missing_model_and_bad_names(tmp_path: Path) -> None:
    registry = Registry(tmp_path)
    assert registry.record("daily") is None
    with pytest.raises(RegistryError, match="No saved model"):
        registry.load("daily")
    with pytest.raises(RegistryError):
        registry.save(Forecaster(NetworkConfig(12)), replace(_record(), name="../evil"))
    assert list(tmp_path.iterdir()) == []
