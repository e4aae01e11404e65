"""One sync cycle: capture local edits, push the outbox, pull and merge what others wrote.

Capture compares each source's rows with the merged state and turns differences into changes in
the outbox (committed locally first, so offline edits survive restarts). Push seals and sends the
outbox in pages; the server ignores change ids it has, so a push repeated after a crash is
harmless. Pull opens every envelope of a page before touching anything: one blob that fails its
integrity check stops the pull with a clear error and nothing of that page is applied. A good page
is merged, written back to the sources, logged and its cursor saved in one transaction.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from core.storage.db import Database
from core.sync.changes import DELETED, Change, new_change_id, open_envelope, seal_change
from core.sync.client import SyncClient
from core.sync.crypto import SyncKeys
from core.sync.hlc import HLC, ZERO_WALL, Clock
from core.sync.merge import RecordState, local_change, merge_change, visible
from core.sync.records import Fields, RecordSource, Update
from core.sync.store import SyncStore

__all__ = ["SyncEngine", "SyncReport"]

log = logging.getLogger(__name__)
PAGE = 500


@dataclass(frozen=True)
class SyncReport:
    captured: int
    pushed: int
    pulled: int
    applied: int
    conflicts: int


def _normal(fields: Fields) -> Fields:
    """JSON-shaped values, so a local row compares equal to the same value read from the log."""
    result: Fields = json.loads(json.dumps(fields))
    return result


def _diff(local: Fields, shown: Fields | None) -> Fields:
    if shown is None:
        return dict(local)
    diff = {k: v for k, v in local.items() if shown.get(k, object()) != v}
    for name in shown:
        if name not in local:
            diff[name] = None
    return diff


class SyncEngine:
    def __init__(
        self,
        db: Database,
        sources: list[RecordSource],
        keys: SyncKeys,
        client: SyncClient,
        device: str,
        clock_last: str | None = None,
    ) -> None:
        self.store = SyncStore(db)
        self.db = db
        self.sources = {s.kind: s for s in sources}
        self.keys = keys
        self.client = client
        self.device = device
        self.clock = Clock(device, HLC.decode(clock_last) if clock_last else None)

    # -- capture ---------------------------------------------------------------------------------
    async def capture(self, *, initial: bool = False) -> int:
        """Turn local edits into outbox changes. ``initial`` (a joining device's first capture)
        stamps them at wall time zero, so what the account already holds wins and differences are
        recorded as conflicts instead of overwriting the other devices."""
        clock = Clock(self.device, HLC(ZERO_WALL, 0, self.device), lambda: ZERO_WALL)
        if not initial:
            clock = self.clock
        made: list[Change] = []
        async with self.db.session() as session:
            for kind, source in self.sources.items():
                local = {rid: _normal(f) for rid, f in (await source.read(session)).items()}
                states = await self.store.states(session, kind)
                changed: dict[str, tuple[RecordState, RecordState]] = {}
                for record_id in sorted(set(local) | set(states)):
                    state = states.get(record_id, {})
                    shown = visible(state)
                    if record_id in local:
                        fields = _diff(local[record_id], shown)
                    elif shown is not None:
                        fields = {DELETED: True}
                    else:
                        continue
                    if not fields:
                        continue
                    change = local_change(state, clock, new_change_id(), kind, record_id, fields)
                    new, _ = merge_change(state, change)
                    changed[record_id] = (state, new)
                    made.append(change)
                await self.store.save_states(session, kind, changed)
            await self.store.log(session, made, local=True)
            self.clock.observe(clock.last)
            await self.store.set_meta(session, clock=self.clock.last.encode())
        return len(made)

    # -- push ------------------------------------------------------------------------------------
    async def push(self) -> int:
        pushed = 0
        while True:
            batch = await self.store.outbox(PAGE)
            if not batch:
                return pushed
            envelopes = [seal_change(self.keys, c) for c in batch]
            await self.client.push(self.device, envelopes)
            await self.store.mark_pushed([c.change_id for c in batch])
            pushed += len(batch)

    # -- pull ------------------------------------------------------------------------------------
    async def pull(self) -> tuple[int, int, int]:
        pulled = applied = conflicts = 0
        cursor = int((await self.store.meta()).get("cursor", "0"))
        while True:
            page = await self.client.pull(cursor, PAGE)
            # Open the whole page first: a bad blob rejects it before anything is written.
            changes = [
                open_envelope(self.keys, e, f" (server #{seq})")
                for e, seq in zip(page.envelopes, page.seqs, strict=True)
            ]
            a, c = await self._apply_page(changes, page.seqs, page.next_after)
            pulled += len(changes)
            applied += a
            conflicts += c
            cursor = page.next_after
            if not page.more:
                break
        return pulled, applied, conflicts

    async def _apply_page(
        self, changes: list[Change], seqs: list[int], cursor: int
    ) -> tuple[int, int]:
        async with self.db.session() as session:
            known = await self.store.known(session, [c.change_id for c in changes])
            fresh = [(c, s) for c, s in zip(changes, seqs, strict=True) if c.change_id not in known]
            by_kind: dict[str, list[Change]] = defaultdict(list)
            for change, _seq in fresh:
                by_kind[change.kind].append(change)
            found = 0
            late: list[Change] = []
            for kind, kind_changes in by_kind.items():
                rids = {c.record_id for c in kind_changes}
                states = await self.store.states(session, kind, rids)
                stored = {rid: dict(state) for rid, state in states.items()}
                source = self.sources.get(kind)
                if source is not None:
                    late += await self._capture_late(session, source, kind_changes, states)
                before = {rid: dict(state) for rid, state in states.items()}
                for change in kind_changes:
                    self.clock.observe(change.hlc)
                    state, conflicts = merge_change(states.get(change.record_id, {}), change)
                    states[change.record_id] = state
                    found += await self.store.add_conflicts(session, conflicts)
                changed = {
                    rid: (stored.get(rid, {}), state)
                    for rid, state in states.items()
                    if stored.get(rid, {}) != state
                }
                await self.store.save_states(session, kind, changed)
                updates: dict[str, Update] = {}
                for rid, state in states.items():
                    was, now = visible(before.get(rid, {})), visible(state)
                    if was != now:
                        updates[rid] = (was, now)
                if source is None:
                    # Written by a newer app: kept in the merged state, applied once understood.
                    log.info("sync: %d changes of unknown kind %r kept", len(kind_changes), kind)
                elif updates:
                    await source.apply(session, updates)
            await self.store.log(session, late, local=True)
            await self.store.log(
                session, [c for c, _ in fresh], local=False, server_seqs=[s for _, s in fresh]
            )
            await self.store.set_meta(session, cursor=str(cursor), clock=self.clock.last.encode())
        return len(fresh), found

    async def _capture_late(
        self,
        session: Any,
        source: RecordSource,
        changes: list[Change],
        states: dict[str, RecordState],
    ) -> list[Change]:
        """Edits made to these records since the cycle's capture (the person kept working while
        the page was in flight) become local changes before anything pulled is written over
        them, in the same transaction as the write."""
        known: dict[str, Fields] = {}
        for change in changes:
            fields = known.setdefault(
                change.record_id, dict(visible(states.get(change.record_id, {})) or {})
            )
            fields.update({k: v for k, v in change.fields.items() if k != DELETED})
        local = {rid: _normal(f) for rid, f in (await source.read(session, known)).items()}
        made: list[Change] = []
        for record_id in sorted(known):
            state = states.get(record_id, {})
            shown = visible(state)
            if record_id in local:
                fields = _diff(local[record_id], shown)
            elif shown is not None:
                fields = {DELETED: True}
            else:
                continue
            if fields:
                change = local_change(
                    state, self.clock, new_change_id(), source.kind, record_id, fields
                )
                states[record_id], _ = merge_change(state, change)
                made.append(change)
        return made

    # -- the cycle --------------------------------------------------------------------------------
    async def sync_once(self, *, initial: bool = False) -> SyncReport:
        # Capture first: a local edit not yet captured must become a change before anything
        # pulled is written over its row.
        captured = await self.capture(initial=initial)
        pushed = await self.push()
        pulled, applied, conflicts = await self.pull()
        if pulled:
            # Writing pulled records back may normalise them (a renamed duplicate label): capture
            # that now rather than next cycle, and send it.
            captured += await self.capture()
            pushed += await self.push()
        cursor = int((await self.store.meta()).get("cursor", "0"))
        try:
            await self.client.set_cursor(self.device, cursor)
        except Exception as exc:  # the cursor is informational on the server
            log.info("sync: could not report cursor (%s)", type(exc).__name__)
        return SyncReport(captured, pushed, pulled, applied, conflicts)


def describe(value: Any) -> str:
    text = json.dumps(value, sort_keys=True)
    return text if len(text) <= 80 else text[:77] + "..."
