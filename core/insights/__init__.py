"""Insights: the bridge from stored price history to the on-device forecasters in models/.

Everything torch or pandas runs in an executor; the event loop (and so the GUI) never waits on it.
"""

from core.insights.errors import InsightsError
from core.insights.events import InsightsModelChanged, InsightsTrainingProgress
from core.insights.service import AssetInsight, InsightsService, ModelStatus

__all__ = [
    "AssetInsight",
    "InsightsError",
    "InsightsModelChanged",
    "InsightsService",
    "InsightsTrainingProgress",
    "ModelStatus",
]
