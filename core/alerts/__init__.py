"""Alerts: rules evaluated in the core on a schedule, a fired history, notifier interface."""

from core.alerts.forms import RuleForm, build_rule, form_from_rule
from core.alerts.notifier import LogNotifier, Notifier, StreamNotifier, format_alert
from core.alerts.rules import KINDS, AssetRef, Rule, RuleState, SwapTarget
from core.alerts.service import AlertFired, AlertsChanged, AlertService, Intervals
from core.alerts.sources import VolatilityForecasts
from core.alerts.store import FiredAlert
from core.alerts.validation import AlertRuleError

__all__ = [
    "KINDS",
    "AlertFired",
    "AlertRuleError",
    "AlertService",
    "AlertsChanged",
    "AssetRef",
    "FiredAlert",
    "Intervals",
    "LogNotifier",
    "Notifier",
    "Rule",
    "RuleForm",
    "RuleState",
    "StreamNotifier",
    "SwapTarget",
    "VolatilityForecasts",
    "build_rule",
    "form_from_rule",
    "format_alert",
]
