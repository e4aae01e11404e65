"""Where fired alerts go. The core only knows this interface; the desktop implements it with the
system tray (desktop/alert_notifier.py), the CLI and headless runs with the log or a stream."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol, runtime_checkable

from core.alerts.store import FiredAlert

__all__ = ["LogNotifier", "Notifier", "StreamNotifier", "format_alert"]

log = logging.getLogger("core.alerts")


@runtime_checkable
class Notifier(Protocol):
    """``notify`` is called on the core's loop thread for each alert that fired while alerts are
    not paused. It must return quickly and must not raise (a failure is logged and the other
    notifiers still hear the alert)."""

    def notify(self, alert: FiredAlert) -> None: ...


def format_alert(alert: FiredAlert) -> str:
    return f"{alert.fired_at:%Y-%m-%d %H:%M:%S} UTC  {alert.rule_name}: {alert.message}"


class LogNotifier:
    """Every alert as one log line (headless runs, and a record next to the tray's balloon)."""

    def notify(self, alert: FiredAlert) -> None:
        log.warning("alert fired: %s", format_alert(alert))


class StreamNotifier:
    """Every alert as one line through ``write`` (the CLI passes typer.echo)."""

    def __init__(self, write: Callable[[str], object]) -> None:
        self._write = write

    def notify(self, alert: FiredAlert) -> None:
        self._write(format_alert(alert))
