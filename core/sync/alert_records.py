"""Alert rules as sync records, keyed by their stable ``uid``. Their per-device state (armed,
last fired) and the fired history stay on this machine."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from core.alerts.tables import AlertRuleRow
from core.sync.records import _PLAIN, TableSource

__all__ = ["alert_rule_source"]

_COLUMNS = (
    "uid",
    "name",
    "kind",
    "enabled",
    "chain_id",
    "token",
    "symbol",
    "threshold",
    "window_s",
    "direction",
    "cooldown_s",
    "hysteresis_pct",
    "swap_json",
)


def _stamps() -> dict[str, Any]:
    now = datetime.now(UTC)
    return {"created_at": now, "updated_at": now}


def alert_rule_source(profile: str) -> TableSource:
    return TableSource(
        "alert_rule",
        AlertRuleRow,
        ("uid",),
        dict.fromkeys(_COLUMNS, _PLAIN),
        scope={"profile": profile},
        on_insert=_stamps,
    )
