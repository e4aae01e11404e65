"""User actions of the Alerts page and the tray: one thin function each, run through core.tasks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from core.alerts import RuleForm
from desktop.operations import Operations

__all__ = [
    "check_now",
    "load_history",
    "remove_rule",
    "save_rule",
    "set_enabled",
    "set_paused",
]

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


def save_rule(ops: Operations, form: RuleForm, on_saved: Done, on_failure: Failed) -> None:
    ops.run("save alert rule", ops.core.alerts.save_form(form), on_saved, on_failure)


def remove_rule(ops: Operations, rule_id: int, on_removed: Done) -> None:
    ops.run("delete alert rule", ops.core.alerts.remove_rule(rule_id), on_removed)


def set_enabled(ops: Operations, rule_id: int, enabled: bool, on_done: Done) -> None:
    ops.run("switch alert rule", ops.core.alerts.set_enabled(rule_id, enabled), on_done)


def set_paused(ops: Operations, paused: bool, on_done: Done | None = None) -> None:
    ops.run(
        "pause alerts" if paused else "resume alerts", ops.core.alerts.set_paused(paused), on_done
    )


def check_now(ops: Operations, on_done: Done) -> None:
    ops.run("check alerts now", ops.core.alerts.check_now(), on_done)


def load_history(ops: Operations, on_loaded: Done, limit: int = 200) -> None:
    ops.run("load alert history", ops.core.alerts.history(limit), on_loaded)
