"""Events the insights service publishes on the core bus (from the loop thread)."""

from __future__ import annotations

from dataclasses import dataclass

from core.events import CoreEvent

__all__ = ["InsightsModelChanged", "InsightsTrainingProgress"]


@dataclass(frozen=True)
class InsightsTrainingProgress(CoreEvent):
    """``stage`` is "preparing", "training" or "saving"; epochs count while training."""

    stage: str
    epoch: int = 0
    max_epochs: int = 0
    validation_loss: float | None = None

    @property
    def fraction(self) -> float:
        if self.stage == "saving":
            return 1.0
        return self.epoch / self.max_epochs if self.max_epochs else 0.0


@dataclass(frozen=True)
class InsightsModelChanged(CoreEvent):
    """A new model was trained and loaded (or a stored one was refused)."""

    trained_at: float | None
    problem: str | None = None
