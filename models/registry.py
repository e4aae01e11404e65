"""Saved models: weights file plus a JSON record with metadata and the weights' sha256.

Layout under a folder (the app uses ``<data dir>/models/insights``): ``<name>.pt`` (a torch
state dict) and ``<name>.json``. Loading refuses, with :class:`RegistryError`, a record whose
format, feature version or architecture differs from this code's, and weights whose sha256 does
not match the record (a torn write, disk corruption, or a file swapped by hand). Writes go to a
temporary file and are renamed into place, weights first, so a reader never sees a record that
points at half-written weights.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from models.features import FEATURE_NAMES, FEATURE_VERSION
from models.network import Forecaster, NetworkConfig

__all__ = ["FORMAT", "ModelRecord", "Registry", "RegistryError"]

FORMAT = "cryptoorchestrator.insights/1"


class RegistryError(Exception):
    """A stored model cannot be used; the message says why, in words fit for a person."""


@dataclass(frozen=True)
class ModelRecord:
    name: str
    network: dict[str, int]
    horizon: int
    created_at: float  # UTC seconds
    expires_at: float
    gate: dict[str, Any]
    track_record: dict[str, Any]
    training: dict[str, Any] = field(default_factory=dict)
    feature_version: int = FEATURE_VERSION
    feature_names: tuple[str, ...] = FEATURE_NAMES
    format: str = FORMAT
    torch_version: str = torch.__version__
    sha256: str = ""

    def to_json(self) -> str:
        data = dict(self.__dict__)
        data["feature_names"] = list(self.feature_names)
        return json.dumps(data, indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> ModelRecord:
        data = json.loads(text)
        data["feature_names"] = tuple(data["feature_names"])
        return cls(**data)


def _atomic_write(path: Path, payload: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Registry:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _paths(self, name: str) -> tuple[Path, Path]:
        if not name.replace("-", "").replace("_", "").isalnum():
            raise RegistryError(f"{name!r} is not a valid model name.")
        return self.folder / f"{name}.pt", self.folder / f"{name}.json"

    def save(self, net: Forecaster, record: ModelRecord) -> ModelRecord:
        weights_path, record_path = self._paths(record.name)
        buffer = io.BytesIO()
        torch.save(net.state_dict(), buffer)
        payload = buffer.getvalue()
        stored = ModelRecord(**{**record.__dict__, "sha256": hashlib.sha256(payload).hexdigest()})
        _atomic_write(weights_path, payload)
        _atomic_write(record_path, stored.to_json().encode())
        return stored

    def record(self, name: str) -> ModelRecord | None:
        """The stored record, or None when there is none; RegistryError when it is unreadable."""
        _, record_path = self._paths(name)
        try:
            text = record_path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise RegistryError(f"Cannot read the model record {record_path}: {exc}.") from exc
        try:
            record = ModelRecord.from_json(text)
        except (ValueError, TypeError, KeyError) as exc:
            raise RegistryError(f"The model record {record_path.name} is damaged.") from exc
        if record.format != FORMAT:
            raise RegistryError(f"The saved model has format {record.format!r}, not {FORMAT!r}.")
        if record.feature_version != FEATURE_VERSION or record.feature_names != FEATURE_NAMES:
            raise RegistryError(
                "The saved model was trained on other features than this version computes."
            )
        return record

    def load(self, name: str) -> tuple[Forecaster, ModelRecord]:
        record = self.record(name)
        if record is None:
            raise RegistryError(f"No saved model named {name!r}.")
        weights_path, _ = self._paths(name)
        try:
            payload = weights_path.read_bytes()
        except OSError as exc:
            raise RegistryError(f"The weights file {weights_path.name} cannot be read.") from exc
        if hashlib.sha256(payload).hexdigest() != record.sha256:
            raise RegistryError(
                f"The weights file {weights_path.name} does not match its record (sha256 differs)."
            )
        try:
            config = NetworkConfig(**record.network)
            net = Forecaster(config)
            state = torch.load(io.BytesIO(payload), map_location="cpu", weights_only=True)
            net.load_state_dict(state, strict=True)
        except (RuntimeError, TypeError, ValueError, KeyError) as exc:
            raise RegistryError(
                f"The weights in {weights_path.name} do not fit the recorded architecture."
            ) from exc
        net.eval()
        return net, record

    def delete(self, name: str) -> None:
        for path in self._paths(name):
            path.unlink(missing_ok=True)
