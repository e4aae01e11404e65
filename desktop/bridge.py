"""The one adapter between the core's event bus and Qt: core events re-emitted as signals.

Core events are published on the loop thread, which is the Qt thread under qasync, so emitting
directly is safe; queued connections would also cope if that ever changed.
"""

from __future__ import annotations

from core.alerts import AlertFired, AlertsChanged
from core.app import CoreApp
from core.events import ChainStatusChanged, SettingsChanged, TaskFailed
from core.wallet.sender import TxStatusChanged
from desktop.qt import QObject, Signal


class CoreSignals(QObject):
    chain_status = Signal(object)  # ChainStatusChanged
    task_failed = Signal(object)  # TaskFailed
    settings_changed = Signal(object)  # SettingsChanged
    tx_status = Signal(object)  # TxStatusChanged
    alert_fired = Signal(object)  # AlertFired
    alerts_changed = Signal()  # AlertsChanged: rules, their status or the pause flag

    def __init__(self, core: CoreApp) -> None:
        super().__init__()
        # Bound methods are held weakly by the bus; this object lives as long as the window.
        core.bus.subscribe(ChainStatusChanged, self._on_chain_status)
        core.bus.subscribe(TaskFailed, self._on_task_failed)
        core.bus.subscribe(SettingsChanged, self._on_settings_changed)
        core.bus.subscribe(TxStatusChanged, self._on_tx_status)
        core.bus.subscribe(AlertFired, self._on_alert_fired)
        core.bus.subscribe(AlertsChanged, self._on_alerts_changed)

    def _on_chain_status(self, event: ChainStatusChanged) -> None:
        self.chain_status.emit(event)

    def _on_task_failed(self, event: TaskFailed) -> None:
        self.task_failed.emit(event)

    def _on_settings_changed(self, event: SettingsChanged) -> None:
        self.settings_changed.emit(event)

    def _on_tx_status(self, event: TxStatusChanged) -> None:
        self.tx_status.emit(event)

    def _on_alert_fired(self, event: AlertFired) -> None:
        self.alert_fired.emit(event)

    def _on_alerts_changed(self, _event: AlertsChanged) -> None:
        self.alerts_changed.emit()
