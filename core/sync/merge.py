"""The merge: last writer wins per field, deletes are tombstones, concurrent edits are recorded.

Each record's state maps a field to the version that wrote it. Applying a change keeps, per field,
the write with the greatest HLC: a commutative, associative and idempotent choice, so devices that
have applied the same set of changes hold the same state whatever the order. A write that loses to
a concurrent one (neither writer had seen the other's version) is not dropped silently: it is
returned as a :class:`Conflict` so the person can see it. Deletes write ``True`` to the tombstone
field; an edit that races a delete is recorded the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.sync.changes import DELETED, Change
from core.sync.hlc import Clock

__all__ = [
    "Conflict",
    "FieldVersion",
    "RecordState",
    "local_change",
    "merge_change",
    "visible",
]


@dataclass(frozen=True)
class FieldVersion:
    value: Any
    hlc: str
    change_id: str
    #: the version this write overwrote on its writer (None: it had seen none)
    base: str | None = None


RecordState = dict[str, FieldVersion]


@dataclass(frozen=True)
class Conflict:
    kind: str
    record_id: str
    field: str
    winner: FieldVersion
    loser: FieldVersion


def visible(state: RecordState) -> dict[str, Any] | None:
    """The record as the person sees it, or None if it does not exist or was deleted."""
    tomb = state.get(DELETED)
    if not state or (tomb is not None and tomb.value is True):
        return None
    fields = {name: v.value for name, v in state.items() if name != DELETED}
    return fields or None


def _concurrent(current: FieldVersion, incoming: FieldVersion) -> bool:
    return incoming.base != current.hlc and current.base != incoming.hlc


def merge_change(state: RecordState, change: Change) -> tuple[RecordState, list[Conflict]]:
    """Apply ``change`` to a record's ``state``; returns the new state and any conflicts."""
    new = dict(state)
    conflicts: list[Conflict] = []
    version = change.version

    def record(winner: FieldVersion, loser: FieldVersion, name: str) -> None:
        if winner.value != loser.value:
            conflicts.append(Conflict(change.kind, change.record_id, name, winner, loser))

    for name, value in change.fields.items():
        incoming = FieldVersion(value, version, change.change_id, change.base.get(name))
        current = new.get(name)
        if current is None:
            new[name] = incoming
            continue
        if current.change_id == change.change_id:
            continue  # the same change again: nothing to do
        winner, loser = (incoming, current) if incoming.hlc > current.hlc else (current, incoming)
        new[name] = winner
        if _concurrent(current, incoming):
            record(winner, loser, name)

    tomb = new.get(DELETED)
    if tomb is not None and tomb.value is True:
        if DELETED in change.fields and new[DELETED].change_id == change.change_id:
            # A delete arrived: fields written by edits its writer had not seen are hidden now.
            for name, current in state.items():
                if name != DELETED and change.base.get(name) != current.hlc:
                    conflicts.append(
                        Conflict(change.kind, change.record_id, name, new[DELETED], current)
                    )
        elif change.base.get(DELETED) != tomb.hlc:
            # An edit (or a re-creation) arrived for a record deleted by a writer it had not
            # heard from, and the delete stands: the edit's fields are hidden.
            for name in change.fields:
                if name == DELETED:
                    continue  # already recorded above when it lost
                loser = FieldVersion(
                    change.fields[name], version, change.change_id, change.base.get(name)
                )
                conflicts.append(Conflict(change.kind, change.record_id, name, tomb, loser))
    return new, conflicts


def local_change(
    state: RecordState,
    clock: Clock,
    change_id: str,
    kind: str,
    record_id: str,
    fields: dict[str, Any],
) -> Change:
    """A change made on this device, with the versions it overwrites as its base."""
    fields = dict(fields)
    tomb = state.get(DELETED)
    if tomb is not None and tomb.value is True and DELETED not in fields:
        fields[DELETED] = False  # editing a record this device knows is deleted re-creates it
    # Every version the writer holds, not only the written fields': a delete must say which
    # edits it saw, and an edit whether it saw the record's tombstone.
    base: dict[str, str | None] = {name: v.hlc for name, v in state.items()}
    for name in fields:
        base.setdefault(name, None)
    return Change(change_id, kind, record_id, clock.now(), fields, base)
