"""An in-memory replica over the real merge functions, for property tests of convergence."""

from __future__ import annotations

from typing import Any

from core.sync.changes import DELETED, Change, new_change_id
from core.sync.hlc import Clock
from core.sync.merge import Conflict, RecordState, local_change, merge_change, visible


class Replica:
    def __init__(self, device: str, wall: Any) -> None:
        self.clock = Clock(device, wall=wall)
        self.records: dict[tuple[str, str], RecordState] = {}
        self.applied: set[str] = set()
        self.outbox: list[Change] = []
        self.conflicts: list[Conflict] = []
        self.cursor = 0

    def edit(self, kind: str, record_id: str, fields: dict[str, Any]) -> Change:
        state = self.records.get((kind, record_id), {})
        change = local_change(state, self.clock, new_change_id(), kind, record_id, fields)
        self.apply(change)
        self.outbox.append(change)
        return change

    def delete(self, kind: str, record_id: str) -> Change:
        return self.edit(kind, record_id, {DELETED: True})

    def apply(self, change: Change) -> None:
        if change.change_id in self.applied:
            return
        self.clock.observe(change.hlc)
        key = (change.kind, change.record_id)
        state, conflicts = merge_change(self.records.get(key, {}), change)
        self.records[key] = state
        self.conflicts.extend(conflicts)
        self.applied.add(change.change_id)

    def view(self) -> dict[tuple[str, str], dict[str, Any]]:
        out = {}
        for key, state in self.records.items():
            shown = visible(state)
            if shown is not None:
                out[key] = shown
        return out
