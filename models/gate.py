"""The unusual-input gate: refuse to forecast from inputs unlike anything seen in training.

A network extrapolates without warning; a forecast from a feature vector far outside the
training data is a guess presented as a number. Per feature the gate keeps the training range
and allows a margin of ``margin`` times that range on each side; anything beyond, or any
non-finite value, is refused with the names of the features that tripped it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["GateVerdict", "InputGate"]

Array = npt.NDArray[np.float64]


@dataclass(frozen=True)
class GateVerdict:
    ok: bool
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class InputGate:
    names: tuple[str, ...]
    low: tuple[float, ...]
    high: tuple[float, ...]

    @classmethod
    def fit(cls, features: Array, names: tuple[str, ...], margin: float = 0.5) -> InputGate:
        lo = np.nanmin(features, axis=0)
        hi = np.nanmax(features, axis=0)
        span = np.maximum(hi - lo, 1e-9)
        return cls(
            names, tuple((lo - margin * span).tolist()), tuple((hi + margin * span).tolist())
        )

    def check(self, features: Array) -> list[GateVerdict]:
        """One verdict per row of ``features``."""
        low, high = np.asarray(self.low), np.asarray(self.high)
        verdicts = []
        for row in np.atleast_2d(features):
            bad = ~np.isfinite(row) | (row < low) | (row > high)
            reasons = tuple(
                f"{self.names[i]}={row[i]:.3g} outside [{low[i]:.3g}, {high[i]:.3g}]"
                if np.isfinite(row[i])
                else f"{self.names[i]} is not a number"
                for i in np.flatnonzero(bad)
            )
            verdicts.append(GateVerdict(not reasons, reasons))
        return verdicts

    def as_dict(self) -> dict[str, list[float] | list[str]]:
        return {"names": list(self.names), "low": list(self.low), "high": list(self.high)}

    @classmethod
    def from_dict(cls, data: dict[str, list[float] | list[str]]) -> InputGate:
        return cls(
            tuple(str(n) for n in data["names"]),
            tuple(float(v) for v in data["low"]),
            tuple(float(v) for v in data["high"]),
        )
