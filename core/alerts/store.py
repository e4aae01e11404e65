"""Rules, their state and the fired history in the database (one profile's worth)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, func, insert, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from core.alerts.rules import AssetRef, Rule, RuleState, SwapTarget
from core.alerts.tables import AlertHistoryRow, AlertRuleRow, AlertStateRow
from core.alerts.validation import AlertRuleError
from core.storage.db import Database
from core.storage.tables import AppMetaRow, Base

__all__ = ["AlertStore", "FiredAlert"]

# The plain tables, for bulk statements that skip the ORM's per-object bookkeeping.
_HISTORY: Table = Base.metadata.tables["alert_history"]
_STATE: Table = Base.metadata.tables["alert_rule_state"]
_CHUNK = 100


@dataclass(frozen=True)
class FiredAlert:
    """One entry of the history: which rule, when, the figure that triggered it, and why."""

    rule_id: int | None
    rule_uid: str
    rule_name: str
    kind: str
    fired_at: datetime
    value: Decimal | None
    threshold: Decimal | None
    message: str
    page: str
    notified: bool = True
    id: int | None = None


def _chunks(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Bulk writes in slices: binding parameters runs on the loop's thread, and each awaited
    slice lets the UI paint in between (a few hundred rows take a few milliseconds)."""
    return [rows[i : i + _CHUNK] for i in range(0, len(rows), _CHUNK)]


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _dec(text: str | None) -> Decimal | None:
    return Decimal(text) if text is not None else None


def rule_from_row(row: AlertRuleRow) -> Rule:
    asset = None
    if row.chain_id is not None and row.token is not None:
        asset = AssetRef(row.chain_id, row.token, row.symbol or row.token)
    swap = SwapTarget(**json.loads(row.swap_json)) if row.swap_json else None
    return Rule(
        kind=row.kind,  # type: ignore[arg-type]  # validated on the way in
        name=row.name,
        threshold=_dec(row.threshold),
        asset=asset,
        window_s=row.window_s,
        direction=row.direction,  # type: ignore[arg-type]
        cooldown_s=row.cooldown_s,
        hysteresis_pct=Decimal(row.hysteresis_pct),
        enabled=row.enabled,
        swap=swap,
        id=row.id,
        uid=row.uid,
    )


def _fill(row: AlertRuleRow, rule: Rule, now: datetime) -> None:
    row.name = rule.name.strip()
    row.kind = rule.kind
    row.enabled = rule.enabled
    row.chain_id = rule.asset.chain_id if rule.asset else None
    row.token = rule.asset.token if rule.asset else None
    row.symbol = rule.asset.symbol if rule.asset else None
    row.threshold = str(rule.threshold) if rule.threshold is not None else None
    row.window_s = rule.window_s
    row.direction = rule.direction
    row.cooldown_s = rule.cooldown_s
    row.hysteresis_pct = str(rule.hysteresis_pct)
    row.swap_json = json.dumps(rule.swap.__dict__, sort_keys=True) if rule.swap else None
    row.updated_at = now


def _fired(row: AlertHistoryRow) -> FiredAlert:
    return FiredAlert(
        row.rule_id,
        row.rule_uid,
        row.rule_name,
        row.kind,
        _utc(row.fired_at),
        _dec(row.value),
        _dec(row.threshold),
        row.message,
        row.page,
        row.notified,
        row.id,
    )


