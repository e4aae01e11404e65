"""Errors of the insights feature, fit to show a person."""

from __future__ import annotations

from core.errors import CoreError

__all__ = ["InsightsError"]


class InsightsError(CoreError):
    title = "Insights"
