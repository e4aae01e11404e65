"""Status bar: one dot per enabled chain, green online, red offline, grey not checked yet."""

from __future__ import annotations

from datetime import datetime

from core.app import CoreApp
from core.events import ChainStatusChanged
from desktop.qt import QHBoxLayout, QLabel, QWidget

_COLORS = {True: "#1a7f37", False: "#cf222e", None: "#8c959f"}


class ChainStatusBar(QWidget):
    def __init__(self, core: CoreApp) -> None:
        super().__init__()
        self._core = core
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.labels: dict[int, QLabel] = {}
        self.online: dict[int, bool | None] = {}
        self.rebuild()

    def rebuild(self) -> None:
        for label in self.labels.values():
            label.deleteLater()
        self.labels.clear()
        for chain in self._core.settings().chains:
            if not chain.enabled:
                continue
            label = QLabel()
            self.labels[chain.chain_id] = label
            self._layout.addWidget(label)
            self._paint(
                chain.chain_id, chain.name, self.online.get(chain.chain_id), "not checked yet"
            )

    def _paint(self, chain_id: int, name: str, online: bool | None, detail: str) -> None:
        label = self.labels.get(chain_id)
        if label is None:
            return
        self.online[chain_id] = online
        label.setText(f'<span style="color:{_COLORS[online]}">\u25cf</span> {name}')
        state = "online" if online else ("offline" if online is False else "unknown")
        label.setToolTip(f"{name} (chain {chain_id}): {state}. {detail}")
        label.setAccessibleName(f"{name} {state}")

    def apply(self, event: ChainStatusChanged) -> None:
        if event.online:
            detail = f"Block {event.block_number}, {event.latency_ms or 0:.0f} ms."
        else:
            detail = f"{event.error or 'unreachable'}."
        self._paint(event.chain_id, event.chain_name, event.online, detail)

    def apply_stored(self, records: dict[int, object]) -> None:
        """Show the last known state from the database (offline start), marked with its time."""
        for chain in self._core.settings().chains:
            record = records.get(chain.chain_id)
            if record is None or chain.chain_id not in self.labels:
                continue
            checked: datetime = record.checked_at  # type: ignore[attr-defined]
            online: bool = record.online  # type: ignore[attr-defined]
            when = checked.astimezone().strftime("%Y-%m-%d %H:%M")
            self._paint(chain.chain_id, chain.name, online, f"Last checked {when}.")