class AlertStore:
    def __init__(self, db: Database, profile: str = "default") -> None:
        self._db = db
        self.profile = profile

    # -- rules ----------------------------------------------------------------------------------
    async def rules(self) -> list[Rule]:
        async with self._db.session() as session:
            rows = await session.scalars(
                select(AlertRuleRow)
                .where(AlertRuleRow.profile == self.profile)
                .order_by(AlertRuleRow.id)
            )
            return [rule_from_row(r) for r in rows]

    async def rule(self, rule_id: int) -> Rule:
        async with self._db.session() as session:
            row = await session.get(AlertRuleRow, rule_id)
            if row is None or row.profile != self.profile:
                raise AlertRuleError(f"There is no alert rule {rule_id}.")
            return rule_from_row(row)

    async def add(self, rule: Rule) -> Rule:
        now = datetime.now(UTC)
        row = AlertRuleRow(uid=rule.uid or str(uuid.uuid4()), profile=self.profile, created_at=now)
        _fill(row, rule, now)
        async with self._db.session() as session:
            session.add(row)
            await session.flush()
            session.add(AlertStateRow(rule_id=row.id, armed=None, status=RuleState().status))
            return rule_from_row(row)

    async def update(self, rule: Rule) -> Rule:
        """Save edits; the rule's memory restarts (a new threshold means a new first reading)."""
        if rule.id is None:
            raise AlertRuleError("Save the rule before editing it.")
        now = datetime.now(UTC)
        async with self._db.session() as session:
            row = await session.get(AlertRuleRow, rule.id)
            if row is None or row.profile != self.profile:
                raise AlertRuleError(f"There is no alert rule {rule.id}.")
            _fill(row, rule, now)
            state = await session.get(AlertStateRow, rule.id)
            if state is not None:
                state.armed, state.last_value, state.status = None, None, RuleState().status
            return rule_from_row(row)

    async def remove(self, rule_id: int) -> None:
        async with self._db.session() as session:
            row = await session.get(AlertRuleRow, rule_id)
            if row is None or row.profile != self.profile:
                raise AlertRuleError(f"There is no alert rule {rule_id}.")
            await session.delete(row)

    # -- state ----------------------------------------------------------------------------------
    async def states(self) -> dict[int, RuleState]:
        async with self._db.session() as session:
            rows = await session.scalars(
                select(AlertStateRow)
                .join(AlertRuleRow, AlertRuleRow.id == AlertStateRow.rule_id)
                .where(AlertRuleRow.profile == self.profile)
            )
            return {
                r.rule_id: RuleState(
                    r.armed,
                    _utc(r.last_fired_at) if r.last_fired_at else None,
                    _dec(r.last_value),
                    r.status,
                )
                for r in rows
            }

    async def save(
        self, states: Mapping[int, RuleState], fired: Sequence[FiredAlert]
    ) -> list[FiredAlert]:
        """Changed states and new history in one transaction (one commit per evaluation).

        Both are written as one executemany each (an upsert for states, an insert returning the
        new ids for history): a price update that flips hundreds of rules costs two statements,
        not hundreds of ORM objects built on the event loop's thread.
        """
        if not states and not fired:
            return []
        async with self._db.session() as session:
            if states:
                existing = set(
                    await session.scalars(
                        select(AlertRuleRow.id).where(AlertRuleRow.id.in_(list(states)))
                    )
                )
                values = [
                    {
                        "rule_id": rule_id,
                        "armed": s.armed,
                        "last_fired_at": s.last_fired_at,
                        "last_value": str(s.last_value) if s.last_value is not None else None,
                        "status": s.status[:200],
                    }
                    for rule_id, s in states.items()
                    if rule_id in existing  # a rule deleted meanwhile keeps no state
                ]
                if values:
                    upsert = sqlite_insert(_STATE)
                    upsert = upsert.on_conflict_do_update(
                        index_elements=[_STATE.c.rule_id],
                        set_={
                            name: upsert.excluded[name]
                            for name in ("armed", "last_fired_at", "last_value", "status")
                        },
                    )
                    for chunk in _chunks(values):
                        await session.execute(upsert, chunk)
            if not fired:
                return []
            rows = [
                {
                    "profile": self.profile,
                    "rule_id": f.rule_id,
                    "rule_uid": f.rule_uid,
                    "rule_name": f.rule_name,
                    "kind": f.kind,
                    "fired_at": f.fired_at,
                    "value": str(f.value) if f.value is not None else None,
                    "threshold": str(f.threshold) if f.threshold is not None else None,
                    "message": f.message,
                    "page": f.page,
                    "notified": f.notified,
                }
                for f in fired
            ]
            # Core executemany (RETURNING would make SQLite insert row by row). This transaction
            # holds SQLite's write lock, so the new ids are exactly those above the old maximum.
            before = await session.scalar(select(func.max(AlertHistoryRow.id))) or 0
            for chunk in _chunks(rows):
                await session.execute(insert(_HISTORY), chunk)
            ids = list(
                await session.scalars(
                    select(AlertHistoryRow.id)
                    .where(AlertHistoryRow.id > before)
                    .order_by(AlertHistoryRow.id)
                )
            )
            return [replace(f, id=new_id) for f, new_id in zip(fired, ids, strict=True)]

    # -- history and pause ----------------------------------------------------------------------
    async def history(self, limit: int = 200) -> list[FiredAlert]:
        async with self._db.session() as session:
            rows = await session.scalars(
                select(AlertHistoryRow)
                .where(AlertHistoryRow.profile == self.profile)
                .order_by(AlertHistoryRow.fired_at.desc(), AlertHistoryRow.id.desc())
                .limit(limit)
            )
            return [_fired(r) for r in rows]

    async def paused(self) -> bool:
        async with self._db.session() as session:
            row = await session.get(AppMetaRow, self._pause_key)
            return row is not None and row.value == "1"

    async def set_paused(self, paused: bool) -> None:
        async with self._db.session() as session:
            row = await session.get(AppMetaRow, self._pause_key)
            if row is None:
                session.add(AppMetaRow(key=self._pause_key, value="1" if paused else "0"))
            else:
                row.value = "1" if paused else "0"

    @property
    def _pause_key(self) -> str:
        return f"alerts_paused:{self.profile}"
